"""Names of places that the fast path can label without a model.

Without the spaCy recogniser, a name's label comes from its context ("in X", "the X", "X
said") and, failing that, from its shape, so a lone "Beijing" came out as an organisation. The
countries of the world (with their other names: "Burma", "Great Britain"), the capitals of
those of a million people or more, the states of the United States and the world's regions are
facts that `countryinfo` ships as data in its wheel (MIT licence, 2 MB), read here once per
process and never changed. Capitals of small territories and the divisions of other countries
are left out: they are full of people's names ("Victoria", "Hamilton", "Kerry", "Cook").

The loader is cached like the spaCy pipeline (`newsfuse.nlp.spacy_pipeline`): the table is
immutable and costs about 0.1 s to build. Without `countryinfo` the table is empty and names
are labelled from their context alone, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

__all__ = ["names"]

# Short forms that news writes for a place: country codes are mostly left out, since "CAN",
# "PER" and "ARE" are words too, but these are read as the places they abbreviate.
_ABBREVIATIONS = ("US", "USA", "UK", "UAE", "USSR")
# Places of the news archive that a table of today's countries lacks.
_HISTORICAL = (
    "Soviet Union",
    "East Germany",
    "West Germany",
    "Yugoslavia",
    "Czechoslovakia",
    "England",
    "Scotland",
    "Wales",
    "Northern Ireland",
    "Middle East",
)


@lru_cache(maxsize=1)
def names() -> frozenset[str]:
    """The place names, case-folded (as `newsfuse.entities.key` compares names); empty when
    `countryinfo` is not installed."""
    try:
        from countryinfo import all_countries
    except ImportError:
        return frozenset()
    found = {*_ABBREVIATIONS, *_HISTORICAL}
    for country in all_countries():
        found.update(_fields(country))
    return frozenset(n.casefold() for n in found if n)


def _fields(country: Any) -> Iterable[str]:
    name = _text(country.name)
    yield from name
    yield from _text(country.region)
    yield from _text(country.subregion)
    yield from (n for n in _texts(country.alt_spellings) if len(n) > 4)  # not "Mann", "Thai"
    if _population(country) >= _CAPITAL_POPULATION:
        yield from _text(country.capital)
    if name == ["United States"]:
        yield from _texts(country.provinces)


# Capitals of countries this large: "Beijing", "Nairobi", "Oslo", but not "Victoria" or
# "Kingston" of small territories.
_CAPITAL_POPULATION = 1_000_000


def _population(country: Any) -> int:
    try:
        value = country.population()
    except (KeyError, AttributeError, TypeError, ValueError):
        return 0
    return value if isinstance(value, int) else 0


def _text(field: Callable[[], Any]) -> list[str]:
    return _texts(lambda: [field()])


def _texts(field: Callable[[], Any]) -> list[str]:
    """A field's names, or none where the table lacks the field for this country (the library
    raises then)."""
    try:
        values = field()
    except (KeyError, AttributeError, TypeError, ValueError):
        return []
    return [v.strip() for v in values or () if isinstance(v, str) and v.strip()]
