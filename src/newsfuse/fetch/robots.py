"""robots.txt, honoured per origin and read once per run (RFC 9309 through the standard
library's parser): none there (4xx) allows everything; unreachable (5xx, network error)
allows nothing, as the RFC asks."""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.robotparser import RobotFileParser

from newsfuse.errors import FetchError
from newsfuse.fetch.guard import Pinned

Origin = tuple[str, str, int]


class Robots:
    """The robots.txt rules of every origin met in one run. ``fetch`` returns an origin's
    robots.txt text ("" when it has none) or raises `FetchError` when it cannot be read."""

    def __init__(self, fetch: Callable[[Pinned], str], token: str) -> None:
        self._fetch, self._token = fetch, token
        self._lock = threading.Lock()
        self._locks: dict[Origin, threading.Lock] = {}
        self._parsers: dict[Origin, RobotFileParser | str] = {}

    def refusal(self, pinned: Pinned) -> str | None:
        """Why robots.txt forbids ``pinned.url``, or None when it may be fetched."""
        rules = self._rules(pinned)
        if isinstance(rules, str):
            return f"robots.txt of {pinned.host} cannot be read ({rules}), so nothing there is"
        if not rules.can_fetch(self._token, pinned.url):
            return f"disallowed by robots.txt of {pinned.host}"
        return None

    def delay(self, pinned: Pinned) -> float:
        """The origin's Crawl-delay for us, once its robots.txt was read (never fetches)."""
        parser = self._parsers.get(_origin(pinned))
        found = parser.crawl_delay(self._token) if isinstance(parser, RobotFileParser) else None
        return float(found) if found else 0.0

    def _rules(self, pinned: Pinned) -> RobotFileParser | str:
        """The origin's parsed rules, or the reason they could not be read."""
        origin = _origin(pinned)
        with self._lock:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:  # one fetch per origin, even when several threads ask at once
            if origin not in self._parsers:
                self._parsers[origin] = self._read(pinned)
            return self._parsers[origin]

    def _read(self, pinned: Pinned) -> RobotFileParser | str:
        try:
            text = self._fetch(pinned)
        except FetchError as err:
            return err.reason
        parser = RobotFileParser()
        parser.parse(text.splitlines())
        return parser


def _origin(pinned: Pinned) -> Origin:
    return (pinned.scheme, pinned.host, pinned.port)


__all__ = ["Robots"]
