"""Plain-text reader: the first line is the title when it looks like a headline."""

from __future__ import annotations

from newsfuse.errors import InputError
from newsfuse.model import Article
from newsfuse.text import looks_like_headline


def read(name: str, stem: str, content: str) -> list[Article | InputError]:
    lines = content.strip("\n").split("\n")
    first = lines[0].strip() if lines else ""
    title = None
    if looks_like_headline(first) and len(lines) > 1:
        title, content = first, "\n".join(lines[1:])
    return [Article(id=stem, text=content.strip("\n"), title=title, path=None)]
