"""Direct quotations with their speakers, merged across sources.

1. Quotations are the spans between paired quotation marks (curly or straight) on one line of
   the cleaned text. Spans under ``min_words`` words are scare quotes, not statements, and are
   not reported (they still mask their text from the speaker search).
2. The speaker slot is found by the shapes news English uses, tried in order:
   ``"…," X said`` and ``"…," said X`` right after the closing mark (after a closing comma any
   verb will do: ``"…," X lamented``); ``X said: "…"`` and ``X said that … "…"`` or
   ``according to X`` before the quotation in its sentence; a quotation continuing the previous
   one on the same line (``"…," X said. "…"``) has its speaker; last, the previous sentence of
   the paragraph.
3. The slot is resolved to a named person of the article: a name in it, else a title
   (``the minister``: the person the article introduces with that title), else a pronoun
   (``he``: the subject of the nearest sentence naming a person, the sentence's own prefix
   first). Names are then canonicalised across the cluster by `newsfuse.entities.aliases`
   (``Okafor`` -> ``Ngozi Okafor``).
4. Copies of one quotation in different sources are merged when their word sequences mostly
   match (difflib's ratio, so that a machine-"spun" copy with swapped words still matches) and
   their speakers agree or one is unresolved. The merged quotation takes its text from the
   cleanest copy (lowest noise score) and lists every source carrying it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher

from newsfuse import entities, segment
from newsfuse.entities import Mention
from newsfuse.model import CleanArticle, Quote, Sentence
from newsfuse.text import STOP_WORDS

__all__ = ["Settings", "extract", "similarity"]


@dataclass(frozen=True, slots=True)
class Settings:
    use_model: bool = True  # the spaCy pipeline finds the names when installed
    # Fewer words than this is a scare quote ("real man", "complicit"), not a statement.
    min_words: int = 4
    # Word-sequence similarity at or above which two copies are one quotation. Measured by
    # bench/quotes.py on Multi-News quotations: copies with 30% of their words swapped score
    # 0.70 on average (recall 0.957 at 0.5), different quotations of one cluster 0.10 (99th
    # percentile 0.42; 7 pairs in 1,000 reach 0.5, mostly the same quotation repeated).
    same: float = 0.5
    # Quotations taken from one article: merging compares copies pairwise across the cluster.
    # News articles hold a few dozen at most; a hostile page of 10,000 quote marks otherwise
    # took minutes.
    max_per_article: int = 300


# Verbs that introduce speech in news English.
REPORTING = frozenset(
    """said says say saying told tells telling added adds adding stated declared asked
    explained insisted warned noted wrote writes tweeted announced countered replied argued
    claimed continued commented remarked lamented acknowledged admitted conceded confirmed
    denied urged stressed emphasised emphasized suggested recalled reiterated predicted vowed
    promised complained concluded observed answered responded quipped charged cautioned
    cautions announced insists warns notes argues claims""".split()
)
# Head nouns that stand for a person introduced earlier with the same title.
ROLES = entities.TITLES | frozenset("diplomat head boss official spokesperson".split())
PRONOUNS = frozenset(("he", "she"))

_QUOTED = re.compile(r"“[^“”\n]*”|\"[^\"\n]*\"")
_WORD = re.compile(r"[\w’'\-]+")
# A slot ends at clause punctuation, a quotation mark or a line break.
_STOP = ',;:.!?“”"()—–\n'
# Characters around a quotation (and before a verb) searched for its speaker: scanning the
# whole sentence for each of many quotation marks in one long line was quadratic.
_REACH = 600
_AFTER_MARK = re.compile(r"[ \t]*(,)?[ \t]*")
_ROLE_AFTER = re.compile(r",\s+(?:the\s+)?(?:[\w’'\-]+\s+){0,3}?([\w’'\-]+)")
_SLOT_WORDS = 8  # "Deputy Foreign Minister Ana Maria Costa" and a little more
# Words after a name that show it is not the subject of a clause ("Smith and", "Smith of").
_NOT_PREDICATE = frozenset(
    "and or of in on at to for with from by as the a an but nor than that who which whose".split()
)


@dataclass(frozen=True, slots=True)
class _Copy:
    """One quotation as one source carries it."""

    source: str
    order: int  # index of the article in the input
    start: int
    end: int
    text: str
    speaker: str  # canonical name, "" when unresolved
    words: tuple[str, ...]


@dataclass(slots=True)
class _Group:
    copies: list[_Copy]
    speakers: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)


def extract(
    articles: Sequence[CleanArticle],
    settings: Settings | None = None,
    *,
    noise: Mapping[str, float] | None = None,
    not_support: frozenset[str] = frozenset(),
    mentions: Sequence[Sequence[Mention]] | None = None,
) -> tuple[Quote, ...]:
    """The attributed quotations of the cluster, the most widely carried first.

    ``noise`` scores each source (lower is cleaner): a merged quotation's text comes from its
    cleanest copy. ``sources`` lists the cleanest first, then input order, without the
    ``not_support`` ids unless that would leave none. Pass ``mentions`` (from
    `newsfuse.entities.find_mentions`) to share one parse with the entities stage.
    """
    settings = settings or Settings()
    if mentions is None:
        mentions = entities.find_mentions(
            articles, entities.Settings(use_model=settings.use_model, limit=None)
        )
    names = entities.aliases(m for ms in mentions for m in ms)
    copies = [
        c
        for i, (a, ms) in enumerate(zip(articles, mentions, strict=True))
        for c in _copies(a, i, ms, names, settings)[: settings.max_per_article]
    ]
    vocab = [frozenset(w.casefold() for w in _WORD.findall(a.text)) for a in articles]
    rank = _Ranker(noise or {}, vocab)
    groups = [g for g in _merge(copies, settings.same) if g.speakers]
    # The most widely carried first, then in the order the cluster first quotes them.
    groups.sort(key=lambda g: (-len(g.sources), min((c.order, c.start) for c in g.copies)))
    return tuple(_quote(g, rank, not_support) for g in groups)


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """How alike two quotations' word sequences are (lower-cased words): difflib's ratio, or
    the share of the shorter one found in order in the longer when that is a long excerpt."""
    a = [w.casefold() for w in a]
    b = [w.casefold() for w in b]
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < 0.2:
        return 0.0
    matched = sum(block.size for block in matcher.get_matching_blocks())
    ratio = 2 * matched / (len(a) + len(b)) if a or b else 0.0
    shorter = min(len(a), len(b))
    # An excerpt of 8+ words quoted whole inside a longer copy is the same quotation.
    return max(ratio, matched / shorter if shorter >= 8 else 0.0)


# --- quotations and their speakers in one article ---------------------------------------------


@dataclass(frozen=True, slots=True)
class _Article:
    """An article prepared for the speaker search."""

    article: CleanArticle
    masked: str  # the text with every quotation's inside blanked, offsets unchanged
    sentences: tuple[Sentence, ...]
    starts: tuple[int, ...]  # sentence starts, for bisection
    mentions: tuple[Mention, ...]  # outside quotations, in order
    names: Mapping[str, tuple[str, str]]
    # The people among the mentions and their starts, found once: searched per quotation,
    # a scan of every mention was quadratic in an article of many quotations and names.
    persons: tuple[Mention, ...] = ()
    person_starts: tuple[int, ...] = ()

    def name(self, m: Mention) -> tuple[str, str]:
        return self.names.get(entities.key(m.text), (m.text, m.label))

    def people(self, lo: int = 0, hi: int | None = None) -> list[Mention]:
        """The people mentioned within ``[lo, hi)``."""
        hi = len(self.masked) if hi is None else hi
        first = bisect.bisect_left(self.person_starts, lo)
        last = bisect.bisect_left(self.person_starts, hi)
        return [m for m in self.persons[first:last] if m.end <= hi]

    def sentence_at(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.starts, pos) - 1)


def _copies(
    article: CleanArticle,
    order: int,
    mentions: Sequence[Mention],
    names: Mapping[str, tuple[str, str]],
    settings: Settings,
) -> list[_Copy]:
    spans = [(m.start(), m.end()) for m in _QUOTED.finditer(article.text)]
    ctx = _prepare(article, spans, mentions, names)
    out: list[_Copy] = []
    previous = (-1, "")  # (line start, speaker) of the last quotation
    for open_, close in spans:
        line = article.text.rfind("\n", 0, open_) + 1
        speaker = _attribute(ctx, open_, close)
        if not speaker and previous[0] == line:
            speaker = previous[1]  # a quotation continued after "…," X said.
        speaker = speaker or _previous_sentence(ctx, open_, line)
        previous = (line, speaker)
        copy = _copy(article, order, open_, close, speaker)
        if copy is not None and len(copy.words) >= settings.min_words:
            out.append(copy)
    return out


def _prepare(
    article: CleanArticle,
    spans: Sequence[tuple[int, int]],
    mentions: Sequence[Mention],
    names: Mapping[str, tuple[str, str]],
) -> _Article:
    chars = list(article.text)
    for open_, close in spans:
        chars[open_ + 1 : close - 1] = " " * (close - open_ - 2)
    masked = "".join(chars)
    outside = tuple(m for m in mentions if masked[m.start : m.end] == m.text)
    sentences = segment.split(article.text, article.id)
    starts = tuple(s.start for s in sentences)
    ctx = _Article(article, masked, sentences, starts, outside, names)
    persons = tuple(m for m in outside if ctx.name(m)[1] == "PERSON")
    return replace(ctx, persons=persons, person_starts=tuple(m.start for m in persons))


def _copy(article: CleanArticle, order: int, open_: int, close: int, speaker: str) -> _Copy | None:
    """The quotation inside the marks, without surrounding blanks and a closing comma."""
    start, end = open_ + 1, close - 1
    text = article.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    if start >= end:
        return None
    body = text[start:end]
    return _Copy(article.id, order, start, end, body, speaker, tuple(_WORD.findall(body)))


def _attribute(ctx: _Article, open_: int, close: int) -> str:
    """The speaker named in the quotation's own sentence, or "": right after the closing mark,
    then before the quotation, then later in the sentence (``"…" that …, X said``)."""
    line = ctx.article.text.rfind("\n", 0, open_) + 1
    sentence = ctx.sentences[ctx.sentence_at(open_)] if ctx.sentences else None
    begin = max(sentence.start if sentence else 0, line)
    end = ctx.article.text.find("\n", close)
    end = len(ctx.masked) if end < 0 else end
    if sentence is not None and sentence.end >= close:
        end = min(end, sentence.end)
    begin, end = max(begin, open_ - _REACH), min(end, close + _REACH)
    return (
        _right_after(ctx, open_, close)
        or _before(ctx, begin, open_)
        or _verbs(ctx, close, end, reverse=False)
    )


def _right_after(ctx: _Article, open_: int, close: int) -> str:
    """``"…," X said`` / ``"…," said X`` / ``"…," X <any verb>`` right after the closing mark."""
    text = ctx.masked
    inner = ctx.article.text[open_ + 1 : close - 1].rstrip()
    m = _AFTER_MARK.match(text, close)
    pos = m.end() if m else close
    expects = inner.endswith((",", "?", "!", "—")) or bool(m and m.group(1))
    words = list(_WORD.finditer(text, pos, _clause_end(text, pos)))[:_SLOT_WORDS]
    if not words:
        return ""
    if words[0].group().casefold() in REPORTING:  # inverted: "…," said the minister
        return _resolve(ctx, words[1].start() if len(words) > 1 else pos, words[-1].end())
    if expects:  # a closing comma announces the attribution, whatever its verb
        return _resolve(ctx, pos, _subject_end(text, words))
    return ""


def _before(ctx: _Article, begin: int, open_: int) -> str:
    """``X said: "…"`` / ``X said that … "…"`` / ``according to X`` / ``X had a retort: "…"``."""
    text = ctx.masked
    acc = list(re.finditer(r"\baccording to\s+", text[begin:open_], re.IGNORECASE))
    if acc:
        start = begin + acc[-1].end()
        speaker = _resolve(ctx, start, _clause_end(text, start))
        if speaker:
            return speaker
    speaker = _verbs(ctx, begin, open_, reverse=True)
    if not speaker and text[begin:open_].rstrip().endswith(":"):
        # "X had a prepared retort: "…"": the subject of the introducing clause speaks.
        speaker = _sentence_subject(ctx, begin, open_)
    return speaker


def _verbs(ctx: _Article, begin: int, end: int, *, reverse: bool) -> str:
    """The first reporting verb in ``[begin, end)`` (the nearest one when ``reverse``) whose
    subject resolves to a name."""
    verbs = [w for w in _WORD.finditer(ctx.masked, begin, end) if w.group().casefold() in REPORTING]
    for verb in reversed(verbs) if reverse else verbs:
        if verb.group().endswith("ing"):
            continue  # "…, saying": the subject is the main clause's, found at its own verb
        slot = _subject_before(ctx.masked, begin, verb.start())
        speaker = _resolve(ctx, *slot) if slot else ""
        if speaker:
            return speaker
    return ""


def _sentence_subject(ctx: _Article, begin: int, end: int) -> str:
    people = ctx.people(begin, end)
    subjects = [m for m in people if _is_subject(ctx.masked, m)]
    return ctx.name(subjects[0])[0] if subjects else ""


def _previous_sentence(ctx: _Article, open_: int, line: int) -> str:
    """A quotation standing alone after ``X said …`` in the previous sentence of its paragraph."""
    i = ctx.sentence_at(open_)
    if i == 0 or ctx.sentences[i - 1].start < line:
        return ""
    prev = ctx.sentences[i - 1]
    return _verbs(ctx, prev.start, prev.end, reverse=True)


def _clause_end(text: str, pos: int) -> int:
    end, limit = pos, min(len(text), pos + _REACH)
    while end < limit and text[end] not in _STOP:
        end += 1
    return end


def _subject_end(text: str, words: list[re.Match[str]]) -> int:
    """The end of the words that can be a subject: a pronoun, or up to the first lower-case
    word after a capitalised run (``X`` in ``X pronounced in …``)."""
    if words[0].group().casefold() in PRONOUNS:
        return words[0].end()
    end = words[0].end()
    for w in words[1:]:
        if not (w.group()[0].isupper() or w.group() in _CONNECTORS):
            break
        end = w.end()
    return end


# Between a subject and its verb: adverbs, auxiliaries, a parenthetical (", meanwhile,").
_GAP = re.compile(
    r"(?:,[ \t]*[a-z]+(?:[ \t]+[a-z]+)?[ \t]*,)?[ \t]*"
    r"(?:\b(?:also|then|later|again|has|had|have|was|is|will|would|\w+ly)[ \t]+)*$"
)
_CONNECTORS = frozenset("of the al bin de van von".split())
# A name, then a comma-delimited aside of up to 120 characters, then the verb's comma.
_ASIDE = re.compile(
    r"(?<![\w’'])([A-Z][\w’'\-]*(?:[ \t]+[A-Z][\w’'\-]*)*),[^.;:“”\"\n]{1,120},[ \t]*$"
)


def _subject_before(text: str, begin: int, verb: int) -> tuple[int, int] | None:
    """The subject right before a verb: a run of capitalised words, role nouns, connectors or a
    pronoun (``Russian Foreign Minister X``, ``ministry spokeswoman X``, ``the minister``,
    ``he``), after skipping adverbs and a parenthetical."""
    begin = max(begin, verb - _REACH)
    gap = _GAP.search(text, begin, verb)
    end = gap.start() if gap else verb
    aside = _ASIDE.search(text, begin, end)
    if aside:  # "X, echoing past denials of …, said"
        return aside.span(1)
    words = list(_WORD.finditer(text, begin, end))
    start = end
    for w in reversed(words[-_SLOT_WORDS:]):
        if text[w.end() : start].strip():
            break  # punctuation between words ends the subject
        word = w.group()
        folded = word.casefold()
        if not (word[0].isupper() or folded in ROLES or folded in _CONNECTORS):
            if folded in PRONOUNS and start == end:
                start = w.start()
            break
        start = w.start()
    return (start, end) if start < end else None


# --- resolving a slot to a person -------------------------------------------------------------


def _resolve(ctx: _Article, start: int, end: int) -> str:
    """The canonical name the slot ``text[start:end]`` stands for, or "" if none."""
    words = [w.group() for w in _WORD.finditer(ctx.masked, start, end)]
    if not words:
        return ""
    named = [m for m in ctx.mentions if start <= m.start and m.end <= end]
    named = [m for m in named if ctx.name(m)[1] in ("PERSON", "ORG")]
    role = _role(ctx.masked, start, end, named[-1].end if named else start)
    if role:
        titled = _by_title(ctx, role, start)
        if titled:
            return titled
    if named:
        people = [m for m in named if ctx.name(m)[1] == "PERSON"] or named
        return ctx.name(people[-1])[0]
    if len(words) <= 2 and words[-1].casefold() in PRONOUNS:
        return _by_pronoun(ctx, start)
    return ""


def _role(text: str, start: int, end: int, after: int) -> str:
    """The last role noun of the slot after its last name (``the ministry's top lawyer``)."""
    roles = [
        w.group().casefold()
        for w in _WORD.finditer(text, max(start, after), end)
        if w.group().casefold() in ROLES
    ]
    return roles[-1] if roles else ""


def _by_title(ctx: _Article, role: str, pos: int) -> str:
    """The person the article introduces with ``role`` (``Foreign Minister X``, ``X, the
    minister``): the last one before ``pos``, else the first after."""
    text = ctx.article.text
    found = []
    for m in ctx.people():
        before = [w.casefold() for w in _WORD.findall(text[max(0, m.start - 50) : m.start])][-5:]
        after = _ROLE_AFTER.match(text, m.end)
        if role in before or (after and after.group(1).casefold() == role):
            found.append(m)
    earlier = [m for m in found if m.start < pos]
    chosen = earlier[-1] if earlier else (found[0] if found else None)
    return ctx.name(chosen)[0] if chosen else ""


def _by_pronoun(ctx: _Article, pos: int) -> str:
    """The antecedent of a pronoun at ``pos``: in the sentence's prefix, then in up to three
    sentences back, the first person who is the subject of a clause, else the first person
    named (the subject of the previous sentence is the likeliest antecedent: centering theory,
    Grosz, Joshi & Weinstein 1995)."""
    i = ctx.sentence_at(pos)
    for j in range(i, max(-1, i - 4), -1):
        lo = ctx.sentences[j].start if ctx.sentences else 0
        hi = pos if j == i else ctx.sentences[j].end
        here = ctx.people(lo, hi)
        if here:
            subject = next((m for m in here if _is_subject(ctx.masked, m)), here[0])
            return ctx.name(subject)[0]
    return ""


# Auxiliaries are predicates here ("X has agreed") although they are stop words elsewhere.
_AUXILIARIES = frozenset("has had was is will would did does could should".split())


def _is_subject(text: str, m: Mention) -> bool:
    """A name followed by a predicate (``X said``, ``X also charged``, ``X, 64, said``)."""
    nxt = re.match(r"(?:,[^,\n]{1,25},)?\s+(?:also\s+|\w+ly\s+)?([a-z]+)", text[m.end : m.end + 60])
    if nxt is None:
        return False
    word = nxt.group(1)
    return word in _AUXILIARIES or (word not in _NOT_PREDICATE and word not in STOP_WORDS)


# --- merging copies across sources ------------------------------------------------------------


def _merge(copies: Sequence[_Copy], threshold: float) -> list[_Group]:
    """Greedy agglomeration, most similar pairs first; never two copies of one source in a
    group, and never two different resolved speakers."""
    groups = [_Group([c], {c.speaker} - {""}, {c.source}) for c in copies]
    owner = list(range(len(copies)))
    pairs = []
    for i, a in enumerate(copies):
        for j in range(i + 1, len(copies)):
            b = copies[j]
            if a.source != b.source:
                sim = similarity(a.words, b.words)
                if sim >= threshold:
                    pairs.append((-sim, i, j))
    for _, i, j in sorted(pairs):
        gi, gj = owner[i], owner[j]
        into, other = groups[gi], groups[gj]
        if gi == gj or into.sources & other.sources or len(into.speakers | other.speakers) > 1:
            continue
        into.copies += other.copies
        into.speakers |= other.speakers
        into.sources |= other.sources
        for k, g in enumerate(owner):
            if g == gj:
                owner[k] = gi
    return [groups[g] for g in sorted(set(owner))]


@dataclass(frozen=True, slots=True)
class _Ranker:
    """Orders the copies of a quotation, cleanest first: the noise score of its source, then
    how many of its words the other sources also use (a spun copy's substitutes are rare
    there), then input order."""

    noise: Mapping[str, float]
    vocab: Sequence[frozenset[str]]

    def key(self, c: _Copy) -> tuple[float, float, int, int]:
        others = [v for k, v in enumerate(self.vocab) if k != c.order]
        words = [w.casefold() for w in c.words]
        shared = sum(any(w in v for v in others) for w in words) / max(1, len(words))
        return (self.noise.get(c.source, 0.0), -shared, c.order, c.start)


def _quote(g: _Group, rank: _Ranker, not_support: frozenset[str]) -> Quote:
    usable = [c for c in g.copies if c.source not in not_support] or g.copies
    best = min(usable, key=rank.key)
    rest = sorted({c.order: c.source for c in usable if c.source != best.source}.items())
    return Quote(
        speaker=next(iter(g.speakers)),
        text=best.text,
        sources=(best.source, *(s for _, s in rest)),
        source=best.source,
        start=best.start,
        end=best.end,
    )
