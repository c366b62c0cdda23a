"""HTML: one self-contained page (inline CSS and a little inline JS; no external request).

Everything that comes from an input is put into the page by Jinja2 with autoescape on, so it is
escaped for where it lands (text or attribute); a URL becomes a link only when it is http(s).
Anchors inside the page are built from source numbers, never from input ids. A Content Security
Policy in the page allows only its own script (by hash) and no network at all, so even a
mistake in escaping could neither run injected code nor load anything.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from importlib import resources
from urllib.parse import urlsplit

import jinja2

from newsfuse.model import Briefing, Fact, Source, SummarySentence

MAX_QUOTES = 12  # shown at once; the rest fold away (the JSON has them all)
MAX_ENTITIES = 30  # a page is read: the most mentioned names, the JSON has every one


@dataclass(frozen=True, slots=True)
class Ref:
    """A source as the page cites it: its number, the anchor of its ledger entry, a label."""

    n: int
    anchor: str
    label: str


@dataclass(frozen=True, slots=True)
class Cite:
    """One citation of a summary sentence: the source and the passage where it says so."""

    ref: Ref
    passage: str
    located: bool  # False: the source reports it, but its own passage was not located


@dataclass(frozen=True, slots=True)
class Line:
    """A summary sentence with its citations."""

    n: int
    text: str
    cites: tuple[Cite, ...]


@dataclass(frozen=True, slots=True)
class Entry:
    """A ledger entry: the source, its reference, a safe link, what was stripped."""

    source: Source
    ref: Ref
    url: str | None
    stripped_pct: int
    original: Ref | None
    supports: tuple[int, ...]  # numbers of the summary sentences it reports


@dataclass(frozen=True, slots=True)
class Assets:
    css: str
    js: str
    csp: str


def render(b: Briefing) -> str:
    refs = _refs(b.sources)
    lines = tuple(_line(n, s, refs) for n, s in enumerate(b.summary, start=1))
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            b=b,
            refs=refs,
            lines=lines,
            ledger=tuple(_entry(s, refs, lines) for s in b.sources),
            outlets=sorted({s.outlet for s in b.sources if s.outlet}),
            span=_span(b.sources),
            assets=assets(),
            max_quotes=MAX_QUOTES,
            entities=b.entities[:MAX_ENTITIES],
            max_mentions=max((e.total for e in b.entities), default=1),
            shared=_shared,
        )
    )


def assets() -> Assets:
    """The page's own style and script, and the policy that allows exactly them."""
    folder = resources.files("newsfuse") / "templates"
    css = (folder / "report.css").read_text(encoding="utf-8")
    js = (folder / "report.js").read_text(encoding="utf-8")
    return Assets(css, js, csp_for(js))


def csp_for(*scripts: str) -> str:
    """A policy that runs only ``scripts`` (by hash), loads nothing, sends nothing."""
    hashes = " ".join(f"'{script_hash(s)}'" for s in scripts)
    return (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src {hashes}; base-uri 'none'; form-action 'none'"
    )


def script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL a reader may follow, else None."""
    if not url or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("newsfuse", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _refs(sources: tuple[Source, ...]) -> dict[str, Ref]:
    return {
        s.id: Ref(n, f"src-{n}", s.outlet or s.title or s.id)
        for n, s in enumerate(sources, start=1)
    }


def _line(n: int, s: SummarySentence, refs: dict[str, Ref]) -> Line:
    found = {e.source: e.text for e in s.evidence}
    found[s.source] = s.text
    cites = tuple(
        Cite(refs[x], found.get(x, s.text), x in found) for x in s.supported_by if x in refs
    )
    return Line(n, s.text, cites)


def _entry(s: Source, refs: dict[str, Ref], lines: tuple[Line, ...]) -> Entry:
    stripped = s.words_in - s.words_kept
    return Entry(
        source=s,
        ref=refs[s.id],
        url=safe_url(s.url),
        stripped_pct=round(100 * stripped / s.words_in) if s.words_in else 0,
        original=refs.get(s.duplicate_of) if s.duplicate_of else None,
        supports=tuple(ln.n for ln in lines if any(c.ref.n == refs[s.id].n for c in ln.cites)),
    )


def _span(sources: tuple[Source, ...]) -> str | None:
    days = sorted(s.published for s in sources if s.published)
    if not days:
        return None
    return days[0] if days[0] == days[-1] else f"{days[0]} – {days[-1]}"


def _shared(f: Fact) -> int:
    """How many sources report any value of ``f``: the width of the disagreement."""
    return len({x for v in f.values for x in v.sources})


__all__ = ["MAX_QUOTES", "assets", "csp_for", "environment", "render", "safe_url", "script_hash"]
