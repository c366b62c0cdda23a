"""The command shapes of the web: brief a feed, ingest feeds from a list, poll conditionally."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from newsfuse import config
from newsfuse.cli import cli
from newsfuse.errors import ConfigError
from newsfuse.model import Article
from newsfuse.store import Store
from tests.test_fetch import RSS, page, rss
from tests.webserver import Reply, Seen, Site, serve

ALLOW = ("--allow-host", "127.0.0.1")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def site() -> Iterator[Site]:
    with serve("127.0.0.1") as s:
        s.routes["/feed.xml"] = Reply(body=rss("/one.html", "/two.html"), headers=RSS)
        s.routes["/one.html"] = Reply(body=page("Council passes the budget"))
        s.routes["/two.html"] = Reply(body=page("Budget vote ends a long debate", "Other Times"))
        yield s


@pytest.fixture
def fast(tmp_path: Path) -> str:
    """Settings for a test server: no spacing between requests, short timeouts."""
    path = tmp_path / "fast.toml"
    path.write_text("[fetch]\nhost_delay = 0\nbackoff = 0.01\nread_timeout = 2\n")
    return str(path)


def test_brief_a_feed(site: Site, fast: str) -> None:
    result = run(
        "brief", site.url("/feed.xml"), *ALLOW, "--config", fast, "--no-models", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    sources = json.loads(result.stdout)["sources"]
    assert [(s["id"], s["url"], s["outlet"], s["published"]) for s in sources] == [
        ("one", site.url("/one.html"), "Daily Example", "2026-11-02"),
        ("two", site.url("/two.html"), "Other Times", "2026-11-02"),
    ]


def test_a_local_server_needs_allow_host(site: Site) -> None:
    result = run("brief", site.url("/feed.xml"), "--no-models")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"newsfuse: skipped {site.url('/feed.xml')}: refused: 127.0.0.1 is a loopback address"
    )
    assert "no input could be read" in lines[-1] and site.log == []


@pytest.mark.parametrize("entry", ["http://127.0.0.1", "not a host"])
def test_a_malformed_allow_host_is_a_usage_error(entry: str) -> None:
    result = run("brief", "https://news.example/a", "--allow-host", entry)
    assert result.exit_code == 2 and "--allow-host" in result.stderr


def test_ingest_feeds_then_poll_again_conditionally(site: Site, fast: str, tmp_path: Path) -> None:
    def feed(seen: Seen) -> Reply:
        if seen.headers.get("if-modified-since") == "Mon, 02 Nov 2026 10:00:00 GMT":
            return Reply(304)
        headers = {**RSS, "Last-Modified": "Mon, 02 Nov 2026 10:00:00 GMT"}
        return Reply(body=rss("/one.html", "/two.html"), headers=headers)

    site.routes["/feed.xml"] = feed
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# the desk's feeds\n\n{site.url('/feed.xml')}   # local\n")
    db = str(tmp_path / "news.db")
    first = run("ingest", "--feeds", str(feeds), "--db", db, "--config", fast, *ALLOW)
    assert first.exit_code == 0 and "2 added, 0 already stored" in first.stderr
    items_fetched = site.paths().count("/one.html")
    second = run("ingest", "--feeds", str(feeds), "--db", db, "--config", fast, *ALLOW)
    assert second.exit_code == 0 and "0 added, 0 already stored" in second.stderr
    assert site.paths().count("/feed.xml") == 2 and site.paths().count("/one.html") == items_fetched
    with Store(db) as store:
        assert [s.article.url for s in store.articles()] == [
            site.url("/one.html"),
            site.url("/two.html"),
        ]


def test_items_answering_304_add_nothing(site: Site, fast: str, tmp_path: Path) -> None:
    def item(seen: Seen) -> Reply:
        if seen.headers.get("if-none-match") == '"one-v1"':
            return Reply(304)
        return Reply(body=page("Council passes the budget"), headers={"ETag": '"one-v1"'})

    site.routes["/one.html"] = item
    db = str(tmp_path / "news.db")
    args = ("ingest", site.url("/feed.xml"), "--db", db, "--config", fast, *ALLOW)
    assert "2 added" in run(*args).stderr
    again = run(*args)
    assert "0 added, 1 already stored" in again.stderr  # two.html has no validators
    conditional = [s for s in site.log if s.path == "/one.html"][-1]
    assert conditional.headers["if-none-match"] == '"one-v1"'


def test_every_polls_until_interrupted(
    site: Site, fast: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    naps: list[float] = []

    def sleep(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr("newsfuse.cli.corpus.time.sleep", sleep)
    db = str(tmp_path / "news.db")
    args = ("ingest", site.url("/feed.xml"), "--db", db, "--every", "15m", "--config", fast)
    result = run(*args, *ALLOW)
    assert result.exit_code == 130 and "interrupted" in result.stderr
    assert naps == [900.0, 900.0]
    assert site.paths().count("/feed.xml") == 2
    with Store(db) as store:
        assert store.count() == 2


@pytest.mark.parametrize("every", ["10s", "soon", "0m"])
def test_every_must_be_a_duration_of_a_minute_or_more(every: str) -> None:
    result = run("ingest", "https://news.example/feed", "--every", every)
    assert result.exit_code == 2 and "--every" in result.stderr


def test_ingest_needs_inputs_or_feeds() -> None:
    assert run("ingest").exit_code == 2


def test_opml_feed_list(site: Site, fast: str, tmp_path: Path) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body><outline text="news">'
        f'<outline text="local" type="rss" xmlUrl="{site.url("/feed.xml")}"/>'
        "</outline></body></opml>"
    )
    db = str(tmp_path / "news.db")
    result = run("ingest", "--feeds", str(opml), "--db", db, "--config", fast, *ALLOW)
    assert result.exit_code == 0 and "2 added" in result.stderr


def test_the_store_keeps_one_article_per_url(tmp_path: Path) -> None:
    url = "https://news.example/story"
    with Store(tmp_path / "s.db") as store:
        assert store.ingest([Article("a", "First version of the text.", url=url)]).added == 1
        assert store.ingest([Article("a", "Edited version of the text.", url=url)]).added == 0
        store.remember([(url, '"e1"', None)])
        assert store.validators(url) == ('"e1"', None)
        assert store.validators("https://news.example/other") is None


def test_the_fetch_table_of_the_settings_file(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text('[fetch]\nallow_hosts = ["wiki.corp", "10.0.0.0/8"]\nmax_bytes = 2048\n')
    fetch = config.load(good).fetch
    assert fetch.allow_hosts == ("wiki.corp", "10.0.0.0/8") and fetch.max_bytes == 2048
    for bad in ('allow_hosts = ["http://x"]', "max_bytes = 0", "timeout = 3"):
        path = tmp_path / "bad.toml"
        path.write_text(f"[fetch]\n{bad}\n")
        with pytest.raises(ConfigError):
            config.load(path)


@pytest.mark.parametrize("command", ["clean", "stories"])
def test_clean_and_stories_take_urls_too(site: Site, command: str) -> None:
    result = run(command, site.url("/one.html"), *ALLOW, "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["id"] == "one"


def test_check_a_claim_against_a_feed(site: Site, fast: str) -> None:
    claim = "The council met on Tuesday and decided about the schools and the budget."
    result = run(
        "check", claim, site.url("/feed.xml"), *ALLOW, "--config", fast, "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {r["source"] for r in data["support"]} == {"one", "two"} and not data["silent"]
