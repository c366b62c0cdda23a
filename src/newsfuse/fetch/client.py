"""One polite, guarded HTTP GET: `Fetcher.get`.

Every hop of a URL goes through the same steps: the guard checks the host and pins one of its
addresses; robots.txt of that host is consulted; the host's gate spaces the request from the
previous one; the request goes to the pinned address (Host header and TLS SNI name the host, so
the certificate is checked against the host name); redirects come back here to be checked from
the start. Bodies are read raw and decompressed here, so the size cap applies to what would be
held in memory. httpx errors become `FetchError` at this boundary.
"""

from __future__ import annotations

import email.utils
import ssl
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urljoin

import httpx

from newsfuse.errors import FetchError
from newsfuse.fetch import guard
from newsfuse.fetch.limits import Budget, Clock, HostGate
from newsfuse.fetch.robots import Robots
from newsfuse.fetch.settings import Settings


def _version() -> str:
    try:
        return version("newsfuse")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0"


ROBOTS_TOKEN = "newsfuse"
USER_AGENT = f"newsfuse/{_version()} (news briefing tool; honours robots.txt)"
_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1"
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_TRANSIENT = frozenset({500, 502, 503, 504})
_CHUNK = 65536


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said identifies its copy, to send back in a conditional request."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass(frozen=True, slots=True)
class Response:
    url: str  # the final URL, after redirects
    media_type: str  # lower case, no parameters ("text/html")
    charset: str | None
    body: bytes
    validators: Validators


@dataclass(frozen=True, slots=True)
class NotModified:
    """The server confirmed that the copy named by the validators sent is current (304)."""

    url: str


@dataclass(frozen=True, slots=True)
class _Redirect:
    location: str


class _Interrupted(Exception):
    """The fetcher was closed while a fetch waited."""


