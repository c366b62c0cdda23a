"""Remote inputs to articles: article URLs, feeds and sitemaps (expanded to their items, each
page fetched) and WARC files. URLs are fetched a few at a time (`Settings.workers`), and the
result keeps the order of the inputs and of each feed's items, so a run is reproducible."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from newsfuse.errors import FetchError, InputError
from newsfuse.fetch import feeds, pages, urls, warc
from newsfuse.fetch.client import Fetcher, NotModified, Response, Validators
from newsfuse.fetch.feeds import Link
from newsfuse.fetch.settings import Fetched, Web
from newsfuse.model import Article
from newsfuse.store import content_hash

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class WebRead:
    articles: tuple[Article, ...]
    problems: tuple[InputError, ...]
    fetched: tuple[Fetched, ...]


@dataclass(frozen=True, slots=True)
class _Got:
    """What one input or one item gave: articles and problems, links to fetch, validators."""

    items: tuple[Article | InputError, ...] = ()
    links: tuple[Link, ...] = ()
    fetched: tuple[Fetched, ...] = ()


def read(targets: Sequence[str], web: Web | None = None) -> WebRead:
    """The articles of ``targets`` (URLs and WARC files), the problems of those that could
    not be used (one per URL), and the validators to remember."""
    web = web or Web()
    with Fetcher(web.settings, web.resolve, web.tls) as fetcher:
        job = _Job(fetcher, web)
        with _Pool(web.settings.workers) as run:
            job.recall(targets)
            tops = run(job.target, list(targets))
            links = _new_links(tops, targets)
            job.recall(urls.canonical(link.url) for link in links)
            items = run(job.link, links)
    return _assemble(tops, links, items)


class _Job:
    def __init__(self, fetcher: Fetcher, web: Web) -> None:
        self._fetcher, self._memory = fetcher, web.memory
        self._settings = web.settings
        self._known: dict[str, Validators] = {}

    def recall(self, names: Iterable[str]) -> None:
        """Look up the validators of ``names`` (in the calling thread: the memory may be a
        SQLite connection, which stays in the thread that opened it)."""
        if self._memory is None:
            return
        for name in names:
            found = self._memory.validators(name)
            if found is not None:
                self._known[name] = Validators(*found)

    def target(self, name: str) -> _Got:
        try:
            if urls.is_warc(name) and not urls.is_url(name):
                return _Got(tuple(warc.read(name, pages.article, self._settings.max_bytes)))
            return self._listing(name)
        except InputError as err:
            return _Got((err,))

    def link(self, link: Link) -> _Got:
        url = urls.canonical(link.url)  # tracking parameters are not sent
        try:
            got = self._get(url)
            if isinstance(got, NotModified):
                return _Got()
            if feeds.kind(got.media_type, got.body) != "html":
                raise FetchError(url, f"not an HTML page ({got.media_type or 'no type'})")
            page = pages.article(url, got.url, got.body, got.charset, link.published)
            return _Got((page,), fetched=_fetched(url, got))
        except InputError as err:
            return _Got((err,))

    def _listing(self, url: str) -> _Got:
        got = self._get(url)
        if isinstance(got, NotModified):
            return _Got()
        limit = self._settings.max_items
        found = feeds.kind(got.media_type, got.body)
        if found == "html":
            page = pages.article(url, got.url, got.body, got.charset)
            return _Got((page,), fetched=_fetched(url, got))
        problems: list[InputError] = []
        if found == "feed":
            links = feeds.feed_links(got.url, got.body, limit)
        elif found == "sitemap":
            links = feeds.sitemap_links(got.url, got.body, limit)
        elif found == "sitemapindex":
            links = self._index(got, limit, problems)
        else:
            kind = got.media_type or "no content type"
            raise FetchError(url, f"not an HTML page, a feed or a sitemap ({kind})")
        return _Got(tuple(problems), tuple(links), _fetched(url, got))

    def _index(self, index: Response, limit: int, problems: list[InputError]) -> list[Link]:
        """The pages of the sitemaps a sitemap index lists (one level deep), up to ``limit``;
        a child sitemap that cannot be read is a problem of its own."""
        out: list[Link] = []
        for child in feeds.sitemap_links(index.url, index.body, limit):
            try:
                got = self._fetcher.get(child.url)
                if isinstance(got, Response):
                    out += feeds.sitemap_links(got.url, got.body, limit - len(out))
            except InputError as err:
                problems.append(err)
            if len(out) >= limit:
                break
        return out

    def _get(self, url: str) -> Response | NotModified:
        return self._fetcher.get(url, self._known.get(url))


def _fetched(url: str, got: Response) -> tuple[Fetched, ...]:
    v = got.validators
    return (Fetched(url, v.etag, v.last_modified),) if v.etag or v.last_modified else ()


def _new_links(tops: Sequence[_Got], targets: Sequence[str]) -> list[Link]:
    """Every item link once (by canonical URL), leaving out pages that were inputs."""
    seen = {urls.canonical(t) for t in targets}
    out = []
    for top in tops:
        for link in top.links:
            key = urls.canonical(link.url)
            if key not in seen:
                seen.add(key)
                out.append(link)
    return out


def _assemble(tops: Sequence[_Got], links: Sequence[Link], items: Sequence[_Got]) -> WebRead:
    by_key = {urls.canonical(link.url): got for link, got in zip(links, items, strict=True)}
    ordered: list[Article | InputError] = []
    fetched: list[Fetched] = []
    for top in tops:
        ordered.extend(top.items)
        found = [by_key.pop(urls.canonical(link.url), _Got()) for link in top.links]
        for got in found:
            ordered.extend(got.items)
            fetched.extend(got.fetched)
        # A feed is remembered only when all its items could be read: otherwise the next poll
        # would get a 304 for it and never retry the items that failed.
        if not any(isinstance(i, InputError) for got in (top, *found) for i in got.items):
            fetched.extend(top.fetched)
    articles = _unique([i for i in ordered if isinstance(i, Article)])
    problems = tuple(i for i in ordered if isinstance(i, InputError))
    return WebRead(articles, problems, tuple(fetched))


def _unique(articles: list[Article]) -> tuple[Article, ...]:
    """One copy of an article seen under several URLs: same canonical URL, else same text."""
    urls_seen: set[str] = set()
    hashes: set[str] = set()
    out = []
    for art in articles:
        digest = content_hash(art)
        if (art.url and art.url in urls_seen) or digest in hashes:
            continue
        urls_seen.add(art.url or "")
        hashes.add(digest)
        out.append(art)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class _Runner:
    pool: ThreadPoolExecutor

    def __call__(self, fn: Callable[[T], R], items: list[T]) -> list[R]:
        return list(self.pool.map(fn, items))


class _Pool:
    """A thread pool whose queued work is dropped, not waited for, on Ctrl-C or any error."""

    def __init__(self, workers: int) -> None:
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="newsfuse-fetch")

    def __enter__(self) -> _Runner:
        return _Runner(self._pool)

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self._pool.shutdown(wait=kind is None, cancel_futures=kind is not None)


__all__ = ["WebRead", "read"]
