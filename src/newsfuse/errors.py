"""The one exception tree of newsfuse.

::

    NewsfuseError                 anything newsfuse raises on purpose
    ├── InputError                an input cannot be used: unreadable, empty, binary, too large,
    │   │                         unsupported extension, bad JSON line. Carries the input's name.
    │   └── FetchError            a URL could not be used: HTTP error, timeout, too big, not
    │       │                     HTML, robots.txt. Carries the URL.
    │       └── BlockedAddress    refused before any connection: the host is not public
    ├── ConfigError               a setting or option is invalid (bad TOML, words <= 0, ...)
    ├── StageError                a pipeline stage failed on data it was given
    └── MissingModel              an optional model or package is not installed

Library errors are translated at the boundary with ``raise ... from``; messages name the file and
say how to fix the problem.
"""

from __future__ import annotations


class NewsfuseError(Exception):
    """Base class of every error newsfuse raises on purpose."""


_REASON_CHARS = 300  # room for a parser's message and a quoted fragment of the input
_SOURCE_CHARS = 1000  # a long URL or path is kept whole; only a pathological one is cut


def one_line(text: str, limit: int) -> str:
    """``text`` as one printable line: line breaks, control and format characters and lone
    surrogates (from undecodable file names) escaped as ``\\xNN``/``\\uNNNN``, cut to ``limit``
    characters with an ellipsis."""
    shown = "".join(c if c.isprintable() or c == " " else _escape(c) for c in text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _escape(c: str) -> str:
    n = ord(c)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"


class InputError(NewsfuseError):
    """An input could not be used. ``source`` names the file, ``-`` for stdin."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        # A reason often quotes the input or a parser's message about it (a WARC line, a
        # feed's bytes): one printable line, so that every problem stays one line of output.
        self.reason = one_line(reason, _REASON_CHARS)
        super().__init__(f"{one_line(source, _SOURCE_CHARS)}: {self.reason}")


class FetchError(InputError):
    """A URL could not be fetched or used. ``source`` is the URL; ``status`` the HTTP status
    when the server answered with an error."""

    def __init__(self, source: str, reason: str, status: int | None = None) -> None:
        super().__init__(source, reason)
        self.status = status


class BlockedAddress(FetchError):
    """A URL was refused before any connection: its host is not a public address."""


class ConfigError(NewsfuseError):
    """A setting is invalid."""


class StageError(NewsfuseError):
    """A pipeline stage could not complete."""


class MissingModel(NewsfuseError):
    """An optional model or package is not installed; the message says what to install."""
