"""JSON Lines reader: one article a line with ``id``, ``title``, ``text`` or ``html``, ``url``,
``outlet``, ``published``; other keys are ignored. A bad line is reported with its number and
the other lines are still read."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from newsfuse.errors import InputError
from newsfuse.model import Article
from newsfuse.readers import html
from newsfuse.text import normalize_date


def read(name: str, stem: str, content: str) -> list[Article | InputError]:
    """Every line's article, or its error naming ``file:line``."""
    out: list[Article | InputError] = []
    for lineno, line in enumerate(content.split("\n"), start=1):
        if line.strip():
            try:
                out.append(_article(f"{name}:{lineno}", f"{stem}-{lineno}", line))
            except InputError as err:
                out.append(err)
    return out


def _article(where: str, default_id: str, line: str) -> Article:
    try:
        obj: Any = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(where, f"not JSON ({err.msg})") from err
    if not isinstance(obj, dict):
        raise InputError(where, "a line must be a JSON object")
    return record(where, default_id, obj)


def record(where: str, default_id: str, obj: Mapping[str, Any]) -> Article:
    """The article of one JSON object (a line's, or one given by the HTTP API)."""
    ident = _str(obj.get("id")) or default_id
    if _str(obj.get("text")):
        art = Article(id=ident, text=str(obj["text"]))
    elif _str(obj.get("html")):
        art = html.extract(where, ident, str(obj["html"]), url=_str(obj.get("url")))
    else:
        raise InputError(where, "has neither 'text' nor 'html'")
    return Article(
        id=ident,
        text=art.text,
        title=_str(obj.get("title")) or art.title,
        url=_str(obj.get("url")) or art.url,
        outlet=_str(obj.get("outlet")) or art.outlet,
        published=normalize_date(_str(obj.get("published"))) or art.published,
    )


def _str(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None
