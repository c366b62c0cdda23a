"""Command line: thin commands over the library functions.

Exit codes: 0 a result was written, 1 no input could be read, 2 usage or settings error,
130 interrupted.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

import click
import rich.progress
from rich.console import Console

from newsfuse import config
from newsfuse.clean import clean_articles
from newsfuse.errors import ConfigError, InputError, NewsfuseError
from newsfuse.model import Article, CleanArticle
from newsfuse.pipeline import brief_articles
from newsfuse.readers import read_inputs
from newsfuse.writers import WRITERS, render

T = TypeVar("T")
EXIT_NO_INPUT = 1
EXIT_USAGE = 2

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
@_inputs
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
    words: int | None,
    focus: str | None,
    fmt: str,
    models: bool | None,
    config_path: str | None,
    output: Path | None,
) -> None:
    """Brief INPUTS: files (.txt .html .jsonl), directories, or - for stdin."""

    def run() -> str:
        settings = config.load(config_path).with_flags(words=words, focus=focus, models=models)
        articles = _read(inputs)
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
    """Run a command body; newsfuse errors become one line on stderr and an exit code."""
    try:
        return run()
    except KeyboardInterrupt:
        click.echo("newsfuse: interrupted", err=True)
        sys.exit(130)
    except ConfigError as err:
        click.echo(f"newsfuse: error: {err}", err=True)
        sys.exit(EXIT_USAGE)
    except InputError as err:
        click.echo(f"newsfuse: error: {err}", err=True)
        sys.exit(EXIT_NO_INPUT)
    except NewsfuseError as err:
        click.echo(f"newsfuse: error: {err}", err=True)
        sys.exit(EXIT_NO_INPUT)


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


__all__ = ["cli", "main"]
