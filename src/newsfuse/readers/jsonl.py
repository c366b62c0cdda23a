"""JSON Lines reader: one article a line with ``id``, ``title``, ``text`` or ``html``, ``url``,
``outlet``, ``published``; other keys are ignored. A bad line is reported with its number and
the other lines are still read."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from newsfuse.errors import InputError
from newsfuse.model import Article
from newsfuse.readers import html
from newsfuse.text import normalize_date

# Bad lines reported one by one; past this many, one line counts the rest (a file of a
# million broken lines should not print a million lines).
MAX_LINE_PROBLEMS = 20


_MAX_FIELD = 1000  # characters of a metadata field (title, id, outlet, url) kept


def read(name: str, stem: str, content: str) -> list[Article | InputError]:
    """Every line's article, or its error naming ``file:line``."""
    out: list[Article | InputError] = []
    bad = 0
    for lineno, line in enumerate(content.split("\n"), start=1):
        if line.strip():
            try:
                out.append(_article(f"{name}:{lineno}", f"{stem}-{lineno}", line))
            except InputError as err:
                bad += 1
                if bad <= MAX_LINE_PROBLEMS:
                    out.append(err)
    if bad > MAX_LINE_PROBLEMS:
        out.append(InputError(name, f"{bad - MAX_LINE_PROBLEMS} more bad lines not shown"))
    return out


def _article(where: str, default_id: str, line: str) -> Article:
    try:
        obj: Any = json.loads(line.lstrip("\ufeff"))
    except json.JSONDecodeError as err:
        raise InputError(where, f"not JSON ({err.msg})") from err
    except ValueError as err:  # Python refuses integers of more than 4,300 digits
        raise InputError(where, "a number has too many digits") from err
    except RecursionError as err:
        raise InputError(where, "JSON nested too deeply") from err
    if not isinstance(obj, dict):
        raise InputError(where, "a line must be a JSON object")
    return record(where, default_id, obj)


def record(where: str, default_id: str, obj: Mapping[str, Any]) -> Article:
    """The article of one JSON object (a line's, or one given by the HTTP API)."""
    ident = _str(obj.get("id")) or default_id
    text, markup = _text(obj, "text"), _text(obj, "html")
    if text is not None:
        art = Article(id=ident, text=text)
    elif markup is not None:
        art = html.extract(where, ident, markup, url=_str(obj.get("url")))
    else:
        raise InputError(where, "has neither 'text' nor 'html' as a string")
    return Article(
        id=ident,
        text=art.text,
        title=_str(obj.get("title")) or art.title,
        url=_str(obj.get("url")) or art.url,
        outlet=_str(obj.get("outlet")) or art.outlet,
        published=normalize_date(_str(obj.get("published"))) or art.published,
    )


def _text(obj: Mapping[str, Any], key: str) -> str | None:
    """A body field: a non-blank string (a number or a list is not an article)."""
    value = obj.get(key)
    return _str(value) and _utf8(value) if isinstance(value, str) else None


def _str(value: Any) -> str | None:
    """A metadata field as text (an id may be a number); objects, lists and non-finite or
    unprintably long numbers are not metadata."""
    if isinstance(value, str):
        text = _utf8(value).strip()
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**30:
        text = str(value)
    elif isinstance(value, float) and math.isfinite(value):
        text = repr(value)
    else:
        return None
    return text[:_MAX_FIELD] or None


def _utf8(value: str) -> str:
    """JSON can spell lone surrogates ("\\ud800"), which no UTF-8 output accepts: "?"."""
    return value.encode("utf-8", "replace").decode("utf-8") if not value.isascii() else value
