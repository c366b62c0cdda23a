"""Command line: thin commands over the library functions.

Exit codes: 0 a result was written, 1 no input could be read, 2 usage or settings error,
130 interrupted.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import click
import rich.progress
from rich.console import Console

from newsfuse import config
from newsfuse.clean import clean_articles
from newsfuse.errors import InputError
from newsfuse.exits import EXIT_NO_INPUT, exit_on_error
from newsfuse.model import Article, CleanArticle
from newsfuse.pipeline import brief_articles
from newsfuse.readers import read_inputs
from newsfuse.writers import WRITERS, render

T = TypeVar("T")

_inputs = click.argument("inputs", nargs=-1, required=True)
_output = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here, not stdout.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsfuse")
def cli() -> None:
    """newsfuse: one faithful, cited briefing from many outlets' coverage of one event."""


@cli.command()
@click.argument("inputs", nargs=-1)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Brief a story of this store instead of INPUTS (with --story).",
)
@click.option("--story", type=int, default=None, help="Story id (newsfuse stories --list).")
@click.option("--words", type=int, default=None, help="Summary word budget (default 120).")
@click.option("--focus", default=None, help="Question or topic the summary should answer.")
@click.option("--format", "fmt", type=click.Choice(sorted(WRITERS)), default="markdown")
@click.option(
    "--models/--no-models",
    default=None,
    help="Find names with the spaCy pipeline when installed (default), or the fast path.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="TOML settings file, one table per stage (clean, summarize, align, quotes...).",
)
@_output
def brief(
    inputs: tuple[str, ...],
    db: Path | None,
    story: int | None,
    words: int | None,
    focus: str | None,
    fmt: str,
    models: bool | None,
    config_path: str | None,
    output: Path | None,
) -> None:
    """Brief INPUTS: files (.txt .html .jsonl), directories, or - for stdin; or one story of a
    store: --db news.db --story ID."""

    def run() -> str:
        settings = config.load(config_path).with_flags(words=words, focus=focus, models=models)
        articles = inputs_or_story(inputs, db, story, _read)
        return render(brief_articles(articles, settings), fmt)

    _emit(_guard(run), output)


@cli.command()
@_inputs
@click.option("--format", "fmt", type=click.Choice(["jsonl", "text"]), default="jsonl")
@_output
def clean(inputs: tuple[str, ...], fmt: str, output: Path | None) -> None:
    """Write the cleaned articles: one JSON object a line, or plain text."""

    def run() -> str:
        cleaned = clean_articles(_read(inputs))
        return "".join(_clean_line(c, fmt) for c in cleaned)

    _emit(_guard(run), output)


def _read(inputs: Iterable[str]) -> list[Article]:
    result = read_inputs(list(inputs), track=_progress("reading"))
    for problem in result.problems:
        click.echo(f"newsfuse: skipped {problem}", err=True)
    if not result.articles:
        raise InputError("inputs", "no input could be read")
    return list(result.articles)


def _progress(label: str) -> Callable[[Sequence[T]], Iterable[T]]:
    """A progress bar on stderr for long lists, shown only on a terminal."""
    console = Console(stderr=True)

    def track(items: Sequence[T]) -> Iterable[T]:
        if len(items) < 20 or not console.is_terminal:
            return items
        return rich.progress.track(items, description=label, console=console, transient=True)

    return track


def _clean_line(c: CleanArticle, fmt: str) -> str:
    a = c.article
    if fmt == "text":
        return f"# {a.id}\n{c.text}\n\n"
    record = {
        "id": a.id,
        "title": a.title,
        "outlet": a.outlet,
        "published": a.published,
        "text": c.text,
    }
    return json.dumps(record, ensure_ascii=False) + "\n"


def _guard(run: Callable[[], str]) -> str:
    """Run a command body; newsfuse errors become one line on stderr and an exit code.

    While it runs, file descriptor 1 points at stderr: native libraries (the MIP solver among
    them) can print diagnostics straight to the process's stdout, which would corrupt JSON
    written there. The result is written after stdout is restored."""
    with exit_on_error(), _stdout_to_stderr():
        return run()


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real stdout (embedded): nothing to protect
        yield
        return
    os.dup2(2, 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as err:
        click.echo(f"newsfuse: error: {output}: cannot write ({err.strerror})", err=True)
        sys.exit(EXIT_NO_INPUT)


def main() -> None:
    cli()


from newsfuse.cli_stories import ingest, inputs_or_story, stories  # noqa: E402

cli.add_command(ingest)
cli.add_command(stories)


__all__ = ["cli", "main"]
