"""People, organisations and places, with mention counts per source.

1. Mentions: spans of each cleaned article labelled PERSON, ORG or PLACE. With the optional
   spaCy pipeline (`newsfuse.nlp.spacy_pipeline`) they are its entities (GPE, LOC and FAC become
   PLACE; NORP, dates and numbers are dropped). The recogniser reads only each article's lead,
   where the event's people, organisations and places are introduced, about a sixth of the text;
   in the rest the capitalised-span path below finds the names, and a name the recogniser saw
   (or a person's surname) keeps the recogniser's label. Without the pipeline, runs of
   capitalised words, with their labels guessed from cues around them (a title before a name, an
   organisation word inside, ``in`` or ``from`` before a place). Either way a mention is cut
   back to the name: no leading article, no possessive, no title (``Foreign Minister``), and a
   word that the cluster also writes in lower case is not a name when it opens a sentence.
2. Variants of one entity are merged across the cluster (`aliases`): a surname alone with the
   one full name that ends with it (``Smith`` -> ``John Smith``, ``Rahman`` -> ``Abdul
   al-Rahman``), transliterated first names with the same surname (``Yuri``/``Yury``), an
   acronym with the name it abbreviates (``U.S.``/``US``/``United States``).
3. Entities are ranked by the number of sources that mention them, then mentions, then name.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import Any

from newsfuse import segment
from newsfuse.errors import MissingModel
from newsfuse.model import CleanArticle, Entity
from newsfuse.nlp import places
from newsfuse.nlp import spacy_pipeline as models
from newsfuse.text import STOP_WORDS

__all__ = ["Mention", "Names", "Settings", "aliases", "extract", "find_mentions", "key", "resolve"]

LABELS = ("PERSON", "ORG", "PLACE")


@dataclass(frozen=True, slots=True)
class Settings:
    use_model: bool = True  # the spaCy pipeline when installed, else the capitalised-span path
    # The recogniser reads each article's first sentences: 4 are 17% of the characters of DUC
    # 2002 and Multi-News dev (31 clusters each). Of the top-10 entities that the recogniser
    # finds reading everything (25 clusters of each), 92.0% are in the top 25 (93.6% when it
    # also read every sentence with a quotation mark, 39% of the text; 90.8% with 3 lead
    # sentences; 82.8% without the recogniser), 91.3% with the same label. Quote speakers
    # barely need the quotation sentences: on PolNeAR dev, named sources, the spaCy path without
    # them finds the right speaker for 0.863 of the quotations (0.868 with them; the fast path
    # 0.865; `bench/README.md`).
    model_lead: int = 4
    limit: int | None = 25  # entities returned, the most prominent first; None for all


@dataclass(frozen=True, slots=True)
class Mention:
    """A name in a cleaned article: ``text == article.text[start:end]``."""

    source: str
    start: int
    end: int
    text: str
    label: str  # PERSON, ORG, PLACE, or "" when the fast path found no cue


SPACY_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}

# Titles and roles written before a name ("Foreign Minister X", "Secretary of State Y").
TITLES = frozenset(
    """president vice prime minister secretary senator sen rep representative governor gov
    chancellor mayor king queen prince princess pope judge justice general gen colonel col
    captain capt lieutenant lt sergeant sgt admiral adm commander chief spokesman spokeswoman
    spokesperson director chairman chairwoman chair ceo founder ambassador envoy leader
    minister deputy foreign defence defense interior finance foreign mr mrs ms miss dr prof
    professor sir dame lord lady rev reverend father sister brother archbishop bishop cardinal
    sheikh premier dictator counterpart officer official commissioner attorney coach
    manager inspector detective superintendent dean editor principal sheriff trooper
    councilman councilwoman councillor councilor assemblyman assemblywoman congressman
    congresswoman lawmaker""".split()
)
# Quantifiers that open a sentence capitalised and never start a name ("Many Twitter users").
_QUANTIFIERS = frozenset("many several another every various numerous".split())
# Words that open a sentence before a name ("Although Thomas ...", "Unlike Burma, ...") and
# are not stop words. An article that never writes them in lower case otherwise glued them to
# the name: 27 mentions in the 185 clusters of DUC 2002, DUC 2007 update and Multi-News dev,
# every one wrong. Not "per": a Scandinavian first name there ("Per Lindstrand").
_OPENERS = frozenset(
    """although though despite unlike whereas unless whether since yet however meanwhile
    moreover nevertheless nonetheless instead besides among across beyond amid throughout""".split()
)
# Words inside an organisation's name.
_ORG_WORDS = frozenset(
    """ministry council party committee agency bank university college school company corp
    corporation inc ltd llc plc group association union organisation organization nations
    department office commission court parliament congress senate assembly army navy police
    forces force times post news press institute foundation federation board bureau service
    services network television tv radio club team fund authority administration""".split()
)
# Words inside a place's name.
_PLACE_WORDS = frozenset(
    """street avenue road river mountain mount lake city county province state states island
    islands republic kingdom sea ocean gulf bay valley east west north south peninsula airport
    square district region strait""".split()
)
_CALENDAR = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december jan feb mar apr jun jul aug sep
    sept oct nov dec""".split()
)
# "to" is left out: "according to X", "spoke to X" name people as often as places.
_PLACE_PREPOSITIONS = frozenset("in from at near across into".split())
# Lower-case words allowed inside a name: "Bank of England", "Ludwig van Beethoven".
_CONNECTORS = frozenset("of de del da di van von der den la le du bin ibn al el".split())

