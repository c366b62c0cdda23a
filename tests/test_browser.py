"""End to end in a real browser: the HTML report and the served page in Chromium (Debian's
``chromium``, driven by Playwright). Hostile inputs must render as text: no script runs, no
dialog opens, no request leaves the page. Under CI these tests fail rather than skip."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from newsfuse.config import Settings as PipelineSettings
from newsfuse.model import Article
from newsfuse.pipeline import brief_articles
from newsfuse.server import Settings, create_app
from newsfuse.writers import render
from tests.conftest import PROSE
from tests.live import serving

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MARK = "window.__pwned = 1"  # what every hostile payload tries to do, besides alert()
OTHER = (
    "The council approved the budget on Tuesday after a debate that lasted into the night.",
    "The plan adds money for teachers and for repairs to old school buildings, officials said.",
    "The mayor said she would sign the measure this week, and opponents promised an appeal.",
)


def chromium() -> str | None:
    return os.environ.get("NEWSFUSE_CHROMIUM") or shutil.which("chromium")


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run the browser tests (.ci/run installs chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    path = chromium()
    if path is None:
        unavailable("no chromium on PATH and NEWSFUSE_CHROMIUM is not set")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=path, args=FLAGS, headless=True)
        yield launched
        launched.close()


@dataclass
class Watch:
    """What a page did that it must not: dialogs opened, requests made outside ``allowed``."""

    allowed: tuple[str, ...]
    dialogs: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def request(self, request: Any) -> None:
        if not request.url.startswith(self.allowed):
            self.outside.append(request.url)

    def dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture()
def page(browser: Any) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context()
    watch = Watch(allowed=("file://", "about:", "data:", "blob:", "http://127.0.0.1:"))

    def route(r: Any) -> None:
        if r.request.url.startswith(watch.allowed):
            r.continue_()
        else:
            watch.outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    tab = context.new_page()
    tab.on("request", watch.request)
    tab.on("dialog", watch.dialog)
    yield tab, watch
    context.close()


def hostile_articles() -> list[Article]:
    evil = f"<script>{MARK};alert(1);fetch('http://203.0.113.9/x')</script>"
    return [
        Article(
            id=f'a"><svg onload="{MARK}">',
            title=f'<img src=x onerror="{MARK}">Council approves the city budget',
            text=(
                f"{PROSE[0]} {evil}\n{PROSE[1]}\n"
                f'"<b onmouseover="{MARK}">We will sign it</b> this week," the mayor said.\n'
                + "\n".join(PROSE[2:])
            ),
            outlet=f'<a href="javascript:{MARK}">Daily Post</a>',
            url=f"javascript:{MARK}",
            published="2024-03-05",
        ),
        Article(
            id="b</script><script>alert(2)</script>",
            title="Budget passes <iframe src=http://203.0.113.9/></iframe>",
            text="\n".join(OTHER) + f"\n{PROSE[0]}",
            outlet="Evening News <style>body{background:url(http://203.0.113.9/)}</style>",
            url=f'https://example.org/b?q="><script>{MARK}</script>',
            published="2024-03-06",
        ),
    ]


def friendly_articles() -> list[Article]:
    return [
        Article(id="a", title="Council approves the city budget", text="\n".join(PROSE)),
        Article(id="b", title="Budget passes after debate", text="\n".join((*OTHER, PROSE[0]))),
    ]


def report(tmp_path: Path, articles: list[Article]) -> str:
    page = tmp_path / "brief.html"
    page.write_text(render(brief_articles(articles, PipelineSettings()), "html"), "utf-8")
    return page.as_uri()


def assert_harmless(tab: Any, watch: Watch) -> None:
    assert tab.evaluate("window.__pwned") is None
    assert watch.dialogs == []
    assert watch.outside == []


def test_a_citation_shows_its_passage_and_opens_its_source(
    page: tuple[Any, Watch], tmp_path: Path
) -> None:
    tab, watch = page
    tab.goto(report(tmp_path, friendly_articles()))
    cite = tab.locator(".cite > a").first
    passage = tab.locator(".cite .ev").first
    assert not passage.is_visible()
    cite.focus()
    assert passage.is_visible()
    assert passage.inner_text().strip()
    target = cite.get_attribute("href")
    cite.click()
    assert tab.locator(f"{target}.hit").count() == 1
    assert_harmless(tab, watch)


def test_a_report_of_hostile_inputs_runs_nothing(page: tuple[Any, Watch], tmp_path: Path) -> None:
    tab, watch = page
    tab.goto(report(tmp_path, hostile_articles()))
    assert "<script>" in tab.locator("body").inner_text() or "<img" in tab.title()
    for link in tab.locator("a").all():
        href = link.get_attribute("href") or ""
        assert href.startswith(("#", "http://", "https://")), href
    for cite in tab.locator(".cite > a, .chip").all():
        cite.hover()
        cite.focus()
    tab.locator("body").click()
    assert_harmless(tab, watch)


def test_the_served_page_briefs_pasted_articles(page: tuple[Any, Watch], tmp_path: Path) -> None:
    tab, watch = page
    with serving(create_app(Settings(db=tmp_path / "news.db"))) as base:
        tab.goto(base)
        for art in friendly_articles():
            tab.fill("#title", art.title or "")
            tab.fill("#text", art.text)
            tab.click("#add")
        tab.click("#brief")
        tab.wait_for_selector("#result:not([hidden])", timeout=60_000)
        frame = tab.frame_locator("#result")
        cite = frame.locator(".cite > a").first
        cite.focus()
        assert frame.locator(".cite .ev").first.is_visible()
        assert tab.locator("#save").get_attribute("href", timeout=5000)
    assert_harmless(tab, watch)


def test_the_served_page_with_hostile_files_and_stories_runs_nothing(
    page: tuple[Any, Watch], tmp_path: Path
) -> None:
    tab, watch = page
    records = [{k: v for k, v in vars_of(a).items() if v is not None} for a in hostile_articles()]
    with serving(create_app(Settings(db=tmp_path / "news.db"))) as base:
        assert httpx.post(f"{base}/api/articles", json={"articles": records}).status_code == 200
        tab.goto(base)
        jsonl = "".join(json.dumps(r) + "\n" for r in records).encode()
        tab.set_input_files(
            "#files",
            [
                {"name": "<img src=x onerror=alert(3)>.jsonl", "mimeType": "text/plain",
                 "buffer": jsonl},
                {"name": "<svg onload=alert(4)>.html", "mimeType": "text/html",
                 "buffer": f"<html><body><p>{PROSE[0]}</p><script>{MARK}</script>"
                           f"<img src=http://203.0.113.9/x onerror=alert(5)></body></html>"
                 .encode()},
            ],
        )  # fmt: skip
        tab.locator("#pending li").nth(2).wait_for()
        tab.click("#brief")
        tab.wait_for_selector("#result:not([hidden])", timeout=60_000)
        frame = tab.frame_locator("#result")
        for cite in frame.locator(".cite > a").all():
            cite.focus()
        links = tab.locator(".stories a")
        assert links.count() >= 1
        links.first.click()
        tab.wait_for_selector("h1")
        assert tab.locator(".ledger li").count() >= 1
        assert_harmless(tab, watch)
    assert_harmless(tab, watch)


def vars_of(a: Article) -> dict[str, Any]:
    return {
        name: getattr(a, name) for name in ("id", "title", "text", "url", "outlet", "published")
    }
