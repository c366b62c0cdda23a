"""Numeric facts, aligned across sources, as agreements or conflicts.

A fact mention is a quantity ("86", "more than 80", "almost two hours", "$50 billion") with
what it measures. The measure is found from the words around the number: a casualty verb or
noun (killed, dead, injured...), a currency, a time unit, or else the counted noun itself
("50 missiles"). Each mention becomes an interval: "86" is [86, 86], "more than 80" is
(80, inf), "almost two hours" is [1.6, 2). Mentions of one measure are grouped across sources
when their contexts overlap; a group whose intervals cannot all hold at once is a conflict
("more than 80" agrees with 86 and with 89; 86 does not agree with 89).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsfuse import segment
from newsfuse.model import CleanArticle, Fact, FactValue
from newsfuse.text import STOP_WORDS, TokenCache, content_stems, stem, words


@dataclass(frozen=True, slots=True)
class Settings:
    window: int = 6  # words either side of a number that describe it
    # Two mentions of one measure are about the same thing when their context stems overlap
    # this much (Jaccard); casualty counts of one event need little shared context.
    context_overlap: float = 0.12
    max_facts: int = 12
    # Values of one fact lie within this factor of each other (or within 2 of each other: "two"
    # and "five" injured may be one count revised). A toll of 86 against 89 is a conflict; 19
    # against 408 dead are two events.
    same_fact_ratio: float = 2.0


_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12, "dozens": 24,
    "hundreds": 200, "thousands": 2000,
}  # fmt: skip
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_QUALIFIERS = {
    "more than": "gt", "over": "gt", "at least": "ge", "nearly": "almost", "almost": "almost",
    "about": "about", "around": "about", "roughly": "about", "approximately": "about",
    "some": "about", "up to": "le", "less than": "lt", "fewer than": "lt", "under": "lt",
}  # fmt: skip
_NUMBER = (
    r"(?P<cur>[$€£])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
    + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
    + r")(?:\s+(?P<scale>thousand|million|billion|trillion))?(?:-(?P<hyph>[a-z]+))?"
)
_REACH = 200  # characters either side of a number that can hold its ``window`` words
_MENTION = re.compile(
    r"(?:\b(?P<qual>" + "|".join(sorted(_QUALIFIERS, key=len, reverse=True)) + r")\s+)?"
    r"(?<![\w.,])" + _NUMBER + r"\b",
    re.IGNORECASE,
)
# What a number measures, from nearby words (stems).
_MEASURES = (
    ("people killed", {"kill", "dead", "death", "die", "fatal", "live", "toll", "bodi"}),
    ("people injured", {"injur", "wound", "hurt", "hospit"}),
    ("people arrested", {"arrest", "detain"}),
    ("people missing", {"miss"}),
)
_TIME_UNITS = {
    "second": 1 / 3600, "minut": 1 / 60, "hour": 1.0, "day": 24.0, "week": 168.0,
    "month": 730.0, "year": 8766.0,
}  # fmt: skip
# Event classes: durations of the same kind of event in one cluster are one fact.
_EVENTS = (
    ("meeting", {"meet", "talk", "convers", "session", "discuss", "summit", "negoti"}),
    ("trial", {"trial", "hear", "deliber", "testimoni"}),
    ("journey", {"flight", "trip", "journey", "visit", "drive", "voyag"}),
    ("search", {"search", "rescu", "oper", "standoff", "sieg"}),
)
_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP", "dollar": "USD", "euro": "EUR", "pound": "GBP"}


@dataclass(frozen=True, slots=True)
class Mention:
    source: str
    measure: str
    text: str  # the quantity as written: "more than 80"
    low: float
    high: float
    context: frozenset[str]  # content stems of the sentence
    near: frozenset[str] = frozenset()  # content stems of the words right around the number


def extract(
    articles: Sequence[CleanArticle],
    settings: Settings | None = None,
    not_support: frozenset[str] = frozenset(),
    tokens: TokenCache | None = None,
) -> tuple[Fact, ...]:
    """Facts reported by at least two independent sources, conflicts first. ``tokens`` is
    the run's token cache, when other stages have read the same sentences."""
    settings = settings or Settings()
    mentions = [
        m
        for a in articles
        if a.id not in not_support
        for s in segment.of(a)
        for m in mentions_in(s.text, a.id, settings, tokens)
    ]
    order = {a.id: n for n, a in enumerate(articles)}
    facts = [_fact(g, order) for g in _group(mentions, settings)]
    facts = [f for f in facts if _shown(f)]
    facts.sort(key=lambda f: (not f.is_conflict, -len(f.values), f.about))
    return tuple(facts[: settings.max_facts])


