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


class InputError(NewsfuseError):
    """An input could not be used. ``source`` names the file, ``-`` for stdin."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


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
