"""Exit codes of the command line, and the one place errors become them.

0 a result was written; 1 no input could be read (or another newsfuse error); 2 usage or
settings error; 130 interrupted.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from newsfuse.errors import ConfigError, NewsfuseError

EXIT_NO_INPUT = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


@contextmanager
def exit_on_error(interrupted: str = "interrupted") -> Iterator[None]:
    """newsfuse errors and Ctrl-C end the command with one line on stderr and an exit code,
    never a traceback."""
    try:
        yield
    except KeyboardInterrupt:
        click.echo(f"newsfuse: {interrupted}", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except ConfigError as err:
        click.echo(f"newsfuse: error: {err}", err=True)
        sys.exit(EXIT_USAGE)
    except NewsfuseError as err:
        click.echo(f"newsfuse: error: {err}", err=True)
        sys.exit(EXIT_NO_INPUT)