def mentions_in(
    sentence: str, source: str, settings: Settings, tokens: TokenCache | None = None
) -> list[Mention]:
    if not _may_hold_number(sentence):
        return []
    out = []
    context: frozenset[str] | None = None
    for m in _MENTION.finditer(sentence):
        if _folded(m):
            continue
        value = _value(m)
        if _is_year(m, value) or _is_date_day(sentence, m):
            continue
        # The words around a number lie within a few hundred characters of it: slicing the
        # whole sentence for each number was quadratic in a sentence of many numbers.
        ahead = sentence[m.end() : m.end() + _REACH]
        before = words(sentence[max(0, m.start() - _REACH) : m.start()])[-settings.window :]
        after = words(ahead)[: settings.window]
        near = frozenset(stem(w) for w in before[-4:] + after[:4] if w.lower() not in STOP_WORDS)
        measure, scale = _measure(m, near, ahead, after)
        if measure is None:
            continue
        low, high = _interval(_QUALIFIERS.get((m["qual"] or "").lower(), "eq"), value * scale)
        if context is None:
            stems = tokens.of(sentence).content if tokens else content_stems(sentence)
            context = frozenset(stems)
        if measure == "duration":
            measure = _event_duration(context) or measure
        text = _as_written(m, measure, after)
        out.append(Mention(source, measure, text, low, high, context, near))
    return out


_DIGIT = re.compile(r"\d")
_LETTER_RUN = re.compile(r"[a-z]+")
_NUMBER_WORDS = frozenset(_WORD_NUMBERS)


def _may_hold_number(sentence: str) -> bool:
    """False when no mention can come of the sentence: no digit and no number word, which
    stands whole between non-letters (one that matches only by folding a letter that is not
    ASCII, "fİve", is skipped anyway: `_folded`). Most sentences hold no number, and this test
    is several times cheaper than the search itself."""
    if _DIGIT.search(sentence):
        return True
    return not _NUMBER_WORDS.isdisjoint(_LETTER_RUN.findall(sentence.lower()))


def _shown(fact: Fact) -> bool:
    """An agreement needs two sources. A source contradicting itself is shown only for death
    tolls and the like and for event lengths, where it is news (a toll revised within one
    report); two percentages or counts in one story are far more often two different things."""
    if len({x for v in fact.values for x in v.sources}) >= 2:
        return True
    return fact.conflict and fact.about.startswith(("people ", "length of the"))


def _folded(m: re.Match[str]) -> bool:
    """A match that only case-insensitive matching made, by folding a letter that is not ASCII
    ("fİve", "ſix", "mİllion"): not one of the words, and looking it up would fail."""
    found = (m["num"], m["scale"], m["hyph"], m["qual"])
    return any(not w.isascii() and any(c.isalpha() for c in w) for w in found if w)


def _value(m: re.Match[str]) -> float:
    raw = m["num"].lower().replace(",", "")
    value = float(_WORD_NUMBERS[raw]) if raw in _WORD_NUMBERS else float(raw)
    if m["scale"]:
        value *= _SCALE[m["scale"].lower()]
    return value


def _is_year(m: re.Match[str], value: float) -> bool:
    return not m["cur"] and not m["scale"] and value.is_integer() and 1800 <= value <= 2100


def _is_date_day(sentence: str, m: re.Match[str]) -> bool:
    before = sentence[max(0, m.start() - _REACH) : m.start()].rstrip().rsplit(" ", 1)[-1].lower()
    months = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    return before[:3] in months or bool(
        re.match(r"\s*(:\d|a\.?m\b|p\.?m\b|st\b|nd\b|rd\b|th\b)", sentence[m.end() : m.end() + 40])
    )


def _measure(
    m: re.Match[str], near: frozenset[str], rest: str, after: list[str]
) -> tuple[str | None, float]:
    """(what the number measures, factor to that measure's unit); ``near`` are the content
    stems of the words around the number, ``rest`` the sentence after it."""
    unit = stem(m["hyph"]) if m["hyph"] else (stem(after[0]) if after else "")
    if m["cur"] or unit in _CURRENCY:
        return f"money ({_CURRENCY.get(m['cur'] or unit, 'USD')})", 1.0
    if _PERCENT.match(rest):
        return "percentage", 1.0
    if m["hyph"] and unit in _TIME_UNITS:
        return None, 1.0  # "a 16-year-old", "a two-hour drive": a description, not a count
    if unit in _TIME_UNITS:
        # "ten years ago", "two hours later", "a 25-year-old": a point in time or an age
        if len(after) > 1 and after[1].lower() in _NOT_A_LENGTH:
            return None, 1.0
        return "duration", _TIME_UNITS[unit]
    for name, cues in _MEASURES:
        if near & cues:
            return name, 1.0
    counted = _counted(after)
    # "the two countries" names a pair rather than reporting a count: counts start at 3.
    if counted and not m["hyph"] and _value(m) > 2:
        return f"number of {counted}", 1.0
    return None, 1.0


