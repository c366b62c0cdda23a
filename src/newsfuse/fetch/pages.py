"""A fetched HTML page as an `Article`: text and metadata by the HTML reader (trafilatura), the
canonical URL as its identity, the host as outlet when the page names no site."""

from __future__ import annotations

import codecs
from dataclasses import replace

from newsfuse.errors import InputError
from newsfuse.fetch import urls
from newsfuse.model import Article
from newsfuse.readers import html
from newsfuse.readers.decode import decode


def article(
    name: str, url: str, body: bytes, charset: str | None, published: str | None = None
) -> Article:
    """The article of the page at ``url``; ``published`` (from a feed) fills a missing date.
    Raises `InputError` naming ``name`` when the page holds no article text."""
    found = html.extract(name, urls.article_id(url), _text(name, body, charset), url=url)
    canonical = found.url if found.url and urls.is_url(found.url) else url
    return replace(
        found,
        url=urls.canonical(canonical),
        outlet=found.outlet or urls.outlet_of(url),
        published=found.published or published,
    )


def _text(name: str, body: bytes, charset: str | None) -> str:
    """The body as text: the charset the server declared when Python knows it and it fits,
    else detected."""
    if charset and _known(charset) and body.strip():
        try:
            return body.decode(charset).replace("\r\n", "\n")
        except UnicodeDecodeError:
            pass
    try:
        return decode(name, body)
    except InputError as err:
        raise InputError(name, err.reason) from err


def _known(charset: str) -> bool:
    try:
        codecs.lookup(charset)
    except LookupError:
        return False
    return True


__all__ = ["article"]
