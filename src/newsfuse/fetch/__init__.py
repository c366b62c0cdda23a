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

`newsfuse.readers.read_inputs` hands URLs and ``.warc``/``.warc.gz`` files to `read`; every
URL that cannot be used becomes one `FetchError` naming it, and the others are still read.
"""

from newsfuse.fetch.client import USER_AGENT, Fetcher, NotModified, Response, Validators
from newsfuse.fetch.feeds import feed_list
from newsfuse.fetch.guard import AllowList, classify, pin
from newsfuse.fetch.settings import Settings
from newsfuse.fetch.web import Fetched, Memory, Web, WebRead, is_remote, read

__all__ = [
    "USER_AGENT",
    "AllowList",
    "Fetched",
    "Fetcher",
    "Memory",
    "NotModified",
    "Response",
    "Settings",
    "Validators",
    "Web",
    "WebRead",
    "classify",
    "feed_list",
    "is_remote",
    "pin",
    "read",
]
