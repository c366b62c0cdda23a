"""Fetching: article URLs, RSS/Atom feeds, sitemaps and WARC archives, read politely and safely.

::

    guard.py     which hosts may be reached: every address of a host must be public unless
                 --allow-host names it; the checked address is the one connected to
    client.py    one GET: pinned connection, redirects by hand (each hop checked again), size
                 and time caps, retries with backoff, Retry-After, conditional requests
    limits.py    a URL's time budget; per-host pacing (spacing, requests at a time)
    robots.py    robots.txt per origin, read once per run
    feeds.py     feeds, sitemaps and feed lists (parsing only)
    pages.py     a fetched HTML page as an Article (the HTML reader, canonical URL, outlet)
    warc.py      HTML responses of a WARC file as Articles
    web.py       remote inputs to articles, a few URLs at a time, in input order

`newsfuse.readers.read_inputs` hands URLs and ``.warc``/``.warc.gz`` files to `web.read`;
every URL that cannot be used becomes one `FetchError` naming it, and the others are still
read. This package exports only what is light to import (settings, the guard, names of
inputs), so a run over files never loads the HTTP, feed and WARC libraries: take `read` from
`newsfuse.fetch.web` and `Fetcher` from `newsfuse.fetch.client`.
"""

from newsfuse.fetch.feeds import feed_list
from newsfuse.fetch.guard import AllowList, classify, pin
from newsfuse.fetch.settings import Fetched, Memory, Settings, Web
from newsfuse.fetch.urls import is_remote

__all__ = [
    "AllowList",
    "Fetched",
    "Memory",
    "Settings",
    "Web",
    "classify",
    "feed_list",
    "is_remote",
    "pin",
]
