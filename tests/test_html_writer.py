"""The HTML report: self-contained, every input escaped, citations wired to the ledger."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from newsfuse.model import (
    Briefing,
    Entity,
    Event,
    Evidence,
    Fact,
    FactValue,
    Quote,
    Source,
    SummarySentence,
)
from newsfuse.writers import WRITERS, render
from newsfuse.writers.html import safe_url, script_hash

EVIL = '<script>alert(1)</script><img src=x onerror="alert(2)">'


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of the page's scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def parse(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


def source(ident: str, **kw: object) -> Source:
    base: dict[str, object] = dict(
        path=None, title=None, outlet=None, published=None, words_in=100, words_kept=80
    )
    base.update(kw)
    return Source(id=ident, **base)  # type: ignore[arg-type]


def hostile() -> Briefing:
    a, b = f"a{EVIL}", 'b" onmouseover="alert(3)'
    return Briefing(
        title=f"Title {EVIL}",
        summary=(
            SummarySentence(
                f"The council met {EVIL}.", a, 0, 10, (a, b), (Evidence(b, f"B says {EVIL}", 0, 5),)
            ),
        ),
        sources=(
            source(
                a,
                title=f"<b>{EVIL}</b>",
                outlet=f"Outlet {EVIL}",
                published="2024-01-02",
                url="javascript:alert(5)",
            ),
            source(
                b,
                title="javascript:alert(4)",
                flags=("duplicate",),
                duplicate_of=a,
                url='https://example.org/b?x="><script>alert(6)</script>',
            ),
        ),
        quotes=(Quote(f"Speaker {EVIL}", f"quote {EVIL}", (a, b), a),),
        facts=(Fact(f"about {EVIL}", (FactValue(f"1{EVIL}", (a,)), FactValue("2", (b,))), True),),
        entities=(Entity(f"Name {EVIL}", "PERSON", ((a, 2), (b, 1))),),
        timeline=(Event("2024-01-02", f"event {EVIL}", a),),
        problems=(f"file{EVIL}.txt: empty",),
    )


def test_html_is_a_registered_writer() -> None:
    assert "html" in WRITERS


def test_inputs_never_become_markup() -> None:
    page = render(hostile(), "html")
    tags = parse(page)
    assert [t for t, _ in tags.tags].count("script") == 1
    assert not any(t == "img" for t, _ in tags.tags)
    assert not any(k.startswith("on") for _, attrs in tags.tags for k in attrs)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_only_the_page_own_script_may_run() -> None:
    page = render(hostile(), "html")
    tags = parse(page)
    csp = next(a["content"] for t, a in tags.tags if t == "meta" and a.get("http-equiv"))
    assert csp is not None and "default-src 'none'" in csp
    assert re.findall(r"'(sha256-[^']+)'", csp) == [script_hash(tags.scripts[0])]


def test_nothing_is_loaded_from_outside() -> None:
    tags = parse(render(hostile(), "html"))
    assert not any(t in ("link", "iframe", "img", "object", "embed") for t, _ in tags.tags)
    assert not any("src" in attrs for t, attrs in tags.tags)


def test_every_internal_link_has_a_target_and_no_link_leaves_http() -> None:
    tags = parse(render(hostile(), "html"))
    ids = {a["id"] for _, a in tags.tags if a.get("id")}
    hrefs = [a["href"] or "" for t, a in tags.tags if t == "a"]
    assert {h[1:] for h in hrefs if h.startswith("#")} <= ids
    assert all(h.startswith(("#", "http://", "https://")) for h in hrefs)


def test_citations_carry_the_cited_passage() -> None:
    page = render(hostile(), "html")
    # source 1 gives the wording; source 2's own passage is its evidence
    assert page.count('href="#src-1" aria-describedby') == 1
    assert page.count('href="#src-2" aria-describedby') == 1
    assert "B says &lt;script&gt;" in page
    assert "duplicate of" in page


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/a?b=1", True),
        ("http://example.org", True),
        ("HTTPS://EXAMPLE.ORG/", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//example.org/x", False),
        ("/relative", False),
        ("https:///nohost", False),
        ("http://[bad", False),
        (None, False),
        ("", False),
    ],
)
def test_only_http_urls_are_links(url: str | None, ok: bool) -> None:
    assert safe_url(url) == (url if ok else None)


def test_an_empty_briefing_still_renders() -> None:
    page = render(Briefing(title="Briefing", summary=(), sources=()), "html")
    assert "No sentence could be taken" in page


def test_a_quote_without_a_speaker_is_shown_unattributed() -> None:
    from dataclasses import replace

    b = hostile()
    b = replace(b, quotes=(replace(b.quotes[0], speaker=None),))
    page = render(b, "html")
    assert "(unattributed)" in page and ">None<" not in page
