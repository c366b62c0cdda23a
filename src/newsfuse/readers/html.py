"""HTML reader: main text, title, date and site name by trafilatura (no comments, no tables of
navigation); the cleaning stage then runs the same second pass as for plain text."""

from __future__ import annotations

import logging
from typing import Any

from newsfuse.errors import InputError
from newsfuse.model import Article
from newsfuse.text import normalize_date

# trafilatura logs every page it cannot parse at WARNING; the reader reports instead.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def read(name: str, stem: str, content: str) -> list[Article | InputError]:
    return [extract(name, stem, content)]


def extract(name: str, ident: str, content: str, url: str | None = None) -> Article:
    """One article from an HTML page, or `InputError` when the page holds no main text."""
    doc = _bare_extraction(content, url)
    body = (doc or {}).get("text") or ""
    if not body.strip():
        raise InputError(name, "no article text found in the HTML")
    meta: dict[str, Any] = doc or {}
    return Article(
        id=ident,
        text=body,
        title=_clean(meta.get("title")),
        url=_clean(meta.get("url")) or url,
        outlet=_clean(meta.get("sitename")),
        published=normalize_date(meta.get("date")),
    )


def _bare_extraction(content: str, url: str | None) -> dict[str, Any] | None:
    # Imported here: trafilatura (with lxml and its URL tools) takes about 0.4 s to import,
    # and a run over text files never reads HTML.
    import trafilatura

    try:
        result = trafilatura.bare_extraction(
            content,
            url=url,
            include_comments=False,
            include_tables=False,
            with_metadata=True,
            as_dict=True,
        )
    except Exception:  # trafilatura raises assorted lxml/parser errors on hostile markup
        return None
    return result if isinstance(result, dict) else None


def _clean(value: Any) -> str | None:
    text = str(value).strip() if value else ""
    return text or None
