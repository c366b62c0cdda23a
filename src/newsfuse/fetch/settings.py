"""Settings of the fetcher (limits, timeouts, politeness) and `Web`, what a reader of remote
inputs is given: the settings and the memory of earlier fetches. Light to import: no HTTP here."""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from typing import Protocol

from newsfuse.errors import ConfigError
from newsfuse.fetch.guard import AllowList, Resolver


@dataclass(frozen=True, slots=True)
class Settings:
    # Hosts that may be fetched although not public (--allow-host): names, IPs, CIDR networks.
    allow_hosts: tuple[str, ...] = ()
    # A news page is well under 1 MB of HTML and a feed well under 2 MB; 10 MB leaves room for
    # inline-heavy pages while a decompression bomb is cut off at 10 MB, not inflated.
    max_bytes: int = 10 * 2**20
    connect_timeout: float = 10.0  # seconds to open a connection
    read_timeout: float = 20.0  # seconds a server may stay silent mid-response
    total_timeout: float = 60.0  # seconds for one URL, redirects and retries included
    max_redirects: int = 5
    attempts: int = 3  # tries of a URL that fails transiently (connection error, 5xx, 429)
    backoff: float = 1.0  # seconds before the second try; doubles after each failure
    max_retry_after: float = 60.0  # a longer Retry-After gives the URL up for this run
    # One request a second to one host, at most two at a time: the usual courtesy of polite
    # crawlers; a robots.txt Crawl-delay raises the spacing (up to max_crawl_delay).
    host_delay: float = 1.0
    per_host: int = 2
    max_crawl_delay: float = 30.0
    workers: int = 4  # URLs fetched at a time, over all hosts
    max_items: int = 100  # items taken from one feed or sitemap (the newest come first)

    def __post_init__(self) -> None:
        AllowList.parse(self.allow_hosts)  # raises ConfigError on a malformed entry
        positive = ("max_bytes", "connect_timeout", "read_timeout", "total_timeout", "attempts")
        for name in (*positive, "per_host", "workers", "max_items"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"fetch {name} must be > 0, got {getattr(self, name)}")
        if self.max_redirects < 0 or self.host_delay < 0 or self.backoff < 0:
            raise ConfigError("fetch max_redirects, host_delay and backoff must be >= 0")

    @property
    def allow(self) -> AllowList:
        return AllowList.parse(self.allow_hosts)


class Memory(Protocol):
    """Where the validators of earlier fetches are kept (the store): ``(etag, last_modified)``
    of a URL, or None when it was never fetched."""

    def validators(self, url: str) -> tuple[str | None, str | None] | None: ...


@dataclass(frozen=True, slots=True)
class Fetched:
    """A URL whose server gave validators: remember them once its articles are kept, so the
    next request for it is conditional."""

    url: str
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True, slots=True)
class Web:
    """How remote inputs are read: fetch settings, the memory of earlier fetches (None: every
    request is unconditional) and, for tests, the resolver and the trusted certificates."""

    settings: Settings = field(default_factory=Settings)
    memory: Memory | None = None
    resolve: Resolver | None = None
    tls: ssl.SSLContext | None = None


__all__ = ["Fetched", "Memory", "Settings", "Web"]