# A capitalised word, a dotted acronym, a name with a lower-case particle ("al-Rahman"), or a
# lower-case word (a possible connector).
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|(?:[a-z]{1,3}-)?[A-Z][\w’'\-]*\w|[A-Z]|[a-z]+")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;][\"'”’)]*\s+|\n)[\"'“‘(]*$")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_REPORTING_AFTER = re.compile(r"\s+(?:said|says|told|added|asked|wrote|explained)\b")


def find_mentions(
    articles: Sequence[CleanArticle], settings: Settings | None = None
) -> tuple[tuple[Mention, ...], ...]:
    """The mentions of each article, in input order (the model is run once per article)."""
    settings = settings or Settings()
    found = _model_found(articles, settings) if settings.use_model else None
    if found is None:
        vocab = _vocabulary(articles)
        read: dict[str, _Reading] = {}  # the cluster's runs, each read once (40% recur)
        return _split_of(articles, [_heuristic_mentions(a, vocab, read) for a in articles])
    return _split_of(articles, _propagate(articles, *found))


# "Bob Dole of Kansas", "Garry Norris of IBM": a name of two words or more that the cluster
# also writes alone, then "of" and a name it also writes alone or a place of the table, is two
# names. Institutions stay whole: their head holds an organisation or place word ("Federal
# Bureau of Investigation", "First Baptist Church of Dallas"), or what follows "of" is no name
# of its own ("Baseball Hall of Fame"). `python -m bench.entity_labels --splits` counts the
# pairs split in 205 clusters; the PolNeAR quote scores (`bench.quotes --polnear dev`) stay
# the same.
_OF = re.compile(r" of (?:the )?")
_INSTITUTION_WORDS = (
    _ORG_WORDS
    | _PLACE_WORDS
    | set("house chamber hall museum academy church society center centre hospital".split())
)


def _split_of(
    articles: Sequence[CleanArticle], mentions: Sequence[Sequence[Mention]]
) -> tuple[tuple[Mention, ...], ...]:
    labels: dict[str, str] = {}
    for m in (m for ms in mentions for m in ms):
        if not labels.get(m.text):
            labels[m.text] = m.label
    return tuple(
        tuple(part for m in ms for part in _split_one(a.text, m, labels))
        for a, ms in zip(articles, mentions, strict=True)
    )


def _split_one(text: str, m: Mention, labels: Mapping[str, str]) -> tuple[Mention, ...]:
    of = _OF.search(m.text)
    if of is None:
        return (m,)
    head, tail = m.text[: of.start()], m.text[of.end() :]
    words = [w.strip(".,") for w in head.casefold().split()]
    if head not in labels or len(words) < 2 or _INSTITUTION_WORDS.intersection(words):
        return (m,)
    if tail not in labels and key(tail) not in places.names():
        return (m,)
    end_head, at = m.start + of.start(), m.start + of.end()
    return (
        Mention(
            m.source, m.start, end_head, head, labels[head] or _cue_label(text, (m.start, end_head))
        ),
        Mention(m.source, at, m.end, tail, labels.get(tail) or _cue_label(text, (at, m.end))),
    )