class _Retry(Exception):
    """A transient failure: try again after ``wait`` seconds (None: the backoff decides)."""

    def __init__(self, reason: str, wait: float | None = None, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason, self.wait, self.status = reason, wait, status


class Fetcher:
    """The HTTP side of one run: per-host clients, the per-host gate and the robots.txt cache.
    Use as a context manager; safe to share between threads. Closing it (Ctrl-C included)
    wakes every thread that waits its turn or a retry, and they give up.

    ``resolve`` and ``tls`` (the certificates trusted) are for tests; the defaults are the
    system's resolver and trust store."""

    def __init__(
        self,
        settings: Settings | None = None,
        resolve: guard.Resolver | None = None,
        tls: ssl.SSLContext | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        self.settings = settings or Settings()
        self._allow = self.settings.allow
        self._resolve = resolve or guard.system_resolver
        self._tls: ssl.SSLContext | bool = tls if tls is not None else True
        self._closed = threading.Event()
        self._clock = clock
        self._gate = HostGate(self.settings.per_host, self._sleep, clock)
        self._robots = Robots(self._robots_txt, ROBOTS_TOKEN)
        self._clients: dict[tuple[str, str, int], httpx.Client] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            for client in self._clients.values():
                client.close()
            self._clients.clear()

    def _sleep(self, seconds: float) -> None:
        if self._closed.wait(seconds):
            raise _Interrupted

    def get(self, url: str, validators: Validators | None = None) -> Response | NotModified:
        """GET ``url`` (a conditional GET when ``validators`` are given), or raise `FetchError`
        saying why it cannot be used."""
        return self._get(url, validators, robots=True)

    def _get(self, url: str, validators: Validators | None, robots: bool) -> Response | NotModified:
        budget = Budget(self.settings.total_timeout, self._clock)
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            try:
                pinned = guard.pin(current, self._allow, self._resolve)
                refusal = self._robots.refusal(pinned) if robots else None
                if refusal is not None:
                    raise FetchError(current, refusal)
                outcome = self._attempts(pinned, validators, budget)
            except _Interrupted:
                raise FetchError(url, "interrupted") from None
            except FetchError as err:
                if current == url:
                    raise
                raise FetchError(url, f"redirected to {current}: {err.reason}", err.status) from err
            if not isinstance(outcome, _Redirect):
                return outcome
            current = outcome.location
        raise FetchError(url, f"more than {self.settings.max_redirects} redirects")

    def _attempts(
        self, pinned: guard.Pinned, validators: Validators | None, budget: Budget
    ) -> Response | NotModified | _Redirect:
        s = self.settings
        for attempt in range(1, s.attempts + 1):
            try:
                return self._once(pinned, validators, budget)
            except _Retry as retry:
                wait = retry.wait if retry.wait is not None else s.backoff * 2 ** (attempt - 1)
                if attempt == s.attempts or wait > budget.left():
                    raise FetchError(pinned.url, retry.reason, retry.status) from None
                with budget.running():
                    self._sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _once(
        self, pinned: guard.Pinned, validators: Validators | None, budget: Budget
    ) -> Response | NotModified | _Redirect:
        request = self._request(pinned, validators)
        crawl_delay = min(self._robots.delay(pinned), self.settings.max_crawl_delay)
        spacing = max(self.settings.host_delay, crawl_delay)
        with self._gate.slot(pinned.host, spacing), budget.running(), _translated(pinned.url):
            response = self._client(pinned).send(request, stream=True)
            try:
                return self._outcome(pinned, response, budget)
            finally:
                response.close()

    def _request(self, pinned: guard.Pinned, validators: Validators | None) -> httpx.Request:
        try:
            target = httpx.URL(pinned.url)
        except httpx.InvalidURL as err:
            raise FetchError(pinned.url, f"not a valid URL ({err})") from err
        headers = {
            "Host": target.netloc.decode("ascii"),
            "User-Agent": USER_AGENT,
            "Accept": _ACCEPT,
            "Accept-Encoding": "gzip, deflate",
            **(validators.headers() if validators else {}),
        }
        extensions = {"sni_hostname": target.raw_host.decode("ascii")}
        direct = target.copy_with(host=pinned.address, port=pinned.port)
        return httpx.Request("GET", direct, headers=headers, extensions=extensions)

    def _client(self, pinned: guard.Pinned) -> httpx.Client:
        """One client per origin: its pooled connections go to one checked address and carry
        one TLS name, never reused for another host that shares the address."""
        key = (pinned.scheme, pinned.host, pinned.port)
        with self._lock:
            if self._closed.is_set():
                raise _Interrupted
            if key not in self._clients:
                s = self.settings
                self._clients[key] = httpx.Client(
                    timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
                    limits=httpx.Limits(max_connections=s.per_host),
                    follow_redirects=False,
                    verify=self._tls,
                    trust_env=False,  # a proxy from the environment would bypass the pinning
                )
            return self._clients[key]

    def _outcome(
        self, pinned: guard.Pinned, response: httpx.Response, budget: Budget
    ) -> Response | NotModified | _Redirect:
        status = response.status_code
        if status in _REDIRECTS and "location" in response.headers:
            return _Redirect(urljoin(pinned.url, response.headers["location"]))
        if status == 304:
            return NotModified(pinned.url)
        if status in (429, 503):
            wait = _retry_after(response.headers.get("retry-after"))
            if wait is not None and wait > self.settings.max_retry_after:
                reason = f"HTTP {status}, asked to wait {wait:.0f} s (Retry-After)"
                raise FetchError(pinned.url, reason, status)
            raise _Retry(f"HTTP {status}", wait, status)
        if status in _TRANSIENT:
            raise _Retry(f"HTTP {status}", None, status)
        if status >= 300:  # 4xx, 5xx, and 3xx that is not a redirect to follow
            raise FetchError(pinned.url, f"HTTP {status}", status)
        body = self._body(pinned.url, response, budget)
        media, _, params = response.headers.get("content-type", "").partition(";")
        return Response(
            pinned.url, media.strip().lower(), _charset(params), body, _validators(response)
        )

    def _body(self, url: str, response: httpx.Response, budget: Budget) -> bytes:
        cap = self.settings.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchError(url, f"body is {int(declared)} bytes, over the {_mb(cap)} cap")
        decoder = _Decoder(url, response.headers.get("content-encoding", ""))
        out = bytearray()
        for chunk in response.iter_raw(_CHUNK):
            out += decoder.feed(chunk, cap + 1 - len(out))
            if len(out) > cap:
                raise FetchError(url, f"body is over the {_mb(cap)} cap{decoder.note}")
            if budget.left() < 0:
                raise FetchError(url, f"took longer than {self.settings.total_timeout:g} s")
        return bytes(out)

    def _robots_txt(self, pinned: guard.Pinned) -> str:
        """The robots.txt of ``pinned``'s origin; "" when there is none (4xx: all allowed);
        `FetchError` when it cannot be had (5xx, network): nothing of that host is fetched."""
        root = f"{pinned.scheme}://{httpx.URL(pinned.url).netloc.decode('ascii')}/robots.txt"
        try:
            got = self._get(root, None, robots=False)
        except FetchError as err:
            if err.status is not None and 400 <= err.status < 500:
                return ""
            raise
        if isinstance(got, NotModified):
            return ""
        return got.body.decode("utf-8", errors="replace")


class _Decoder:
    """Content-Encoding undone chunk by chunk, never producing more than asked for."""

    def __init__(self, url: str, encoding: str) -> None:
        name = encoding.strip().lower()
        if name in ("", "identity"):
            self._z = None
        elif name in ("gzip", "x-gzip", "deflate"):
            self._z = zlib.decompressobj(47 if name != "deflate" else 15)
            self._raw_deflate = name == "deflate"
        else:
            raise FetchError(url, f"unsupported Content-Encoding {encoding!r}")
        self.note = " after decompression (a compression bomb?)" if self._z else ""
        self._url = url

    def feed(self, chunk: bytes, limit: int) -> bytes:
        if self._z is None:
            return chunk
        try:
            return self._z.decompress(chunk, max(limit, 1))
        except zlib.error as err:
            if self._raw_deflate:  # servers send raw deflate for "deflate" as often as zlib
                self._raw_deflate = False
                self._z = zlib.decompressobj(-15)
                return self.feed(chunk, limit)
            raise FetchError(self._url, f"body is not valid compressed data ({err})") from err


@contextmanager
def _translated(url: str) -> Iterator[None]:
    """httpx errors as newsfuse errors: transient ones are retried, the others name the URL."""
    try:
        yield
    except httpx.ConnectError as err:
        if _certificate_failure(err):  # will not mend by trying again
            raise FetchError(url, f"TLS certificate not valid for this host ({err})") from err
        raise _Retry(f"connection failed ({err})") from err
    except (httpx.ConnectTimeout, httpx.RemoteProtocolError) as err:
        raise _Retry(f"connection failed ({type(err).__name__}: {err})") from err
    except httpx.ReadTimeout as err:
        raise FetchError(url, "timed out waiting for the server") from err
    except httpx.HTTPError as err:
        raise FetchError(url, f"{type(err).__name__}: {err}") from err


def _certificate_failure(err: BaseException) -> bool:
    seen: BaseException | None = err
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _validators(response: httpx.Response) -> Validators:
    return Validators(response.headers.get("etag"), response.headers.get("last-modified"))


def _charset(params: str) -> str | None:
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"').lower()
    return None


def _mb(n: int) -> str:
    return f"{n / 2**20:g} MB" if n >= 2**20 else f"{n} bytes"


__all__ = ["USER_AGENT", "Fetcher", "NotModified", "Response", "Validators"]
