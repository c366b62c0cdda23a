"""Typed, immutable data passed between the pipeline stages.

Offsets are character offsets into the cleaned text of an article, so that every sentence,
citation and quote can be checked against its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsfuse.text import normalize_date, without_bidi_controls


@dataclass(frozen=True, slots=True)
class Article:
    """One article as read from an input, before cleaning."""

    id: str
    text: str
    title: str | None = None
    path: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) when known

    def __post_init__(self) -> None:
        # Every stage reads `published` as an ISO day. Other forms a caller passes are parsed
        # (2017-04-12T14:39:00Z, April 12, 2017); one naming no clear day (08/12/1998) is dropped.
        if self.published is not None:
            object.__setattr__(self, "published", normalize_date(self.published))
        # No field that an output shows may reorder what follows it (`text.BIDI_CONTROLS`).
        for name in ("id", "text", "path", "url"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, without_bidi_controls(value))
        # A title and an outlet are one line wherever they are shown (a listing, a heading):
        # line breaks, tabs and runs of blanks inside them become one space.
        for name in ("title", "outlet"):
            value = getattr(self, name)
            if value is not None:
                value = " ".join(without_bidi_controls(value).split())
                object.__setattr__(self, name, value or None)


@dataclass(frozen=True, slots=True)
class CleanArticle:
    """An article after boilerplate removal. ``text`` is what every offset points into."""

    article: Article
    text: str
    words_in: int
    words_kept: int
    removed: tuple[str, ...] = ()  # the lines that were stripped, in order
    # The sentences of ``text``, split once by the clean stage for every later stage
    # (`newsfuse.segment.of`); empty when the article was built without them.
    sentences: tuple[Sentence, ...] = field(default=(), compare=False, repr=False)
    # The mean reader-voice score of the lines of ``text`` (`newsfuse.clean.comment_score`),
    # computed by the clean stage, which scores the lines anyway, for the quality stage's
    # opinion test; None when the article was built without it or has no line.
    voice: float | None = field(default=None, compare=False, repr=False)
    # The words of ``text`` (`newsfuse.text.words`), lower-cased and joined by single spaces,
    # from the lines the clean stage tokenises anyway, for the quality stage's shingles and
    # function-word counts (one string: a tuple of the words raised the peak memory of a
    # 1,000-article story by 32 MB); None when the article was built without them.
    lowered: str | None = field(default=None, compare=False, repr=False)

    @property
    def id(self) -> str:
        return self.article.id


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a cleaned article: ``text == article.text[start:end]``."""

    source: str
    index: int  # position of the sentence in its article, from 0
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where another source reports a summary sentence: ``text == article.text[start:end]`` of
    the cleaned article ``source``."""

    source: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """A summary sentence, verbatim from ``source``; ``supported_by`` lists every source that
    reports the same information (``source`` included, first), and ``evidence`` gives, for each
    of them but ``source``, the passage where it says so (in the order of ``supported_by``)."""

    text: str
    source: str
    start: int
    end: int
    supported_by: tuple[str, ...]
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation; ``text == article.text[start:end]`` of the article ``source`` (the
    cleanest copy), and ``sources`` lists every source carrying it, ``source`` first.
    ``speaker`` is None when the quotation is attributed (a reporting verb stands by it) but
    its speaker cannot be named with confidence: unattributed rather than guessed."""

    speaker: str | None
    text: str
    sources: tuple[str, ...]
    source: str = ""
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class FactValue:
    value: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Fact:
    """What several sources report about one measured thing; a conflict when values differ."""

    about: str
    values: tuple[FactValue, ...]
    conflict: bool = False  # no single value satisfies every report

    @property
    def is_conflict(self) -> bool:
        return self.conflict


@dataclass(frozen=True, slots=True)
class Entity:
    name: str
    label: str  # PERSON, ORG, PLACE
    counts: tuple[tuple[str, int], ...]  # (source id, mentions)

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)


@dataclass(frozen=True, slots=True)
class Event:
    date: str  # ISO date
    text: str
    source: str


@dataclass(frozen=True, slots=True)
class Source:
    """The ledger entry of one input in a briefing."""

    id: str
    path: str | None
    title: str | None
    outlet: str | None
    published: str | None
    words_in: int
    words_kept: int
    flags: tuple[str, ...] = ()
    duplicate_of: str | None = None
    spun_score: float | None = None
    url: str | None = None  # where a fetched source was read (its canonical URL)


@dataclass(frozen=True, slots=True)
class ClaimReport:
    """What one source says about a claim: its passage, the support judge's probability that
    it reports the claim, and, when it gives other numbers for it, those values as written."""

    source: str
    text: str
    score: float
    values: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ClaimCheck:
    """Which sources report a claim, which give different numbers for it, which are silent."""

    claim: str
    support: tuple[ClaimReport, ...]
    differ: tuple[ClaimReport, ...]
    silent: tuple[str, ...]
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Briefing:
    title: str
    summary: tuple[SummarySentence, ...]
    sources: tuple[Source, ...]
    quotes: tuple[Quote, ...] = ()
    facts: tuple[Fact, ...] = ()
    entities: tuple[Entity, ...] = ()
    timeline: tuple[Event, ...] = ()
    problems: tuple[str, ...] = field(default=())  # one line per input that could not be used

    @property
    def conflicts(self) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts if f.is_conflict)

    @property
    def agreements(self) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts if not f.is_conflict)

    def to_json(self) -> str:
        from newsfuse.writers import render

        return render(self, "json")

    def to_markdown(self) -> str:
        from newsfuse.writers import render

        return render(self, "markdown")