@dataclass(frozen=True, slots=True)
class Names:
    """The cluster's entities with their variants merged: what the entities and quotes stages
    share, resolved once."""

    entities: tuple[Entity, ...]  # every entity, the most prominent first
    aliases: Mapping[str, tuple[str, str]]  # key(surface) -> (canonical name, label)


def resolve(articles: Sequence[CleanArticle], mentions: Sequence[Sequence[Mention]]) -> Names:
    """Merge the variants of each entity (`aliases`) and rank the entities by the number of
    sources that mention them, then mentions, then name."""
    order = [a.id for a in articles]
    groups = _groups([m for ms in mentions for m in ms])
    entities = sorted(
        (_entity(g, order) for g in groups), key=lambda e: (-len(e.counts), -e.total, e.name)
    )
    return Names(tuple(entities), {k: (g.name, g.label) for g in groups for k in g.keys})


def extract(
    articles: Sequence[CleanArticle],
    settings: Settings | None = None,
    *,
    mentions: Sequence[Sequence[Mention]] | None = None,
    names: Names | None = None,
) -> tuple[Entity, ...]:
    """People, organisations and places of the cluster, the most prominent first.

    ``counts`` lists ``(source id, mentions)`` in input order for the sources that mention the
    entity. Pass ``mentions`` (from `find_mentions`) or ``names`` (from `resolve`) to share
    the work with other stages.
    """
    settings = settings or Settings()
    if names is None:
        names = resolve(articles, mentions or find_mentions(articles, settings))
    found = names.entities
    return found[: settings.limit] if settings.limit is not None else found


def aliases(mentions: Iterable[Mention]) -> dict[str, tuple[str, str]]:
    """``key(surface) -> (canonical name, label)`` for every mention of the cluster."""
    return {k: (g.name, g.label) for g in _groups(list(mentions)) for k in g.keys}


_DOTTED = re.compile(r"(?:[A-Za-z]\.){2,}")


def key(text: str) -> str:
    """The comparison key of a surface form: case-folded, dots of acronyms and spaces squeezed."""
    text = _POSSESSIVE.sub("", text.strip())
    if _DOTTED.fullmatch(text):
        text = text.replace(".", "")
    return " ".join(text.split()).casefold()


# --- mentions -------------------------------------------------------------------------------


# Spans of an article that the recogniser read, per article, and the mentions it found there.
_Found = tuple[list[list[tuple[int, int]]], list[list[Mention]]]


def _model_found(articles: Sequence[CleanArticle], settings: Settings) -> _Found | None:
    """Run the recogniser on each article's lead."""
    spans = [_model_spans(a, settings) for a in articles]
    texts = [a.text[x:y] for a, ss in zip(articles, spans, strict=True) for x, y in ss]
    try:
        docs = iter(models.parse_texts(texts))
    except MissingModel:
        return None  # the fast path is the documented fallback, not an error
    found = [
        [m for x, _ in ss for m in _model_mentions(a, next(docs), x)]
        for a, ss in zip(articles, spans, strict=True)
    ]
    return spans, found


def _model_spans(article: CleanArticle, settings: Settings) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in segment.of(article) if s.index < settings.model_lead]


def _model_mentions(article: CleanArticle, doc: Any, offset: int = 0) -> tuple[Mention, ...]:
    out = []
    for ent in doc.ents:
        label = SPACY_LABELS.get(ent.label_)
        if label is None:
            continue
        span = _trim(article.text, offset + ent.start_char, offset + ent.end_char)
        if span is not None and not _in_title_phrase(article.text, span[0]):
            out.append(_mention(article, span, label))
    return tuple(out)


