"""Dated events across the sources.

A sentence with a date becomes an event on that date. Absolute dates ("April 12, 2017") are
taken as written; a month and day without a year take the year of the article's publication
date, or of the cluster's latest known date (stepping back a year when that would put the event
more than a month after it). Relative dates are resolved only against the article's own
publication date: a weekday is the latest such day on or before it (news convention),
"yesterday"/"today", "last week" (the ISO week before, written ``YYYY-Www``), "N days/weeks
ago". Events on one date that say the same thing are listed once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from newsfuse import align, segment
from newsfuse.model import CleanArticle, Event, Sentence
from newsfuse.text import TokenCache, find_date

_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_MONTH_DAY = re.compile(
    r"\b(?P<mon>" + "|".join(m.capitalize() for m in _MONTHS) + r"|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b"
    r"(?!,?\s+\d{4})"
)
_WEEKDAY = re.compile(r"\b(?P<wd>" + "|".join(d.capitalize() for d in _WEEKDAYS) + r")\b")
_RELATIVE = re.compile(
    r"\b(?P<rel>yesterday|today|last week|last month|(?P<n>\d+|two|three|four|five|six) "
    r"(?P<unit>days|weeks) ago)\b",
    re.IGNORECASE,
)
_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


@dataclass(frozen=True, slots=True)
class Settings:
    max_events: int = 12
    max_per_date: int = 2  # the rest of a busy day is in the summary and the sources
    same_event: float = 0.5  # cosine at which two sentences on one date are one event


def extract(
    articles: Sequence[CleanArticle],
    settings: Settings | None = None,
    not_wording: frozenset[str] = frozenset(),
    garbled: frozenset[str] = frozenset(),
    tokens: TokenCache | None = None,
) -> tuple[Event, ...]:
    """Events in date order. Sentences of ``not_wording`` sources (copies) are used only for
    dates no other source gives; ``garbled`` sources (spun text) are never quoted: their
    synonym swaps make them misstate what happened. ``tokens`` is the run's token cache."""
    settings = settings or Settings()
    articles = [a for a in articles if a.id not in garbled]
    known = sorted(a.article.published for a in articles if a.article.published)
    fallback = date.fromisoformat(known[-1]) if known else None
    found: list[tuple[str, Sentence]] = []
    for a in articles:
        published = date.fromisoformat(a.article.published) if a.article.published else None
        for s in segment.of(a):
            when = resolve(s.text, published, fallback)
            if when:
                found.append((when, s))
    clean_dates = {when for when, s in found if s.source not in not_wording}
    found = [(w, s) for w, s in found if s.source not in not_wording or w not in clean_dates]
    events = _dedupe(found, settings, tokens or TokenCache())
    return tuple(events[: settings.max_events])


def resolve(text: str, published: date | None, fallback: date | None = None) -> str | None:
    """The date a sentence speaks of, as ``YYYY-MM-DD`` or ``YYYY-Www``, or None."""
    absolute = find_date(text)
    if absolute:
        return absolute
    reference = published or fallback
    m = _MONTH_DAY.search(text)
    if m and reference:
        month = _month(m["mon"])
        try:
            when = date(reference.year, month, int(m["d"]))
        except ValueError:
            return None
        if when > reference + timedelta(days=31):
            when = when.replace(year=when.year - 1)
        return when.isoformat()
    if published is None:
        return None
    return _relative(text, published)


def _month(name: str) -> int:
    key = name.lower()[:3]
    return [m[:3] for m in _MONTHS].index(key) + 1


def _relative(text: str, published: date) -> str | None:
    m = _RELATIVE.search(text)
    if m and m["rel"].isascii():  # not a word matched by folding "İ" or "ſ" ("laſt week")
        rel = m["rel"].lower()
        if rel == "today":
            return published.isoformat()
        if rel == "yesterday":
            return (published - timedelta(days=1)).isoformat()
        if rel == "last week":
            year, week, _ = (published - timedelta(weeks=1)).isocalendar()
            return f"{year}-W{week:02d}"
        if rel == "last month":
            first = published.replace(day=1) - timedelta(days=1)
            return f"{first.year}-{first.month:02d}"
        n = int(m["n"]) if m["n"].isdigit() else _SMALL[m["n"].lower()]
        days = n * (7 if m["unit"].lower() == "weeks" else 1)
        return (published - timedelta(days=days)).isoformat()
    w = _WEEKDAY.search(text)
    if w:
        back = (published.weekday() - _WEEKDAYS.index(w["wd"].lower())) % 7
        return (published - timedelta(days=back)).isoformat()
    return None


def _start(when: str) -> date:
    """First day of a date, ISO week or month, for ordering."""
    if "-W" in when:
        year, week = when.split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    if len(when) == 7:
        return date.fromisoformat(when + "-01")
    return date.fromisoformat(when)


def _dedupe(
    found: list[tuple[str, Sentence]], settings: Settings, tokens: TokenCache
) -> list[Event]:
    if not found:
        return []
    feats = [align.features_of_stems(tokens.of(s.text).content) for _, s in found]
    sim = align.index([s for _, s in found], feats).similarity(settings.same_event)
    kept: list[int] = []
    for i, (when, _) in enumerate(found):
        same_day = [k for k in kept if found[k][0] == when]
        if len(same_day) < settings.max_per_date and all(
            sim[i, k] < settings.same_event for k in same_day
        ):
            kept.append(i)
    kept.sort(key=lambda i: (_start(found[i][0]), i))
    return [Event(found[i][0], found[i][1].text, found[i][1].source) for i in kept]
