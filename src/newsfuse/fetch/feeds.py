"""Lists of pages: RSS/Atom feeds (feedparser), sitemaps and news sitemaps, and the feed lists
a user keeps (one URL a line, or OPML). Only parsing here: nothing is fetched."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from newsfuse.errors import InputError
from newsfuse.text import normalize_date

# The first element of the body: declarations (<?xml, <!DOCTYPE) and comments are skipped.
_ROOT = re.compile(rb"(?:<!--.*?-->|<[?!][^>]*>|\s)*<([A-Za-z][\w:.-]*)", re.DOTALL)
_ROOTS = {
    "html": "html",
    "head": "html",
    "body": "html",
    "rss": "feed",
    "feed": "feed",
    "rdf:rdf": "feed",
    "urlset": "sitemap",
    "sitemapindex": "sitemapindex",
}
_COMMENT = re.compile(r"(^|\s)#.*$")
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


@dataclass(frozen=True, slots=True)
class Link:
    """An item of a feed or sitemap: the page's URL and, when the list gives it, its date."""

    url: str
    published: str | None = None


def kind(media_type: str, body: bytes) -> str | None:
    """ "html", "feed", "sitemap" or "sitemapindex" by the body's root element (servers often
    send feeds as text/html or text/plain), or None when it is none of them."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    root = _ROOT.match(head)
    name = root[1].decode("ascii").lower() if root else ""
    found = _ROOTS.get(name.rpartition(":")[2] if name != "rdf:rdf" else name)
    if found is not None:
        return found
    return "html" if media_type in HTML_TYPES else None


def feed_links(url: str, body: bytes, limit: int) -> list[Link]:
    """The item links of an RSS or Atom feed (relative links resolved against ``url``)."""
    import feedparser  # a quarter second to load: only when a feed is met

    try:
        parsed: Any = feedparser.parse(body, response_headers={"content-location": url})
    except (ValueError, LookupError, TypeError, AttributeError) as err:
        # feedparser reports most damage as "bozo", but some bytes raise from inside it: a
        # numeric character reference beyond U+10FFFF (ValueError), a declared encoding whose
        # bytes do not decode (UnicodeDecodeError)
        raise InputError(url, f"not a readable feed ({type(err).__name__}: {err})") from err
    if not parsed.entries and parsed.get("bozo"):
        raise InputError(url, f"not a readable feed ({parsed.get('bozo_exception')})")
    links = []
    for entry in parsed.entries[:limit]:
        link = entry.get("link")
        if link:
            links.append(Link(str(link), _entry_date(entry)))
    return links


def _entry_date(entry: Any) -> str | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", stamp) if stamp else None


def sitemap_links(url: str, body: bytes, limit: int) -> list[Link]:
    """The ``<loc>`` of each entry of a sitemap (``<url>``) or sitemap index (``<sitemap>``),
    with the news sitemap's publication date, else ``<lastmod>``."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as err:
        raise InputError(url, f"not a readable sitemap ({err})") from err
    links = []
    for entry in root:
        texts = {_local(el.tag): (el.text or "").strip() for el in entry.iter()}
        if texts.get("loc"):
            date = texts.get("publication_date") or texts.get("lastmod")
            links.append(Link(texts["loc"], normalize_date(date) if date else None))
        if len(links) >= limit:
            break
    return links


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def feed_list(name: str, content: str) -> list[str]:
    """The URLs of a feed list: OPML (``xmlUrl`` of each outline), else one URL a line with
    blank lines and ``#`` comments ignored."""
    if "<opml" in content[:1000].lower():
        try:
            root = ET.fromstring(content.encode("utf-8"))
        except ET.ParseError as err:
            raise InputError(name, f"not a readable OPML file ({err})") from err
        return [o.attrib["xmlUrl"].strip() for o in root.iter("outline") if o.get("xmlUrl")]
    lines = (_COMMENT.sub("", line).strip() for line in content.splitlines())
    return [line for line in lines if line]


__all__ = ["HTML_TYPES", "Link", "feed_links", "feed_list", "kind", "sitemap_links"]
