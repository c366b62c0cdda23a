"""What every command shares: reading inputs with problems reported, progress on stderr,
errors turned into one line and an exit code, and writing the result."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import click
import rich.progress
from rich.console import Console

from newsfuse.cli.exits import EXIT_NO_INPUT, exit_on_error
from newsfuse.errors import InputError
from newsfuse.fetch import Settings as FetchSettings
from newsfuse.fetch import Web
from newsfuse.model import Article

T = TypeVar("T")

inputs_argument = click.argument("inputs", nargs=-1, required=True)
config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="TOML settings file, one table per stage ([summarize], [support], [fetch] ...).",
)
output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here, not stdout.",
)

allow_host_option = click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="HOST",
    help="Fetch from this host although it is not public (intranet, test server): a name, "
    "an IP or a CIDR network. Repeatable. Otherwise only public addresses are fetched.",
)


def web(allow_hosts: Iterable[str], base: FetchSettings | None = None) -> Web:
    """How URLs are fetched: ``base`` settings (default: the defaults) plus --allow-host."""
    base = base or FetchSettings()
    return Web(dataclasses.replace(base, allow_hosts=(*base.allow_hosts, *allow_hosts)))


def read(inputs: Iterable[str], web: Web | None = None) -> list[Article]:
    from newsfuse.readers import read_inputs  # the HTML extractor loads on first use

    result = read_inputs(list(inputs), track=progress("reading"), web=web)
    for problem in result.problems:
        click.echo(f"newsfuse: skipped {problem}", err=True)
    if not result.articles:
        raise InputError("inputs", "no input could be read")
    return list(result.articles)


def progress(label: str) -> Callable[[Sequence[T]], Iterable[T]]:
    """A progress bar on stderr for long lists, shown only on a terminal."""
    console = Console(stderr=True)

    def track(items: Sequence[T]) -> Iterable[T]:
        if len(items) < 20 or not console.is_terminal:
            return items
        return rich.progress.track(items, description=label, console=console, transient=True)

    return track


def guard(run: Callable[[], str]) -> str:
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


def emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as err:
        click.echo(f"newsfuse: error: {output}: cannot write ({err.strerror})", err=True)
        sys.exit(EXIT_NO_INPUT)