_PERCENT = re.compile(r"\s*(%|per ?cent\b|percentage points?\b)", re.IGNORECASE)
_NOT_A_LENGTH = frozenset("ago old later earlier".split())


def _counted(after: list[str]) -> str:
    """The counted noun phrase after a number: up to two lower-case content words ("cyber
    attacks", "writers"); empty when none follows."""
    phrase = []
    for w in after[:2]:
        if w.lower() in STOP_WORDS or not w[:1].islower():
            break
        phrase.append(w.lower())
    return " ".join(phrase)


def _as_written(m: re.Match[str], measure: str, after: list[str]) -> str:
    """The quantity as the source wrote it, with its unit: "almost two hours", "10%"."""
    text = m.group().strip()
    if measure == "percentage":
        return f"{text}%"
    if after and stem(after[0]) in _TIME_UNITS:
        return f"{text} {after[0]}"
    return text


def _event_duration(context: frozenset[str]) -> str | None:
    for name, cues in _EVENTS:
        if context & cues:
            return f"length of the {name}"
    return None


def _interval(kind: str, v: float) -> tuple[float, float]:
    return {
        "eq": (v, v),
        "gt": (math.nextafter(v, math.inf), math.inf),
        "ge": (v, math.inf),
        "almost": (0.8 * v, math.nextafter(v, 0)),
        "about": (0.85 * v, 1.15 * v),
        "le": (0.0, v),
        "lt": (0.0, math.nextafter(v, 0)),
    }[kind]


def _group(mentions: list[Mention], settings: Settings) -> list[list[Mention]]:
    """Groups of mentions of one measure: linked by overlapping context, and all of one order
    of size. Reports of one fact differ by a little (a toll of 86 or 89, a meeting of two hours
    or almost two); in a cluster that covers several events, single links by context alone
    chained 15, 17, 39 ... 179 mph into one "conflict"."""
    groups: list[list[Mention]] = []
    for m in mentions:
        home = None
        for g in groups:
            if (
                g[0].measure == m.measure
                and any(_related(m, x, settings) for x in g)
                and _one_size(g, m, settings)
            ):
                home = g
                break
        if home is None:
            groups.append([m])
        else:
            home.append(m)
    return groups


def contradicts(a: Mention, b: Mention, settings: Settings) -> bool:
    """Whether ``b`` reports the quantity ``a`` reports (same measure, related context, same
    order of size) with a value that cannot hold at the same time."""
    same_fact = a.measure == b.measure and _related(a, b, settings) and _one_size([a], b, settings)
    return same_fact and _disjoint([a, b])


def _one_size(group: list[Mention], m: Mention, settings: Settings) -> bool:
    sizes = [_magnitude(x) for x in group] + [_magnitude(m)]
    low, high = min(sizes), max(sizes)
    return high <= settings.same_fact_ratio * low or high - low <= 2


def _related(a: Mention, b: Mention, settings: Settings) -> bool:
    if a.measure.startswith(("people ", "length of the")):
        return True  # the casualties of one event, or the length of one kind of event
    if a.measure == "percentage" and not a.near & b.near:
        return False  # "prices rose 50%, incomes 29%": shares of different things
    union = a.context | b.context
    return bool(union) and len(a.context & b.context) / len(union) >= settings.context_overlap


def _magnitude(m: Mention) -> float:
    """A representative value of a mention's interval (its lower bound when open-ended)."""
    return m.low if math.isinf(m.high) else (m.low + m.high) / 2


def _fact(group: list[Mention], order: dict[str, int]) -> Fact:
    values: dict[tuple[float, float], list[Mention]] = {}
    for m in group:
        values.setdefault((m.low, m.high), []).append(m)  # "10 years" is "ten years"
    rows = sorted(values.values(), key=lambda v: (-len({m.source for m in v}), v[0].low))
    fact_values = tuple(
        FactValue(v[0].text, tuple(sorted({m.source for m in v}, key=order.__getitem__)))
        for v in rows
    )
    return Fact(group[0].measure, fact_values, _disjoint(group) or _exact_differ(group))


def _exact_differ(group: list[Mention]) -> bool:
    exact = {m.low for m in group if m.low == m.high}
    return len(exact) > 1


def _disjoint(group: list[Mention]) -> bool:
    """True when no single value satisfies every mention's interval."""
    return max(m.low for m in group) > min(m.high for m in group)
