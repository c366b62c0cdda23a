"""robots.txt, honoured per origin and read once per run (RFC 9309 through the standard
library's parser): none there (4xx) allows everything; unreachable (5xx, network error)
allows nothing, as the RFC asks."""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.robotparser import RobotFileParser

from newsfuse.fetch.guard import Pinned

Origin = tuple[str, str, int]
_DISALLOW_ALL = ["User-agent: *", "Disallow: /"]


class Robots:
    """The robots.txt rules of every origin met in one run. ``fetch`` returns an origin's
    robots.txt text, "" when it has none, None when it cannot be read."""

    def __init__(self, fetch: Callable[[Pinned], str | None], token: str) -> None:
        self._fetch, self._token = fetch, token
        self._lock = threading.Lock()
        self._locks: dict[Origin, threading.Lock] = {}
        self._parsers: dict[Origin, RobotFileParser] = {}

    def allowed(self, pinned: Pinned) -> bool:
        return self._parser(pinned).can_fetch(self._token, pinned.url)

    def delay(self, pinned: Pinned) -> float:
        """The origin's Crawl-delay for us, once its robots.txt was read (never fetches)."""
        parser = self._parsers.get(_origin(pinned))
        found = parser.crawl_delay(self._token) if parser is not None else None
        return float(found) if found else 0.0

    def _parser(self, pinned: Pinned) -> RobotFileParser:
        origin = _origin(pinned)
        with self._lock:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:  # one fetch per origin, even when several threads ask at once
            if origin not in self._parsers:
                self._parsers[origin] = _parse(self._fetch(pinned))
            return self._parsers[origin]


def _parse(text: str | None) -> RobotFileParser:
    parser = RobotFileParser()
    parser.parse(_DISALLOW_ALL if text is None else text.splitlines())
    return parser


def _origin(pinned: Pinned) -> Origin:
    return (pinned.scheme, pinned.host, pinned.port)


__all__ = ["Robots"]
