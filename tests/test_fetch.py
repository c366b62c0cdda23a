"""Fetching from local servers the tests start (allow-listed explicitly): pages with metadata,
feeds, sitemaps, redirects into refused addresses, robots.txt, caps, slow servers, retries."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator

import pytest

from newsfuse.errors import FetchError
from newsfuse.fetch import Settings, Web
from newsfuse.fetch.client import Fetcher, NotModified, Validators
from newsfuse.fetch.web import read
from newsfuse.readers import read_inputs
from tests.webserver import Reply, Seen, Site, serve

FAST = Settings(
    allow_hosts=("127.0.0.1",),
    host_delay=0,
    backoff=0.01,
    connect_timeout=1,
    read_timeout=0.5,
    total_timeout=5,
)
RSS = {"Content-Type": "application/rss+xml"}


def page(title: str, site_name: str = "Daily Example", date: str = "2026-11-02") -> bytes:
    body = "".join(
        f"<p>{title}: the council met on Tuesday and sentence number {n} of this report says "
        "what the officials decided about the schools, the roads and the budget.</p>"
        for n in range(4)
    )
    return (
        f'<html><head><title>{title}</title><meta property="og:site_name" content="{site_name}">'
        f'<meta name="date" content="{date}"></head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


def rss(*links: str) -> bytes:
    items = "".join(
        f"<item><title>t{n}</title><link>{link}</link>"
        "<pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate></item>"
        for n, link in enumerate(links)
    )
    channel = f"<channel><title>F</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


@pytest.fixture
def site() -> Iterator[Site]:
    with serve("127.0.0.1") as s:
        yield s


def fetch(*targets: str, settings: Settings = FAST) -> tuple[list, list[str]]:  # type: ignore[type-arg]
    got = read(list(targets), Web(settings))
    return list(got.articles), [str(p) for p in got.problems]


def test_a_page_gives_its_article_with_url_outlet_and_date(site: Site) -> None:
    site.routes["/news/budget.html?utm_source=x"] = Reply(body=page("Council passes budget"))
    site.routes["/news/budget.html"] = Reply(body=page("Council passes budget"))
    (art,), problems = fetch(site.url("/news/budget.html"))
    assert problems == []
    assert art.id == "budget"
    assert art.url == site.url("/news/budget.html")
    assert (art.title, art.outlet, art.published) == (
        "Council passes budget",
        "Daily Example",
        "2026-11-02",
    )
    assert "sentence number 3" in art.text
    seen = site.log[-1]
    assert seen.headers["user-agent"].startswith("newsfuse/")
    assert seen.headers["host"] == f"127.0.0.1:{site.port}"


def test_a_name_is_resolved_once_and_the_checked_address_is_connected_to(site: Site) -> None:
    """news.test exists only in the test's resolver: had httpx looked it up again, the fetch
    would fail; the server sees the name in the Host header."""
    asked: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        return ["127.0.0.1"]

    site.routes["/a"] = Reply(body=page("Pinned"))
    url = f"http://news.test:{site.port}/a"
    got = read(
        [url], Web(Settings(**{**_fields(FAST), "allow_hosts": ("news.test",)}), None, resolve)
    )
    assert [a.title for a in got.articles] == ["Pinned"] and got.problems == ()
    assert {s.headers["host"] for s in site.log} == {f"news.test:{site.port}"}
    assert asked == ["news.test", "news.test"]  # robots.txt, then the page: one lookup each


def test_a_feed_is_expanded_to_its_items_in_order(site: Site) -> None:
    site.routes["/feed.xml"] = Reply(body=rss("/a.html?utm_medium=rss", "/b.html"), headers=RSS)
    site.routes["/a.html"] = Reply(body=page("First story"))
    site.routes["/b.html"] = Reply(body=page("Second story", date=""))
    arts, problems = fetch(site.url("/feed.xml"))
    assert problems == []
    assert [a.title for a in arts] == ["First story", "Second story"]
    assert arts[1].published == "2026-11-02"  # the feed's date fills a page without one
    assert "/a.html" in site.paths()  # tracking parameters are not sent


def test_a_feed_feedparser_chokes_on_is_one_problem_and_the_rest_is_read(site: Site) -> None:
    hostile = rss("/a.html").replace(b"<title>F</title>", b"<title>F &#99999999;</title>")
    site.routes["/bad.xml"] = Reply(body=hostile, headers=RSS)  # made feedparser raise
    site.routes["/b.html"] = Reply(body=page("Still read"))
    arts, problems = fetch(site.url("/bad.xml"), site.url("/b.html"))
    assert [a.title for a in arts] == ["Still read"]
    assert problems == [
        f"{site.url('/bad.xml')}: not a readable feed (ValueError: "
        + "chr() arg not in range(0x110000))"
    ]


def test_an_atom_feed_is_expanded_up_to_max_items(site: Site) -> None:
    entries = "".join(
        f'<entry><title>{n}</title><link href="{site.url(f"/{n}")}"/>'
        "<updated>2026-11-01T10:00:00Z</updated></entry>"
        for n in ("x", "y", "z")
    )
    atom = f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>'
    site.routes["/atom"] = Reply(body=atom.encode(), headers={"Content-Type": "text/xml"})
    for n in "xyz":
        site.routes[f"/{n}"] = Reply(body=page(f"Story {n}", date=""))
    two = Settings(**{**_fields(FAST), "max_items": 2})
    arts, problems = fetch(site.url("/atom"), settings=two)
    assert problems == [] and [a.title for a in arts] == ["Story x", "Story y"]
    assert arts[0].published == "2026-11-01" and "/z" not in site.paths()


def test_a_news_sitemap_is_expanded(site: Site) -> None:
    sitemap = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"<url><loc>{site.url('/s1')}</loc><news:news>"
        "<news:publication_date>2026-10-30T08:00:00Z</news:publication_date>"
        "</news:news></url></urlset>"
    ).encode()
    site.routes["/sitemap.xml"] = Reply(body=sitemap, headers={"Content-Type": "application/xml"})
    site.routes["/s1"] = Reply(body=page("Sitemap story", date=""))
    (art,), problems = fetch(site.url("/sitemap.xml"))
    assert problems == [] and art.published == "2026-10-30"


def test_a_sitemap_index_is_followed_one_level(site: Site) -> None:
    xml = {"Content-Type": "application/xml"}
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    site.routes["/index.xml"] = Reply(
        body=(
            f"<sitemapindex {ns}><sitemap><loc>{site.url('/s-a.xml')}</loc></sitemap>"
            f"<sitemap><loc>{site.url('/s-missing.xml')}</loc></sitemap></sitemapindex>"
        ).encode(),
        headers=xml,
    )
    site.routes["/s-a.xml"] = Reply(
        body=f"<urlset {ns}><url><loc>{site.url('/p')}</loc></url></urlset>".encode(),
        headers=xml,
    )
    site.routes["/p"] = Reply(body=page("Indexed story"))
    arts, problems = fetch(site.url("/index.xml"))
    assert [a.title for a in arts] == ["Indexed story"]
    assert problems == [f"{site.url('/s-missing.xml')}: HTTP 404"]


def test_one_bad_item_is_one_line_and_the_others_are_read(site: Site) -> None:
    site.routes["/feed.xml"] = Reply(body=rss("/gone", "/ok", "/pic"), headers=RSS)
    site.routes["/ok"] = Reply(body=page("Still here"))
    site.routes["/pic"] = Reply(body=b"\x89PNG....", headers={"Content-Type": "image/png"})
    arts, problems = fetch(site.url("/feed.xml"))
    assert [a.title for a in arts] == ["Still here"]
    assert problems == [
        f"{site.url('/gone')}: HTTP 404",
        f"{site.url('/pic')}: not an HTML page (image/png)",
    ]


def test_without_allow_host_the_local_server_is_refused_before_connecting(site: Site) -> None:
    site.routes["/a"] = Reply(body=page("Local"))
    arts, problems = fetch(site.url("/a"), settings=Settings())
    assert arts == [] and "refused: 127.0.0.1 is a loopback address" in problems[0]
    assert site.log == []


@pytest.mark.parametrize(
    ("location", "why"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::ffff:127.0.0.1]:{port}/a", "IPv4-mapped form of a loopback"),
        ("http://10.0.0.1/", "a private address"),
        ("ftp://127.0.0.1/", "scheme 'ftp'"),
    ],
)
def test_redirects_into_refused_addresses_are_refused(site: Site, location: str, why: str) -> None:
    site.routes["/r"] = Reply(302, headers={"Location": location.format(port=site.port)})
    arts, problems = fetch(site.url("/r"))
    assert arts == [] and len(problems) == 1
    assert problems[0].startswith(f"{site.url('/r')}: redirected to ") and why in problems[0]


def test_a_redirect_to_another_loopback_address_never_reaches_it(site: Site) -> None:
    with serve("127.0.0.2") as inside:
        inside.routes["/secret"] = Reply(body=page("Secret"))
        site.routes["/r"] = Reply(301, headers={"Location": inside.url("/secret")})
        arts, problems = fetch(site.url("/r"))
        assert arts == [] and "127.0.0.2 is a loopback address" in problems[0]
        assert inside.log == []  # no connection was made, not even for robots.txt


def test_redirects_are_followed_by_hand_up_to_five(site: Site) -> None:
    for n in range(7):
        site.routes[f"/hop{n}"] = Reply(302, headers={"Location": f"/hop{n + 1}"})
    site.routes["/hop7"] = Reply(body=page("Arrived"))
    site.routes["/start"] = Reply(302, headers={"Location": "/hop3"})
    (art,), _ = fetch(site.url("/start"))  # 5 redirects: allowed
    assert art.title == "Arrived"
    arts, problems = fetch(site.url("/hop0"))  # 7 redirects: refused
    assert arts == [] and "more than 5 redirects" in problems[0]
    site.routes["/nowhere"] = Reply(302, body=page("Body of a redirect"), headers={})
    arts, problems = fetch(site.url("/nowhere"))  # a redirect without a Location
    assert arts == [] and problems == [f"{site.url('/nowhere')}: HTTP 302"]


def test_robots_txt_is_honoured_and_read_once(site: Site) -> None:
    site.routes["/robots.txt"] = Reply(
        body=b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"}
    )
    site.routes["/private/a"] = Reply(body=page("Hidden"))
    site.routes["/public/b"] = Reply(body=page("Open"))
    arts, problems = fetch(site.url("/private/a"), site.url("/public/b"))
    assert [a.title for a in arts] == ["Open"]
    assert problems == [f"{site.url('/private/a')}: disallowed by robots.txt of 127.0.0.1"]
    assert site.paths().count("/robots.txt") == 1 and "/private/a" not in site.paths()


def test_an_unreachable_robots_txt_allows_nothing(site: Site) -> None:
    site.routes["/robots.txt"] = Reply(500, b"oops")
    site.routes["/a"] = Reply(body=page("A"))
    arts, problems = fetch(site.url("/a"))
    assert arts == [] and "robots.txt" in problems[0]


def test_conditional_get_and_304(site: Site) -> None:
    def conditional(seen: Seen) -> Reply:
        if seen.headers.get("if-none-match") == '"v1"':
            return Reply(304)
        return Reply(body=page("Tagged"), headers={"Content-Type": "text/html", "ETag": '"v1"'})

    site.routes["/t"] = conditional
    with Fetcher(FAST) as fetcher:
        first = fetcher.get(site.url("/t"))
        assert not isinstance(first, NotModified) and first.validators.etag == '"v1"'
        again = fetcher.get(site.url("/t"), first.validators)
        assert isinstance(again, NotModified)
        fresh = fetcher.get(site.url("/t"), Validators(etag='"v0"'))
        assert not isinstance(fresh, NotModified)


def test_an_oversized_body_is_refused(site: Site) -> None:
    small = Settings(**{**_fields(FAST), "max_bytes": 4096})
    site.routes["/big"] = Reply(body=page("Big") + b" " * 10_000)
    site.routes["/liar"] = Reply(body=b"x" * 100, headers={"Content-Length": str(10**9)})
    arts, problems = fetch(site.url("/big"), settings=small)
    assert arts == [] and "over the 4096 bytes cap" in problems[0]
    with Fetcher(small) as fetcher, pytest.raises(FetchError, match="1000000000 bytes"):
        fetcher.get(site.url("/liar"))


def test_a_gzip_bomb_is_cut_off_not_inflated(site: Site) -> None:
    bomb = gzip.compress(b"<html>" + b"\0" * 30 * 2**20, compresslevel=9)
    assert len(bomb) < 100_000
    gz = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
    site.routes["/bomb"] = Reply(body=bomb, headers=gz)
    site.routes["/fine"] = Reply(body=gzip.compress(page("Zipped")), headers=gz)
    capped = Settings(**{**_fields(FAST), "max_bytes": 2**20})
    arts, problems = fetch(site.url("/bomb"), site.url("/fine"), settings=capped)
    assert [a.title for a in arts] == ["Zipped"]
    assert "over the 1 MB cap after decompression" in problems[0]


def test_a_slow_server_times_out(site: Site) -> None:
    site.routes["/slow"] = Reply(body=page("Slow"), delay=2.0)
    started = time.monotonic()
    arts, problems = fetch(site.url("/slow"))
    assert arts == [] and "timed out" in problems[0]
    assert time.monotonic() - started < 1.8


def test_retry_after_and_transient_errors_are_retried(site: Site) -> None:
    answers = iter([Reply(503, headers={"Retry-After": "0"}), Reply(502), Reply(body=page("Ok"))])
    site.routes["/flaky"] = lambda seen: next(answers)
    (art,), problems = fetch(site.url("/flaky"))
    assert art.title == "Ok" and problems == []
    assert site.paths().count("/flaky") == 3


def test_a_long_retry_after_gives_up_at_once(site: Site) -> None:
    site.routes["/busy"] = Reply(429, headers={"Retry-After": "3600"})
    arts, problems = fetch(site.url("/busy"))
    assert arts == [] and "HTTP 429, asked to wait 3600 s" in problems[0]
    assert site.paths().count("/busy") == 1


def test_requests_to_one_host_are_spaced(site: Site) -> None:
    for name in ("a", "b", "c"):
        site.routes[f"/{name}"] = Reply(body=page(name.upper()))
    spaced = Settings(**{**_fields(FAST), "host_delay": 0.15})
    started = time.monotonic()
    arts, _ = fetch(site.url("/a"), site.url("/b"), site.url("/c"), settings=spaced)
    assert len(arts) == 3
    assert time.monotonic() - started >= 0.45  # robots.txt and three pages, 0.15 s apart


def test_requests_to_one_host_are_limited_in_number_at_a_time(site: Site) -> None:
    for name in ("a", "b", "c", "d"):
        site.routes[f"/{name}"] = Reply(body=page(name.upper()), delay=0.2)
    one_at_a_time = Settings(**{**_fields(FAST), "per_host": 1, "workers": 4})
    started = time.monotonic()
    arts, _ = fetch(*(site.url(f"/{n}") for n in "abcd"), settings=one_at_a_time)
    assert len(arts) == 4 and time.monotonic() - started >= 0.8


def test_closing_the_fetcher_wakes_a_fetch_waiting_its_turn(site: Site) -> None:
    site.routes["/a"] = Reply(body=page("A"))
    slow_host = Settings(**{**_fields(FAST), "host_delay": 30})
    errors: list[str] = []
    with Fetcher(slow_host) as fetcher:

        def get() -> None:  # robots.txt at once, then /a 30 s later
            try:
                fetcher.get(site.url("/a"))
            except FetchError as err:
                errors.append(err.reason)

        waiting = threading.Thread(target=get)
        waiting.start()
        time.sleep(0.3)
    waiting.join(timeout=2)
    assert not waiting.is_alive() and errors == ["interrupted"]
    assert site.paths() == ["/robots.txt"]


def test_waiting_a_turn_does_not_count_against_the_time_cap(site: Site) -> None:
    site.routes["/a"] = Reply(body=page("A"))
    patient = Settings(**{**_fields(FAST), "host_delay": 0.6, "total_timeout": 0.5})
    (art,), problems = fetch(site.url("/a"), settings=patient)
    assert problems == [] and art.title == "A"


def test_one_article_under_two_urls_is_kept_once(site: Site) -> None:
    amp = page("Same story").replace(b"<head>", b'<head><link rel="canonical" href="/story">')
    site.routes["/story"] = Reply(body=page("Same story"))
    site.routes["/story/amp"] = Reply(body=amp)
    site.routes["/copy"] = Reply(body=page("Same story"))  # same text, no canonical link
    arts, problems = fetch(site.url("/story"), site.url("/story/amp"), site.url("/copy"))
    assert problems == [] and len(arts) == 1 and arts[0].url == site.url("/story")


def test_read_inputs_mixes_files_and_urls(site: Site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    site.routes["/w"] = Reply(body=page("From the web"))
    local = tmp_path / "local.txt"
    local.write_text("A local headline\nThe council met on Tuesday and decided many things.\n")
    result = read_inputs([str(local), site.url("/w"), "file:///etc/passwd"], web=Web(FAST))
    assert [a.id for a in result.articles] == ["local", "w"]
    assert [p.reason for p in result.problems] == ["scheme 'file' is not fetched; use http(s)"]


def _fields(s: Settings) -> dict[str, object]:
    return {name: getattr(s, name) for name in s.__dataclass_fields__}