def _propagate(
    articles: Sequence[CleanArticle],
    spans: list[list[tuple[int, int]]],
    found: list[list[Mention]],
) -> tuple[tuple[Mention, ...], ...]:
    """The recogniser's mentions where it read, and the capitalised-span path's elsewhere,
    labelled as the recogniser labelled the same name (or a person's surname) when it saw it."""
    names = _model_labels([m for ms in found for m in ms])
    vocab = _vocabulary(articles)
    read: dict[str, _Reading] = {}
    out = []
    for a, ss, ms in zip(articles, spans, found, strict=True):
        gaps = _gaps(ss, len(a.text))
        extra = [
            replace(m, label=names.get(m.text, m.label))
            for m in _heuristic_mentions(a, vocab, read)
            if any(x <= m.start and m.end <= y for x, y in gaps)
        ]
        out.append(tuple(sorted([*ms, *extra], key=lambda m: (m.start, m.end))))
    return tuple(out)


def _model_labels(mentions: Sequence[Mention]) -> dict[str, str]:
    """Surface -> label, the label the recogniser gave it most often; a multi-word person's
    surname joins as a person unless it is itself a name with another label."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        votes[m.text][m.label] += 1
    names = {t: c.most_common(1)[0][0] for t, c in votes.items()}
    for t, label in list(names.items()):
        parts = t.split()
        if label == "PERSON" and len(parts) > 1 and len(parts[-1]) > 2:
            names.setdefault(parts[-1], "PERSON")
    return names


def _gaps(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """The parts of ``[0, length)`` outside ``spans`` (sorted, disjoint)."""
    out, at = [], 0
    for x, y in spans:
        if x > at:
            out.append((at, x))
        at = max(at, y)
    if at < length:
        out.append((at, length))
    return out


def _heuristic_mentions(
    article: CleanArticle, vocab: _Vocabulary, read: dict[str, _Reading]
) -> tuple[Mention, ...]:
    """The article's names found by their capitals; ``read`` keeps each run's `_reading`, as
    the same run recurs (what a reading tells depends on the run's text alone)."""
    text = article.text
    out = []
    for start, end in _capitalised_runs(text):
        run = text[start:end]
        reading = read.get(run)
        if reading is None:
            reading = read[run] = _reading(run, vocab.lower)
        head, name = reading
        if head < 0 or _in_title_phrase(text, start + head) or name is None:
            continue
        span = (start + name[0], start + name[1])
        label = _cue_label(text, span)
        if label or not _lone_opener(text, span, vocab):
            out.append(_mention(article, span, label))
    return tuple(out)


# Where a run's name starts once titles and openers are dropped (-1: the run holds no name),
# and the name's span within the run after trimming (None: no name is left)
_Reading = tuple[int, tuple[int, int] | None]


def _reading(run: str, lower: frozenset[str]) -> _Reading:
    """A capitalised run read on its own: `_strip_run`, then `_trim` and `_is_slug`."""
    span = _strip_run(run, (0, len(run)), lower)
    if span is None:
        return -1, None
    name = _trim(run, *span)
    if name is None or _is_slug(run[name[0] : name[1]]):
        return span[0], None
    return span[0], name


def _mention(article: CleanArticle, span: tuple[int, int], label: str) -> Mention:
    return Mention(article.id, span[0], span[1], article.text[span[0] : span[1]], label)


_INNER_POSSESSIVE = re.compile(r"['’]s\s")
_ARTICLE = re.compile(r"(?:the|a|an|The|A|An)\s+")


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Cut a span back to the name: no leading article, no possessive tail, nothing after an
    inner possessive (``X’s Russian`` is X)."""
    piece = text[start:end]
    inner = _INNER_POSSESSIVE.search(piece)
    if inner:
        end = start + inner.start()
    lead = _ARTICLE.match(text[start:end])
    if lead:
        start += lead.end()
    tail = _POSSESSIVE.search(text[start:end])
    if tail:
        end = start + tail.start()
    piece = text[start:end]
    if len(piece) < 2 or not any(c.isupper() for c in piece) or piece.casefold() in STOP_WORDS:
        return None
    return start, end


def _in_title_phrase(text: str, start: int) -> bool:
    """``State`` in ``Secretary of State`` is part of a title, not an organisation."""
    before = text[max(0, start - 30) : start]
    if "of" not in before:
        return False  # (most names: the search below needs the word)
    m = _OF_PHRASE.search(before)
    return bool(m and m.group(1).casefold() in TITLES)


_OF_PHRASE = re.compile(r"(\w+)\s+of\s+(?:the\s+)?$")


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    lower: frozenset[str]  # words the cluster writes in lower case: openers and titles
    inner: frozenset[str]  # capitalised words the cluster uses inside a sentence


# Each pattern opens with its first letter (the test of what comes before follows as a
# look-behind) so that the engine skips ahead to candidates: the same matches as a leading \b
# or look-behind, 20% and 55% faster over 146 clusters' articles.
_LOWER_WORD = re.compile(r"[a-z](?<!\w[a-z])[a-z’'\-]+\b")
_INNER_CAPITAL = re.compile(r"[A-Z](?<=[\w,] [A-Z])[\w’'\-]*")


def _vocabulary(articles: Sequence[CleanArticle]) -> _Vocabulary:
    lower: set[str] = set()
    inner: set[str] = set()
    for a in articles:
        lower.update(_LOWER_WORD.findall(a.text))
        for m in _INNER_CAPITAL.finditer(a.text):
            inner.add(_POSSESSIVE.sub("", m.group()))
    return _Vocabulary(frozenset(lower), frozenset(inner))


_PARTICLE_NAME = re.compile(r"[a-z]{1,3}-[A-Z]")  # "al-Rahman"


def _is_cap(word: str) -> bool:
    return word[0].isupper() or ("-" in word[:4] and bool(_PARTICLE_NAME.match(word)))


def _capitalised_runs(text: str) -> Iterable[tuple[int, int]]:
    """Maximal runs of capitalised tokens, joined by spaces and inner connectors."""
    start, last = -1, None
    for tok in _CAPITALISED.finditer(text):
        if last is not None and _joins(text[last.end() : tok.start()], last):
            last = tok
            continue
        if last is not None:
            yield start, last.end()
        start, last = tok.start(), tok
    if last is not None:
        yield start, last.end()


# The capitalised tokens of `_TOKEN`, found without stepping through every lower-case word:
# a particle ("al-") starts a token only where no lower-case word runs into it, as when
# `_TOKEN` reads the lower-case words too ("well-Known" is "well" and "Known").
_CAPITALISED = re.compile(r"(?:[A-Z]\.){2,}|(?:(?<![a-z])[a-z]{1,3}-)?[A-Z][\w’'\-]*\w|[A-Z]")


def _joins(gap: str, last: re.Match[str]) -> bool:
    """Whether the text between two capitalised tokens keeps them in one name: a space, a dot
    and a space after an initial ("Virgie M. Rollins"), or lower-case connectors between
    spaces ("Bank of England", "Ludwig van Beethoven")."""
    if gap.startswith(". ") and last.end() - last.start() == 1:
        gap = gap[1:]
    if gap == " ":
        return True
    if len(gap) < 3 or gap[0] != " " or gap[-1] != " ":
        return False
    return all(w in _CONNECTORS for w in gap[1:-1].split(" "))


def _strip_run(text: str, run: tuple[int, int], lower: frozenset[str]) -> tuple[int, int] | None:
    """Drop titles and sentence openers from the front of a run: what follows the last title
    word is the name (``Russian Foreign Minister X Y`` -> ``X Y``)."""
    word = text[run[0] : run[1]]
    if " " not in word:  # one token (the tokens of a run are joined by spaces): most runs
        title = _POSSESSIVE.sub("", word).casefold() in TITLES
        return None if title or _not_a_name(word, lower) else run
    toks = list(_TOKEN.finditer(text, run[0], run[1]))
    keep = 0
    for i, tok in enumerate(toks):
        if _POSSESSIVE.sub("", tok.group()).casefold() in TITLES:
            keep = i + 1
            while keep + 1 < len(toks) and toks[keep].group() == "of":
                keep += 2  # "Secretary of State": the "of" phrase is the title's
    while keep < len(toks) and _not_a_name(toks[keep].group(), lower):
        keep += 1
    rest = toks[keep:]
    while rest and not _is_cap(rest[-1].group()):
        rest.pop()
    if not rest:
        return None
    return rest[0].start(), rest[-1].end()


def _is_slug(span: str) -> bool:
    """A run of capitals holding a function word or a date is a shouted slug or heading
    ("FOR MOVEMENT FRIDAY NOV", "THE WHITE HOUSE"), not a name: names in capitals are acronyms."""
    toks = span.split()
    return (
        len(toks) > 1
        and span.isupper()
        and any(t.casefold().strip(".,") in STOP_WORDS | _CALENDAR for t in toks)
    )


# Stop words that are contraction fragments ("don" of "don't") and also names ("Don Stewart")
# when written alone.
_NAME_FRAGMENTS = frozenset(("don",))
_APOSTROPHE = re.compile(r"['’]")


def _not_a_name(word: str, lower: frozenset[str]) -> bool:
    bare = _POSSESSIVE.sub("", word)
    if not _is_cap(word):
        return True
    if len(bare) > 1 and bare.replace(".", "").isupper():
        return False  # an acronym ("US", "WHO") even where the word is also a common one
    parts = _APOSTROPHE.split(bare, maxsplit=1)
    if len(parts) > 1 and parts[1][:1].isupper():
        return False  # "O’Donnell", "D’Souza": a name, not a contraction
    folded = parts[0].casefold()  # "I’d" is "I"
    return (
        (folded in STOP_WORDS and not (folded in _NAME_FRAGMENTS and len(parts) == 1))
        or folded in _QUANTIFIERS
        or folded in _OPENERS
        or folded in _CALENDAR
        or folded in TITLES
        or folded in lower
    )


def _lone_opener(text: str, span: tuple[int, int], vocab: _Vocabulary) -> bool:
    """A single capitalised word opening a sentence, never capitalised inside one anywhere in
    the cluster: an adverb or a common noun ("Furthermore", "Conflicts"), not a name."""
    word = text[span[0] : span[1]]
    return " " not in word and word not in vocab.inner and _opens_sentence(text, span[0])


def _opens_sentence(text: str, at: int) -> bool:
    """Whether ``at`` starts a sentence (`_SENTENCE_START` ends there): the text's start, a
    line break or a sentence end and a space before it, quotation marks or brackets between.
    Read backwards from ``at``: searching from the article's start was quadratic."""
    i = at
    while i > 0 and text[i - 1] in "\"'“‘(":
        i -= 1
    if i == 0 or text[i - 1] == "\n":
        return True
    j = i
    while j > 0 and text[j - 1].isspace():
        j -= 1
    if j == i:
        return False
    while j > 0 and text[j - 1] in "\"'”’)":
        j -= 1
    return j > 0 and text[j - 1] in ".!?:;"


_SPAN_WORD = re.compile(r"[\w’'\-.]+")
_WORD_BEFORE = re.compile(r"[\w’'.]+")
_ACRONYM = re.compile(r"(?:[A-Z]\.?){2,6}")


def _cue_label(text: str, span: tuple[int, int]) -> str:
    """The label a mention's own context suggests, or "" when nothing does. Names of people
    take no article, so "the X" is an organisation or a place."""
    words = [w.casefold() for w in _SPAN_WORD.findall(text, span[0], span[1])]
    before = [w.casefold() for w in _WORD_BEFORE.findall(text[max(0, span[0] - 30) : span[0]])]
    prev = _POSSESSIVE.sub("", before[-1]) if before else ""
    if any(w in _ORG_WORDS for w in words):
        return "ORG"
    if prev in TITLES:
        return "PERSON"
    if any(w in _PLACE_WORDS for w in words[1:]):
        return "PLACE"
    if prev in _PLACE_PREPOSITIONS:
        return "PLACE"
    if prev == "the" or _ACRONYM.fullmatch(text, span[0], span[1]):
        return "ORG"
    if _REPORTING_AFTER.match(text, span[1]):
        return "PERSON"
    return ""


# --- merging variants -------------------------------------------------------------------------


@dataclass(slots=True)
class _Group:
    name: str
    label: str
    keys: set[str]
    counts: Counter[str]


@dataclass(slots=True)
class _Surface:
    key: str
    forms: Counter[str]
    labels: Counter[str]
    counts: Counter[str]  # source -> mentions
    first: int  # order of first appearance, for stable ties

    @property
    def tokens(self) -> list[str]:
        return self.key.split()

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _groups(mentions: Sequence[Mention]) -> list[_Group]:
    surfaces = _surfaces(mentions)
    demonyms = _demonyms(surfaces)
    for d in demonyms:
        del surfaces[d]  # "Russian" is an adjective of the place, not an entity of its own
    _infer_labels(surfaces, demonyms.values())
    parent = {k: k for k in surfaces}

    def find(k: str) -> str:
        while parent[k] != k:
            k = parent[k]
        return k

    for short, full in _merges(surfaces):
        a, b = find(short), find(full)
        if a != b:
            parent[a] = b
    members: dict[str, list[_Surface]] = defaultdict(list)
    for k, s in surfaces.items():
        members[find(k)].append(s)
    return [_group(ms) for ms in members.values()]


def _surfaces(mentions: Sequence[Mention]) -> dict[str, _Surface]:
    out: dict[str, _Surface] = {}
    keys: dict[str, str] = {}  # surface -> key: a name recurs
    for m in mentions:
        k = keys.get(m.text) or keys.setdefault(m.text, key(m.text))
        s = out.get(k)
        if s is None:  # (built only when new: a setdefault default was built every time)
            s = out[k] = _Surface(k, Counter(), Counter(), Counter(), len(out))
        s.forms[m.text] += 1
        s.counts[m.source] += 1
        if m.label:
            s.labels[m.label] += 1
    return out


def _demonyms(surfaces: dict[str, _Surface]) -> dict[str, str]:
    """``demonym -> place`` for the single words of the cluster: Kenya -> Kenyan, Kenyans;
    Peru -> Peruvian; Sudan -> Sudanese. English morphology, not a gazetteer."""
    out: dict[str, str] = {}
    for k, s in surfaces.items():
        if len(s.tokens) != 1:
            continue
        stem = k[:-1] if k.endswith(("a", "e", "o")) else k
        for suffix in ("n", "an", "ian", "ese", "ish", "i"):
            for form in (f"{stem}{suffix}", f"{stem}{suffix}s"):
                if form != k and form in surfaces:
                    out[form] = k
    return out


def _infer_labels(surfaces: dict[str, _Surface], demonym_places: Iterable[str]) -> None:
    """Fill in labels the mentions lacked, from the cluster: a word with a demonym is a place,
    a name of two or more words is a person, and so is a word that opens the name of someone
    the text calls a person ("Amy" beside "Senator Amy Lund"); anything else is an
    organisation. Names in the table of places vote first (`_vote_places`)."""
    _vote_places(surfaces)
    first_names = {s.tokens[0] for s in surfaces.values() if len(s.tokens) > 1 and _cued_person(s)}
    demonym_places = set(demonym_places)
    for s in surfaces.values():
        if s.labels:
            continue
        if s.key in demonym_places:
            s.labels["PLACE"] += 1
        elif len(s.tokens) > 1 or s.key in first_names:
            s.labels["PERSON"] += 1
        else:
            s.labels["ORG"] += 1


def _vote_places(surfaces: dict[str, _Surface]) -> None:
    """A name in the table of places (`newsfuse.nlp.places`) gets as many votes for a place as
    it has mentions, which outweighs the cues of its mentions ("the Netherlands", "Beijing
    said") unless every one of them called it a person ("Jordan said"). A word that opens or
    ends a longer name the cluster does not call a place or an organisation gets no vote: it
    is that person's name ("Kerry" beside "John Kerry", "Sofia" beside "Sofia Lund").

    Against the labels of spaCy reading the articles whole (`python -m bench.entity_labels`),
    the table lifts agreement from 0.742 to 0.792 on the fast path and from 0.905 to 0.920 with
    the recogniser; the opening-word rule of `_infer_labels` and the split of `_split_of`
    together had lifted it from 0.733 and 0.896."""
    known = places.names()
    names = {
        t
        for s in surfaces.values()
        if len(s.tokens) > 1 and s.key not in known and (not s.labels or _label(s) == "PERSON")
        for t in (s.tokens[0], s.tokens[-1])
    }
    for s in surfaces.values():
        if s.key in known and s.key not in names:
            s.labels["PLACE"] += s.total


def _cued_person(s: _Surface) -> bool:
    """Whether the mentions themselves (a title, a reporting verb, the recogniser) call it a
    person, rather than the default for a name of several words."""
    return bool(s.labels) and _label(s) == "PERSON"


def _label(s: _Surface) -> str:
    # Ties go to PERSON, then PLACE: spaCy's small model often calls a surname an organisation.
    return max(LABELS, key=lambda lab: (s.labels[lab], lab == "PERSON", lab == "PLACE"))


def _merges(surfaces: dict[str, _Surface]) -> list[tuple[str, str]]:
    """Pairs (variant, name it belongs to). Candidates are looked up by surname and by
    initials: comparing every name with every other took 20 s on a 300-article story."""
    people = [s for s in surfaces.values() if len(s.tokens) > 1 and _label(s) == "PERSON"]
    by_surname: dict[str, list[_Surface]] = defaultdict(list)
    for p in people:
        by_surname[_surname(p.tokens)].append(p)
    by_initials: dict[str, list[_Surface]] = defaultdict(list)
    for t in surfaces.values():
        if len(t.tokens) > 1:
            by_initials[_initials(t)].append(t)
    pairs: list[tuple[str, str]] = []
    for s in surfaces.values():
        if len(s.tokens) == 1:
            full = by_surname.get(_surname(s.tokens), [])
            if _label(s) == "PLACE":
                # A word also read as a place is a surname only where the full name is near:
                # every source using it names the person in full too (news style).
                full = [p for p in full if set(s.counts) <= set(p.counts)]
            if full:
                pairs.append((s.key, max(full, key=lambda p: (p.total, -p.first)).key))
        if _is_acronym(s):
            full_names = by_initials.get(s.key, [])
            if full_names:
                pairs.append((s.key, max(full_names, key=lambda t: (t.total, -t.first)).key))
    for namesakes in by_surname.values():
        for i, a in enumerate(namesakes):
            for b in namesakes[i + 1 :]:
                if _same_person(a.tokens, b.tokens):
                    pairs.append((a.key, b.key))
    # acronyms are also dotted or not ("u.s." and "us" share the key already); "the" forms too
    return pairs


def _surname(tokens: list[str]) -> str:
    last = tokens[-1]
    head, _, tail = last.partition("-")
    # "al-Rahman" is filed under "Rahman" when the particle is written in lower case.
    return tail if tail and head in _CONNECTORS else last


def _same_person(a: list[str], b: list[str]) -> bool:
    """Same surname and first names that differ only in transliteration (Yuri/Yury)."""
    if _surname(a) != _surname(b) or a[0][0] != b[0][0]:
        return False
    # 0.6: "yuri"/"yury" score 0.75, "mohammed"/"muhammad" 0.75; "john"/"james" 0.22.
    return SequenceMatcher(None, a[0], b[0]).ratio() >= 0.6


def _is_acronym(s: _Surface) -> bool:
    form = s.forms.most_common(1)[0][0]
    return 2 <= len(s.key) <= 6 and len(s.tokens) == 1 and form.replace(".", "").isupper()


def _initials(s: _Surface) -> str:
    if len(s.tokens) < 2:
        return ""
    form = s.forms.most_common(1)[0][0]
    return "".join(w[0] for w in form.split() if w[:1].isupper()).casefold()


def _group(members: list[_Surface]) -> _Group:
    members.sort(key=lambda s: s.first)
    full = [s for s in members if len(s.tokens) > 1] or members
    head = max(full, key=lambda s: (s.total, -s.first))
    counts: Counter[str] = Counter()
    for s in members:
        counts.update(s.counts)
    name = head.forms.most_common(1)[0][0]
    label = _label(head)
    if label == "PERSON" and any(_is_acronym(s) for s in members):
        label = "ORG"  # people are not abbreviated to capitals in news: "CDS" is not a person
    return _Group(name, label, {s.key for s in members}, counts)


def _entity(g: _Group, order: Sequence[str]) -> Entity:
    return Entity(g.name, g.label, tuple((src, g.counts[src]) for src in order if g.counts[src]))
