"""Limits in time: what one URL may spend (`Budget`) and how requests to one host are paced
(`HostGate`). A `Fetcher` keeps one gate for its run and gives each URL its own budget."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Clock = Callable[[], float]


class Budget:
    """The time one URL may take: its requests, bodies and retry waits, redirects included.
    Waiting for a turn at a busy host does not count: that is the politeness, not the URL."""

    def __init__(self, seconds: float, clock: Clock) -> None:
        self._left, self._clock = seconds, clock
        self._since: float | None = None

    @contextmanager
    def running(self) -> Iterator[None]:
        self._since = self._clock()
        try:
            yield
        finally:
            self._left -= self._clock() - self._since
            self._since = None

    def left(self) -> float:
        spent = self._clock() - self._since if self._since is not None else 0.0
        return self._left - spent


class HostGate:
    """Per-host limits: at most ``per_host`` requests at a time, starts ``spacing`` apart."""

    def __init__(self, per_host: int, sleep: Callable[[float], None], clock: Clock) -> None:
        self._per_host, self._sleep, self._clock = per_host, sleep, clock
        self._lock = threading.Lock()
        self._slots: dict[str, threading.Semaphore] = {}
        self._next: dict[str, float] = {}

    @contextmanager
    def slot(self, host: str, spacing: float) -> Iterator[None]:
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.Semaphore(self._per_host))
        with semaphore:
            with self._lock:
                now = self._clock()
                start = max(now, self._next.get(host, now))
                self._next[host] = start + spacing
            if start > now:
                self._sleep(start - now)
            yield


__all__ = ["Budget", "Clock", "HostGate"]
