"""The FastAPI app: routes that validate a request, hand it to `work` off the event loop and
return what the library wrote. No briefing logic lives here.

Briefing is CPU work: it runs in ``workers`` processes (0: one thread of this process), so the
event loop keeps answering while briefings run, and concurrent requests queue for a worker.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib import metadata, resources
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse

from newsfuse import config
from newsfuse.errors import ConfigError
from newsfuse.model import Article
from newsfuse.readers import ReadResult, RecordsResult, read_named, read_records
from newsfuse.server import limits, schema, work
from newsfuse.writers import html

T = TypeVar("T")

MAX_BODY = 20 * 2**20  # 20 MB: a day of one outlet's articles as HTML fits; a dump does not
PAGE_STORIES = 50  # stories listed on the web page


@dataclass(frozen=True, slots=True)
class Settings:
    db: Path = Path("news.db")
    workers: int = 0  # briefing processes; 0 runs briefings in one thread of this process
    max_body: int = MAX_BODY
    pipeline: config.Settings = field(default_factory=config.Settings)

    def __post_init__(self) -> None:
        if self.workers < 0 or self.max_body < 1:
            raise ConfigError("server workers must be >= 0 and max_body >= 1")


@dataclass(frozen=True, slots=True)
class Pools:
    brief: Executor
    store: Executor  # one thread: the store's writes and story assignment never interleave


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(
        title="newsfuse",
        version=metadata.version("newsfuse"),
        summary="One faithful, cited briefing from many outlets' coverage of one event.",
        docs_url=None,  # the interactive pages load their scripts from a CDN: left out
        redoc_url=None,
        lifespan=functools.partial(_lifespan, settings),
    )
    app.add_middleware(limits.BodyLimit, max_bytes=settings.max_body)
    limits.install(app)
    app.include_router(_router())
    return app


def wants_html(request: Request) -> bool:
    """True when the client asks for HTML before JSON (a browser does; curl and tools don't)."""
    kinds = [p.split(";")[0].strip().lower() for p in request.headers.get("accept", "").split(",")]
    if "text/html" not in kinds:
        return False
    return "application/json" not in kinds or kinds.index("text/html") < kinds.index(
        "application/json"
    )


# -- routes


async def page(request: Request) -> HTMLResponse:
    rows = await _store(request, work.stories, 0, PAGE_STORIES)
    report = html.assets()
    folder = resources.files("newsfuse") / "templates"
    js = (folder / "page.js").read_text(encoding="utf-8")
    text = (
        html.environment().get_template("page.html.j2").render(stories=rows, assets=report, js=js)
    )
    # The page's script and the report's (which runs inside the page's sandboxed frame).
    policy = html.csp_for(js, report.js) + "; connect-src 'self'"
    return HTMLResponse(text, headers=_headers(policy))


async def healthz() -> schema.Health:
    return schema.Health(status="ok")


async def brief(body: schema.BriefIn, request: Request) -> Response:
    articles = await _articles(body)
    settings = _settings(request).pipeline.with_flags(words=body.words, focus=body.focus)
    return await _briefing(request, articles, settings)


async def check(body: schema.CheckIn, request: Request) -> Response:
    """Which of the articles report the claim, which give other numbers, which are silent."""
    articles = await _articles(body)
    pools: Pools = request.app.state.pools
    call = functools.partial(work.check, body.claim, articles, _settings(request).pipeline)
    text = await asyncio.get_running_loop().run_in_executor(pools.brief, call)
    return Response(text, media_type="application/json")


async def read_file(body: schema.FileIn) -> schema.FileRead:
    """The articles of one file, read as the command line reads it (the page's uploads)."""
    return _file_read(await asyncio.to_thread(read_named, body.name, body.content))


async def fetch_urls(body: schema.UrlsIn, request: Request) -> schema.FileRead:
    """The articles of article, feed or sitemap URLs, fetched as the command line fetches them
    (public addresses only unless the settings allow a host); unusable URLs are problems."""
    settings = _settings(request).pipeline
    return _file_read(await asyncio.to_thread(work.fetch, body.urls, settings))


def _file_read(read: ReadResult) -> schema.FileRead:
    fields = ("id", "title", "text", "url", "outlet", "published")
    return schema.FileRead(
        articles=[schema.ArticleOut(**{f: getattr(a, f) for f in fields}) for a in read.articles],
        problems=[str(p) for p in read.problems],
    )


async def add_articles(body: schema.ArticlesIn, request: Request) -> schema.Added:
    read = await _read(body)
    report = (
        await _store(request, work.add, list(read.articles))
        if read.articles
        else work.AddReport(0, 0)
    )
    rejected = [schema.Rejected(index=i, error=err.reason) for i, err in read.rejected]
    return schema.Added(added=report.added, known=report.known, rejected=rejected)


async def list_stories(
    request: Request,
    limit: int = Query(20, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> list[schema.Story]:
    rows = await _store(request, work.stories, offset, limit)
    return [
        schema.Story(
            id=r.summary.story,
            size=r.summary.size,
            title=r.summary.title,
            first=r.summary.first,
            last=r.summary.last,
            names=list(r.names),
        )
        for r in rows
    ]


async def story_brief(story: int, request: Request) -> Response:
    articles = await _store(request, work.story_articles, story)
    if not articles:
        raise HTTPException(404, f"no story {story}")
    return await _briefing(request, articles, _settings(request).pipeline)


def _router() -> APIRouter:
    router = APIRouter()
    router.add_api_route("/", page, methods=["GET"], include_in_schema=False)
    router.add_api_route("/healthz", healthz, methods=["GET"])
    html_or_json: dict[int | str, dict[str, Any]] = {
        200: {"content": {"application/json": {}, "text/html": {}}}
    }
    router.add_api_route("/api/brief", brief, methods=["POST"], responses=html_or_json)
    router.add_api_route("/api/check", check, methods=["POST"])
    router.add_api_route("/api/articles", add_articles, methods=["POST"])
    router.add_api_route("/api/read", read_file, methods=["POST"])
    router.add_api_route("/api/fetch", fetch_urls, methods=["POST"])
    router.add_api_route("/api/stories", list_stories, methods=["GET"])
    router.add_api_route(
        "/api/stories/{story}/brief", story_brief, methods=["GET"], responses=html_or_json
    )
    return router


# -- helpers


@asynccontextmanager
async def _lifespan(settings: Settings, app: FastAPI) -> AsyncIterator[None]:
    pools = Pools(brief=_brief_pool(settings.workers), store=ThreadPoolExecutor(1))
    app.state.settings, app.state.pools = settings, pools
    loop = asyncio.get_running_loop()
    # Load the name model in the workers before the first request (one warm-up task per
    # worker; a worker that misses one loads the model on its first briefing).
    warm = functools.partial(work.warm, settings.pipeline)
    await asyncio.gather(
        *(loop.run_in_executor(pools.brief, warm) for _ in range(settings.workers or 1))
    )
    try:
        yield
    finally:
        pools.brief.shutdown(cancel_futures=True)
        pools.store.shutdown(cancel_futures=True)


def _brief_pool(workers: int) -> Executor:
    if workers == 0:
        return ThreadPoolExecutor(1)
    # spawn: a fresh interpreter, not a fork of a process that runs the event loop's threads
    return ProcessPoolExecutor(workers, mp_context=get_context("spawn"))


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _store(request: Request, fn: Callable[..., T], *args: Any) -> T:
    pools: Pools = request.app.state.pools
    call = functools.partial(fn, _settings(request).db, *args)
    return await asyncio.get_running_loop().run_in_executor(pools.store, call)


async def _briefing(
    request: Request, articles: list[Article], settings: config.Settings
) -> Response:
    pools: Pools = request.app.state.pools
    fmt = "html" if wants_html(request) else "json"
    call = functools.partial(work.brief, articles, settings, fmt)
    text = await asyncio.get_running_loop().run_in_executor(pools.brief, call)
    if fmt == "json":
        return Response(text, media_type="application/json")
    return HTMLResponse(text, headers=_headers(html.assets().csp))


async def _read(body: schema.ArticlesIn) -> RecordsResult:
    # off the event loop: an article given as HTML is extracted here (CPU work)
    return await asyncio.to_thread(read_records, [a.record() for a in body.articles])


async def _articles(body: schema.ArticlesIn) -> list[Article]:
    """Every article of the body, or 422 naming the first that cannot be used."""
    read = await _read(body)
    if read.rejected:
        i, err = read.rejected[0]
        raise HTTPException(422, f"articles[{i}]: {err.reason}")
    return list(read.articles)


def _headers(policy: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": policy + "; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }
