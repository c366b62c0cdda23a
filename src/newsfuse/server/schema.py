"""Request and response shapes of the HTTP API (validated by pydantic, strict types)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ArticleIn(BaseModel):
    """One article: the fields of a JSON Lines line (``text`` or ``html`` is required)."""

    model_config = ConfigDict(extra="ignore", strict=True)

    id: str | None = None
    title: str | None = None
    text: str | None = None
    html: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None

    def record(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class ArticlesIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    articles: list[ArticleIn] = Field(min_length=1)


class BriefIn(ArticlesIn):
    words: int | None = Field(default=None, gt=0, le=5000)
    focus: str | None = Field(default=None, max_length=1000)


class CheckIn(ArticlesIn):
    claim: str = Field(min_length=1, max_length=5000)


class UrlsIn(BaseModel):
    """Article, feed or sitemap URLs to read (each feed's items are fetched)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    urls: list[str] = Field(min_length=1, max_length=50)


class FileIn(BaseModel):
    """A file's name (its extension picks the reader) and its text."""

    model_config = ConfigDict(extra="forbid", strict=True)

    name: str = Field(min_length=1, max_length=1000)
    content: str


class ArticleOut(BaseModel):
    id: str
    title: str | None
    text: str
    url: str | None
    outlet: str | None
    published: str | None


class FileRead(BaseModel):
    articles: list[ArticleOut]
    problems: list[str]


class Rejected(BaseModel):
    index: int
    error: str


class Added(BaseModel):
    added: int
    known: int
    rejected: list[Rejected]


class Story(BaseModel):
    id: int
    size: int
    title: str | None
    first: str | None
    last: str | None
    names: list[str]


class Health(BaseModel):
    status: str
