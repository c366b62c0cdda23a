"""URL identity: one spelling per article (tracking parameters and fragments dropped) and a
short, readable article id."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that say how a reader arrived, not which page they read.
_TRACKING = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "cmpid",
        "ocid",
        "smid",
    }
)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_SLUG = re.compile(r"[^a-z0-9]+")


def is_url(name: str) -> bool:
    return bool(_SCHEME.match(name))


def is_warc(name: str) -> bool:
    return name.lower().endswith((".warc", ".warc.gz"))


def is_remote(name: str) -> bool:
    """Whether ``name`` is read by `newsfuse.fetch`: a URL (any scheme; only http and https
    are fetched) or a WARC file."""
    return is_url(name) or is_warc(name)


def canonical(url: str) -> str:
    """``url`` with scheme and host in lower case, default port, fragment and tracking
    parameters (``utm_*``, ``fbclid``...) dropped; other parameters keep their order."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host if port in (None, default) else f"{host}:{port}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not k.lower().startswith("utm_") and k not in _TRACKING]
    query = parts.query if len(kept) == len(pairs) else urlencode(kept)  # as sent when it can
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", query, ""))


def article_id(url: str) -> str:
    """A short id for the article at ``url``: its last path segment as a slug, else its host."""
    parts = _parts(url)
    segments = [s for s in parts.path.split("/") if s] if parts else []
    last = re.sub(r"\.(s?html?|php|aspx?)$", "", segments[-1].lower()) if segments else ""
    slug = _SLUG.sub("-", last).strip("-")[:60].strip("-")
    return slug or outlet_of(url) or "page"


def outlet_of(url: str) -> str | None:
    """The site's host name without ``www.``, for pages that do not name their site."""
    parts = _parts(url)
    host = (parts.hostname or "").rstrip(".") if parts else ""
    return host.removeprefix("www.") or None


def _parts(url: str) -> SplitResult | None:
    """``url`` split, or None when it cannot be (a WARC record's URL is not checked by
    anyone before it is read: ``http://[broken`` raises in urlsplit)."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


__all__ = ["article_id", "canonical", "is_remote", "is_url", "is_warc", "outlet_of"]
