"""Commands ``ingest`` and ``stories``: thin wrappers over `newsfuse.store` and
`newsfuse.stories`. Registered on the main group in `newsfuse.cli`.

Exit codes: 0 ok, 1 no input, 2 usage, 130 interrupted. Progress bars go to stderr.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newsfuse.cli.common import allow_host_option, config_option, web
from newsfuse.cli.exits import exit_on_error
from newsfuse.errors import ConfigError, InputError, one_line
from newsfuse.fetch import Web, feed_list, is_remote
from newsfuse.model import Article
from newsfuse.store import Settings as StoreSettings
from newsfuse.store import Store, StorySummary

if TYPE_CHECKING:
    from newsfuse.stories import Run

# The readers (the HTML extractor) and the story stages (NumPy, Dask) are imported inside the
# functions that use them: `newsfuse --help` and `newsfuse brief` do not pay for them.

_db = click.option(
    "--db", type=click.Path(dir_okay=False, path_type=Path), help="SQLite store (news.db)."
)


@click.command()
@click.argument("inputs", nargs=-1)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("news.db"),
    show_default=True,
    help="SQLite store to add to (created when missing).",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=500,
    show_default=True,
    help="Articles per transaction.",
)
@click.option(
    "--feeds",
    "feeds_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also read these feeds: one URL a line (# comments), or an OPML file.",
)
@click.option(
    "--every",
    default=None,
    metavar="DURATION",
    help="Poll again every DURATION (30m, 1h, at least 1m) until interrupted.",
)
@config_option
@allow_host_option
def ingest(
    inputs: tuple[str, ...],
    db: Path,
    batch_size: int,
    feeds_file: Path | None,
    every: str | None,
    config_path: str | None,
    allow_hosts: tuple[str, ...],
) -> None:
    """Add the articles of INPUTS (files, directories, - for stdin, URLs, feeds, sitemaps,
    WARC files) to the store.

    Idempotent: an article already stored (same title and text, or same URL) is skipped. Each
    batch is one transaction, so an interrupted run keeps what it committed; run it again to
    finish. A URL fetched before is asked for conditionally: if unchanged, it adds nothing.
    """
    if not inputs and feeds_file is None:
        _usage("give INPUTS or --feeds FILE")
    interval = _duration(every) if every is not None else None

    def run() -> None:
        from newsfuse import config

        fetching = web(allow_hosts, config.load(config_path).fetch)
        targets = [*inputs, *(_feed_list(feeds_file) if feeds_file else ())]
        with Store(db) as store:
            while True:
                added, skipped, failed = _ingest_round(store, targets, fetching, batch_size)
                click.echo(f"newsfuse: {added} added, {skipped} already stored, in {db}", err=True)
                if interval is None:
                    if failed and not added + skipped:  # (all unchanged since the last poll: ok)
                        raise InputError("inputs", "no input could be read")
                    return
                time.sleep(interval)

    _guard(run)


def _ingest_round(
    store: Store, targets: list[str], fetching: Web, batch_size: int
) -> tuple[int, int, int]:
    """One pass over the inputs: files one at a time (each committed), then every URL and
    WARC together; validators of fetched URLs are kept once their articles are stored.
    Returns the articles added, those already stored, and the inputs that could not be used."""
    added = skipped = failed = 0
    remote = [t for t in targets if is_remote(t)]
    batches = [[t] for t in targets if not is_remote(t)] + ([remote] if remote else [])
    from newsfuse.readers import read_inputs

    with _progress("ingest", None) as tick:
        for batch in batches:
            result = read_inputs(batch, web=replace(fetching, memory=store))
            for problem in result.problems:
                click.echo(f"newsfuse: skipped {problem}", err=True)
            report = store.ingest(result.articles, StoreSettings(batch_size), tick)
            store.remember((f.url, f.etag, f.last_modified) for f in result.fetched)
            added, skipped = added + report.added, skipped + report.skipped
            failed += len(result.problems)
    return added, skipped, failed


def _feed_list(path: Path) -> list[str]:
    try:
        return feed_list(str(path), path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(str(path), f"cannot read the feed list ({err})") from err


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _duration(text: str) -> float:
    """Seconds in "90s", "15m", "1h", "1d"; polling more often than once a minute is refused
    (feeds rarely change faster, and servers should not be hammered)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd])\s*", text.lower())
    if match is None:
        raise click.UsageError(f"--every {text!r}: give a duration such as 30m, 1h or 90s")
    seconds = float(match[1]) * _UNITS[match[2]]
    if seconds < 60:
        raise click.UsageError(f"--every {text!r}: poll at most once a minute")
    return seconds


