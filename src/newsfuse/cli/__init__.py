"""Command line: thin commands over the library functions, one module per group of commands.

Exit codes: 0 a result was written, 1 no input could be read, 2 usage or settings error,
130 interrupted.
"""

from __future__ import annotations

import click

from newsfuse.cli.brief import brief, clean
from newsfuse.cli.check import check
from newsfuse.cli.corpus import ingest, stories
from newsfuse.cli.serve import serve


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsfuse")
def cli() -> None:
    """newsfuse: one faithful, cited briefing from many outlets' coverage of one event."""


for _command in (brief, check, clean, ingest, serve, stories):
    cli.add_command(_command)


def main() -> None:
    cli()


__all__ = ["cli", "main"]