@click.command()
@click.argument("inputs", nargs=-1)
@_db
@click.option("--list", "list_", is_flag=True, help="List the stories of the store.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Stories to list, largest first.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "text"]), default="jsonl", show_default=True
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Vectorize on a local Dask cluster of N worker processes.",
)
@click.option("--scheduler", default=None, help="Vectorize on an existing Dask cluster.")
@click.option("--rebuild", is_flag=True, help="Forget the store's stories and start over.")
@allow_host_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here, not stdout.",
)
def stories(
    inputs: tuple[str, ...],
    db: Path | None,
    list_: bool,
    limit: int,
    fmt: str,
    workers: int | None,
    scheduler: str | None,
    rebuild: bool,
    allow_hosts: tuple[str, ...],
    output: Path | None,
) -> None:
    """Group articles into stories.

    \b
    newsfuse stories --db news.db            assign new articles of the store to stories
    newsfuse stories --db news.db --list     show stories: size, time span, entities, title
    newsfuse stories FILE.jsonl              one {"id": ..., "story": ...} per input article
    """
    if bool(inputs) == bool(db):
        _usage("give INPUTS or --db (one of the two)")
    if list_ and not db:
        _usage("--list needs --db")
    run = _run(workers, scheduler)

    def body() -> None:
        with _open_output(output) as write:
            if db is None:
                _stories_of_files(inputs, run, write, fmt, web(allow_hosts))
            elif list_:
                _list(db, limit, fmt, write)
            else:
                _update(db, run, rebuild)

    _guard(body)


def inputs_or_story(
    inputs: tuple[str, ...],
    db: Path | None,
    story: int | None,
    read: Callable[[tuple[str, ...]], list[Article]],
) -> list[Article]:
    """The articles ``brief`` works on: INPUTS, or story ``story`` of store ``db``."""
    if db is None and story is None:
        if not inputs:
            raise ConfigError("give INPUTS to brief, or --db news.db --story ID")
        return read(inputs)
    if inputs or db is None or story is None:
        raise ConfigError("brief either INPUTS or --db with --story, not both")
    with Store(db, create=False) as store:
        articles = store.story_articles(story)
    if not articles:
        raise InputError(str(db), f"no story {story}; list them: newsfuse stories --db {db} --list")
    return articles


def _run(workers: int | None, scheduler: str | None) -> Run:
    from newsfuse.stories import Run
    from newsfuse.stories import dask as dask_runner

    if workers is None and scheduler is None:
        return Run()
    settings = dask_runner.Settings(workers=workers or 2, scheduler=scheduler)
    return Run(runner=partial(dask_runner.cluster, settings=settings))


def _stories_of_files(
    inputs: tuple[str, ...], run: Run, write: Callable[[str], None], fmt: str, fetching: Web
) -> None:
    from newsfuse.readers import read_inputs
    from newsfuse.stories import assign_stories

    result = read_inputs(list(inputs), web=fetching)
    for problem in result.problems:
        click.echo(f"newsfuse: skipped {problem}", err=True)
    if not result.articles:
        raise InputError("inputs", "no input could be read")
    with _progress("stories", len(result.articles)) as tick:
        found = assign_stories(result.articles, run, tick)
        for art, story in zip(result.articles, found, strict=True):
            if fmt == "jsonl":
                write(json.dumps({"id": art.id, "story": story}, ensure_ascii=False) + "\n")
            else:
                write(f"{story}\t{art.id}\n")


def _update(db: Path, run: Run, rebuild: bool) -> None:
    from newsfuse.stories import update_store

    with Store(db, create=False) as store:
        if rebuild:
            store.reset_stories("stories")
        with _progress("stories", store.count()) as tick:
            done = update_store(store, run, tick)
        click.echo(f"newsfuse: {done} articles assigned to stories in {db}", err=True)


def _list(db: Path, limit: int, fmt: str, write: Callable[[str], None]) -> None:
    from newsfuse.stories import top_entities

    with Store(db, create=False) as store:
        if fmt == "text":
            write(f"{'story':>7} {'size':>6}  {'first..last':<22} {'top names':<40}  title\n")
        for s in store.stories(limit):
            names = top_entities(store.story_articles(s.story))
            write(_story_line(s, names, fmt))


def _story_line(s: StorySummary, names: list[str], fmt: str) -> str:
    if fmt == "jsonl":
        record = {
            "story": s.story,
            "size": s.size,
            "first": s.first,
            "last": s.last,
            "entities": names,
            "title": s.title,
        }
        return json.dumps(record, ensure_ascii=False) + "\n"
    span = f"{s.first or '?'}..{s.last or '?'}"
    # one row a story: control and direction characters of stored titles shown escaped
    shown = one_line(", ".join(names), 40)
    return f"{s.story:>7} {s.size:>6}  {span:<22} {shown:<40}  {one_line(s.title or '', 200)}\n"


@contextmanager
def _progress(label: str, total: int | None) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr (only on a terminal); yields ``advance(n)``."""
    console = Console(stderr=True)
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


@contextmanager
def _open_output(output: Path | None) -> Iterator[Callable[[str], None]]:
    if output is None:
        yield lambda text: click.echo(text, nl=False)
        return
    try:
        with output.open("w", encoding="utf-8") as fh:

            def write(text: str) -> None:
                fh.write(text)

            yield write
    except OSError as err:
        raise InputError(str(output), f"cannot write ({err.strerror})") from err


def _usage(message: str) -> None:
    raise click.UsageError(message)


def _guard(run: Callable[[], None]) -> None:
    """Run a command body; errors become one line on stderr and an exit code."""
    with exit_on_error("interrupted (committed work is kept; run again to finish)"):
        run()


__all__ = ["ingest", "stories"]
