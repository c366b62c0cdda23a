"""Direct quotations with their speakers, merged across sources.

1. Quotations are the spans between paired quotation marks (curly or straight) on one line of
   the cleaned text. Spans under ``min_words`` words are scare quotes, not statements, and are
   not reported (they still mask their text from the speaker search).
2. A quotation is reported when a reporting verb (or ``according to``) stands in its sentence;
   one whose speaker the rules below cannot name is reported with no speaker (``None``)
   rather than a guess, and never falls to the article's main subject by default.
3. The speaker slot is found by the shapes news English uses, tried in order:
   ``"…," X said`` and ``"…," said X`` right after the closing mark (after a closing comma any
   verb will do: ``"…," X lamented``); ``X said: "…"`` and ``X said that … "…"`` or
   ``according to X`` before the quotation in its sentence; then the previous sentence of the
   paragraph; then a paragraph ending ``X stated:`` right before it; then the one named subject
   of its sentence (``X put the cost at "…"``); then a quotation continuing the previous one on
   the same line (``"…," X said. "…"``) has its speaker unless a new subject opens a sentence
   between; a paragraph opening with a quotation right after a paragraph holding an attributed
   one continues that speaker's run; last, a paragraph of bare quotation takes the name that
   signs the next paragraph (``- X.``) or the speaker of the sentence that ends the one before.
   A naming verb close before the quotation (``X called Y "…"``, ``described it as "…"``) is
   tried right after the quotation's own sentence: its subject speaks; a passive verb, its
   agent (``X was asked by Y``); an indefinite (``one lawmaker``, ``a senior X adviser``) names
   no one.
4. The slot is resolved to a named person of the article: a name in it, else a title
   (``the minister``: the person the article introduces with that title), else a pronoun
   (``he``: the previous quotation's speaker when no one else was named since, else the
   subject of a clause in the sentence's own prefix or up to three sentences back; anyone the
   article shows to take the other pronoun is skipped, and when no subject fits the quotation
   keeps no speaker rather than a guess). Names are then canonicalised
   across the cluster by `newsfuse.entities.aliases` (``Okafor`` -> ``Ngozi Okafor``).
5. Copies of one quotation in different sources are merged when their word sequences mostly
   match (difflib's ratio, so that a machine-"spun" copy with swapped words still matches) and
   their speakers agree or one is unresolved. The merged quotation takes its text from the
   cleanest copy (lowest noise score) and lists every source carrying it.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
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
    cautions announced insists warns notes argues claims writing noting arguing claiming
    warning insisting explaining declaring tweeting joked joking groused boasted bragged
    blasted slammed mocked scoffed shouted yelled yelling testified emailed texted posted
    pledged interjected retorted recounted pressed mused promising vowing pledging urging
    predicting complaining stressing suggesting acknowledging admitting conceding confirming
    denying recalling reiterating responding replying announcing countering remarking
    lamenting cautioning boasting bragging blasting slamming mocking testifying posting""".split()
)
# Verbs that put words on their object (``X called the plan "…"``, ``X described Y as "…"``):
# the quotation is the subject's words, though the verb is no verb of speech.
NAMING = frozenset(
    """called calling calls described describing describes labeled labelled labeling
    labelling labels dubbed dubbing branded branding termed terming referred referring refers
    characterized characterised characterizing deemed praised praising hailed hailing
    accused accusing""".split()
)
# Characters between a naming verb and its quotation ("praising X, who …, as "…"").
# PolNeAR train (fast path): 60, 120 and 200 give the same attributions.
_NAMING_REACH = 120
# Head nouns that stand for a person introduced earlier with the same title.
ROLES = entities.TITLES | frozenset("diplomat head boss official spokesperson".split())
PRONOUNS = frozenset(("he", "she"))

_QUOTED = re.compile(r"“[^“”\n]*”|\"[^\"\n]*\"")
_WORD = re.compile(r"[\w’'\-]+")
# A slot ends at clause punctuation, a quotation mark or a line break.
_STOP = ',;:.!?“”"()—–\n'
# How far back (characters) the previous quotation's speaker stays the likeliest "he".
_NEAR = 600
# Sentences searched for a pronoun's antecedent, its own included, not counting sentences wholly
# inside a quotation. Measured on PolNeAR train (840 articles, the gender rule of `_by_pronoun`
# in place), by the annotators' chain: the second sentence back adds 48 right and 15 wrong
# attributions, the third 21 and 8.
_BACK = 4
# Characters around a quotation (and before a verb) searched for its speaker: scanning the
# whole sentence for each of many quotation marks in one long line was quadratic.
_REACH = 600
_AFTER_MARK = re.compile(r"[ \t]*(,)?[ \t]*")
_APPOSED = re.compile(r",\s+((?:[\w’'\-]+\s+){0,3}[\w’'\-]+)")
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
    cued: bool  # a reporting verb sits by it: a statement even when no speaker is resolved
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
    names: Mapping[str, tuple[str, str]] | None = None,
) -> tuple[Quote, ...]:
    """The attributed quotations of the cluster, the most widely carried first.

    ``noise`` scores each source (lower is cleaner): a merged quotation's text comes from its
    cleanest copy. ``sources`` lists the cleanest first, then input order, without the
    ``not_support`` ids unless that would leave none. Pass ``mentions`` (from
    `newsfuse.entities.find_mentions`) to share one parse with the entities stage, and
    ``names`` (`newsfuse.entities.Names.aliases`) to share its merged names.
    """
    settings = settings or Settings()
    if mentions is None:
        mentions = entities.find_mentions(
            articles, entities.Settings(use_model=settings.use_model, limit=None)
        )
    if names is None:
        names = entities.aliases(m for ms in mentions for m in ms)
    copies = [
        c
        for i, (a, ms) in enumerate(zip(articles, mentions, strict=True))
        for c in _copies(a, i, ms, names, settings)[: settings.max_per_article]
    ]
    groups = [g for g in _merge(copies, settings.same) if g.speakers or _cued(g)]
    # each article's words, for ranking the copies of a quotation carried more than once
    merged = any(len(g.copies) > 1 for g in groups)
    vocab = [_vocabulary(a.text) for a in articles] if merged else []
    rank = _Ranker(noise or {}, vocab)
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


def _vocabulary(text: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD.findall(text))


def _may_match(a: Counter[str], b: Counter[str], threshold: float) -> bool:
    """Whether two quotations' word counts allow a `similarity` of ``threshold``: the words
    difflib matches in order are at most the words the two share, so the shared count bounds
    both of its measures. Most pairs of a cluster's quotations share too few words to be
    copies, and this skips the sequence matching for them (same merges)."""
    # (a & b).total(), over the words the two share only: a Counter's & steps through
    # every word of a in Python (2.4 instead of 5.3 µs a pair)
    shared = sum(min(a[w], b[w]) for w in a.keys() & b.keys())
    la, lb = a.total(), b.total()
    shorter = min(la, lb)
    ratio = 2 * shared / (la + lb) if la + lb else 0.0
    return max(ratio, shared / shorter if shorter >= 8 else 0.0) >= threshold


# --- quotations and their speakers in one article ---------------------------------------------


@dataclass(frozen=True, slots=True)
class _Article:
    """An article prepared for the speaker search."""

    article: CleanArticle
    masked: str  # the text with every quotation's inside blanked, offsets unchanged
    sentences: tuple[Sentence, ...]
    starts: tuple[int, ...]  # sentence starts, for bisection
    mentions: tuple[Mention, ...]  # outside quotations, in order
    names: Mapping[Mention, tuple[str, str]]  # canonical name and label of each mention
    # The people among the mentions and their starts, found once: searched per quotation,
    # a scan of every mention was quadratic in an article of many quotations and names.
    persons: tuple[Mention, ...]
    person_starts: tuple[int, ...]
    last: tuple[int, str] = (-1, "")  # where the previous quotation ended, and its speaker
    # `genders` once worked out (shared by the copies `replace` makes for each quotation)
    found_genders: list[Mapping[str, str]] = field(default_factory=list, compare=False)

    @property
    def genders(self) -> Mapping[str, str]:
        """Canonical name -> "he" or "she", where the article shows it; worked out when a
        pronoun's antecedent is first sought: half the articles with quotations never seek
        one (128 of the 272 of Multi-News dev, 11 of 34 of DUC 2007 update)."""
        if not self.found_genders:
            self.found_genders.append(_genders(self))
        return self.found_genders[0]

    def name(self, m: Mention) -> tuple[str, str]:
        return self.names.get(m, (m.text, m.label))

    def people(self, lo: int = 0, hi: int | None = None) -> list[Mention]:
        """The people mentioned within ``[lo, hi)``, in order."""
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
    if not spans:
        return []  # no quotation: the speaker search has nothing to prepare for
    ctx = _prepare(article, spans, mentions, names)
    out: list[_Copy] = []
    previous: tuple[int, str, int, str] = (-1, "", -1, "")  # line start, speaker; end, speaker
    cued_line = -1  # the line of the last quotation with a reporting verb by it
    bare: dict[int, bool] = {}  # lines that hold nothing but quotation
    for open_, close in spans:
        line = article.text.rfind("\n", 0, open_) + 1
        speaker, naming = _speaker(replace(ctx, last=previous[2:]), open_, close, line)
        if not speaker and previous[0] == line and _no_one_else(ctx, *previous[1:3], open_):
            speaker = previous[1]  # a quotation continued after "…," X said.
        if not speaker and _opens_paragraph_after(article.text, line, open_, previous[2]):
            speaker = previous[3]  # a paragraph of quotation continuing the previous one's
        if not speaker and _bare_paragraph(ctx.masked, line, bare):
            speaker = _signed(ctx, line) or _announced(ctx, line)
        copy = _copy(article, order, open_, close, speaker)
        statement = copy is not None and len(copy.words) >= settings.min_words
        # a scare quote after a naming verb starts no run: "X called the plan "a joke". A
        # sign read "…"" (a reporting verb's does: ""Safety," said X. "…"")
        runs = statement or not naming
        previous = (
            (line if runs else -1, speaker, close, speaker)
            if speaker
            else (line, "", *previous[2:])
        )
        # "…," he said. "…": the second part is a statement too, whoever "he" is
        cued = bool(speaker) or cued_line == line or _has_cue(ctx, open_, close)
        cued_line = line if cued and runs else cued_line
        if copy is not None and statement:
            out.append(replace(copy, cued=cued))
    return out


def _bare_paragraph(text: str, line: int, seen: dict[int, bool]) -> bool:
    """Whether the paragraph at ``line`` holds nothing but quotation (``text`` is masked).
    ``seen`` keeps the answer per line: a line of many quotations is read once, not once a
    quotation (quadratic)."""
    if line not in seen:
        end = text.find("\n", line)
        seen[line] = not _WORD.search(text, line, len(text) if end < 0 else end)
    return seen[line]


def _signed(ctx: _Article, line: int) -> str:
    """A paragraph of quotation signed by the next line: ``"…" ¶ - X.`` or ``- X, a nurse.``
    (fact checks, notebooks). A dash line that goes on after the name is a list item about
    X ("- X voted against the bill last year ..."), not a signature."""
    text = ctx.masked
    end = text.find("\n", line)
    sign = _SIGNATURE.match(text, end) if end >= 0 else None
    if not sign:
        return ""
    people = ctx.people(sign.end(), sign.end() + 60)
    if not people or people[0].start != sign.end():
        return ""
    stop = text.find("\n", people[0].end)
    rest = text[people[0].end : len(text) if stop < 0 else stop]
    return ctx.name(people[0])[0] if len(_WORD.findall(rest)) <= _SIGNATURE_WORDS else ""


_SIGNATURE = re.compile(r"\s*[-—–][ \t]*")  # the next line that is not blank opens with a dash
_SIGNATURE_WORDS = 6  # words after the name at most: an apposition ("a nurse from Ohio")


def _announced(ctx: _Article, line: int) -> str:
    """A paragraph of quotation after one whose last sentence reports someone's words
    (``X said that … . ¶ "…"``): that someone."""
    before = ctx.masked[:line].rstrip()
    if not before or not ctx.sentences:
        return ""
    last = ctx.sentences[ctx.sentence_at(len(before) - 1)]
    return _verbs(ctx, max(last.start, before.rfind("\n") + 1), len(before), reverse=True)


def _no_one_else(ctx: _Article, speaker: str, after: int, open_: int) -> bool:
    """Whether no one but ``speaker`` is the subject of a sentence begun between the previous
    quotation and this one (``"…," X said. "…"``, not ``X called Y "…". Y fired back, "…"``)."""
    if ctx.sentences:
        after = ctx.sentences[ctx.sentence_at(after)].end
    return all(
        ctx.name(m)[0] == speaker or not _is_subject(ctx.masked, m)
        for m in ctx.people(after, open_)
    )


def _speaker(ctx: _Article, open_: int, close: int, line: int) -> tuple[str, bool]:
    """The speaker from the quotation's own sentence, else the subject of a naming verb right
    before it (``X called Y "…"``; the flag tells), else from the sentence before it in its
    paragraph, else from a paragraph ending in a colon right before it (``X stated:``), else
    the one named subject of its sentence."""
    speaker = _attribute(ctx, open_, close)
    naming = "" if speaker else _naming(ctx, open_)
    speaker = (
        speaker
        or naming
        or _previous_sentence(ctx, open_, line)
        or _introduced(ctx, open_, line)
        or _partial_subject(ctx, open_)
    )
    return speaker, bool(naming)


def _introduced(ctx: _Article, open_: int, line: int) -> str:
    """A paragraph opening with a quotation after one that ends ``X stated:``."""
    text = ctx.masked
    before = text[:line].rstrip()
    if text[line:open_].strip() or not before.endswith(":"):
        return ""
    start = before.rfind("\n") + 1
    return _before(ctx, start, len(before))


def _partial_subject(ctx: _Article, open_: int) -> str:
    """A quotation inside a sentence whose only person named before it is its subject
    (``X referred to the plan as "…"``). Measured on 300 PolNeAR train articles: 21 more
    quotations rightly attributed, 5 wrongly."""
    sentence = ctx.sentences[ctx.sentence_at(open_)] if ctx.sentences else None
    if sentence is None or not ctx.masked[sentence.start : open_].strip():
        return ""
    people = ctx.people(sentence.start, open_)
    names = {ctx.name(m)[0] for m in people}
    if len(names) != 1 or not _is_subject(ctx.masked, people[0]):
        return ""  # another person between the subject and the quotation could be its source
    return ctx.name(people[0])[0]


def _opens_paragraph_after(text: str, line: int, open_: int, previous_end: int) -> bool:
    """Whether the quotation opens its paragraph, right after the paragraph holding the
    previous attributed quotation (news runs a speaker's quotations on over paragraphs)."""
    if previous_end < 0 or text[line:open_].strip():
        return False
    before = text[:line].rstrip()
    return before.rfind("\n") < previous_end <= len(before)


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
    sentences = segment.of(article)
    starts = tuple(s.start for s in sentences)
    canon = _personal(
        {m: _canonical(names.get(entities.key(m.text), (m.text, m.label))) for m in outside}
    )
    persons = tuple(m for m in outside if canon[m][1] == "PERSON" and _looks_personal(canon[m][0]))
    person_starts = tuple(m.start for m in persons)
    return _Article(article, masked, sentences, starts, outside, canon, persons, person_starts)


def _personal(canon: dict[Mention, tuple[str, str]]) -> dict[Mention, tuple[str, str]]:
    """A person whose canonical name is no person's name (a headline in title case, ``Growls
    In Response To X``, took X's mentions) is named by its longest mention that is."""
    better: dict[str, str] = {}
    for m, (name, label) in canon.items():
        apt = label == "PERSON" and not _looks_personal(name) and _looks_personal(m.text)
        if apt and len(m.text.split()) > len(better.get(name, "").split()):
            better[name] = m.text
    return {m: (better.get(name, name), label) for m, (name, label) in canon.items()}


def _canonical(name: tuple[str, str]) -> tuple[str, str]:
    """A person's name without the state or town the name finder ran into it (``Tom Cole of
    Oklahoma`` is Tom Cole)."""
    text, label = name
    head = text.split(" of ")[0]
    return (head, label) if label == "PERSON" and len(head.split()) >= 2 else name


_HE = frozenset("he his him himself mr spokesman chairman congressman councilman".split())
_SHE = frozenset(
    "she her hers herself mrs ms miss spokeswoman chairwoman congresswoman councilwoman".split()
)

_ASIDE_AFTER = re.compile(r"(?:[ \t]*\([^()\n]{1,30}\))?(?:,[^,\n]{1,60},)?")
_GENDERED_TITLES = (_HE | _SHE) - frozenset("he his him himself she her hers herself".split())


def _genders(ctx: _Article) -> dict[str, str]:
    """Which pronoun each person takes, from the article itself: a gendered title right before
    their name (weight 3), the first gendered word after them as the subject of a clause with no
    one else named between (weight 2), and the gendered words of sentences naming them and no
    one else, with the sentence after when it names no one (weight 1 each)."""
    votes: dict[str, list[int]] = {}
    people = ctx.people()
    for k, m in enumerate(people):
        tally = votes.setdefault(ctx.name(m)[0], [0, 0])
        title = _WORD.findall(ctx.masked, max(0, m.start - 12), m.start)
        if title and title[-1].casefold() in _GENDERED_TITLES:
            tally[title[-1].casefold() in _SHE] += 3
        if _is_subject(ctx.masked, m):
            end = people[k + 1].start if k + 1 < len(people) else len(ctx.masked)
            if ctx.sentences:
                end = min(end, ctx.sentences[ctx.sentence_at(m.start)].end)
            aside = _ASIDE_AFTER.match(ctx.masked, m.end)  # "X, his rival, said he …"
            first = _first_gendered(ctx, aside.end() if aside else m.end, end)
            if first:
                tally[first in _SHE] += 2
    for name, (he, she) in _sentence_votes(ctx, people).items():
        tally = votes.setdefault(name, [0, 0])
        tally[0] += he
        tally[1] += she
    return {n: "he" if he > she else "she" for n, (he, she) in votes.items() if he != she}


def _first_gendered(ctx: _Article, start: int, end: int) -> str:
    words = (w.casefold() for w in _WORD.findall(ctx.masked, start, end))
    return next((w for w in words if w in _HE or w in _SHE), "")


def _sentence_votes(ctx: _Article, people: Sequence[Mention]) -> dict[str, tuple[int, int]]:
    named: list[set[str]] = [set() for _ in ctx.sentences]
    for m in people:
        named[ctx.sentence_at(m.start)].add(ctx.name(m)[0])
    votes: dict[str, tuple[int, int]] = {}
    for i, sentence in enumerate(ctx.sentences):
        if len(named[i]) != 1:
            continue
        end = sentence.end
        if i + 1 < len(ctx.sentences) and not named[i + 1]:
            end = ctx.sentences[i + 1].end
        words = [w.casefold() for w in _WORD.findall(ctx.masked, sentence.start, end)]
        (name,) = named[i]
        he, she = votes.get(name, (0, 0))
        votes[name] = (he + sum(w in _HE for w in words), she + sum(w in _SHE for w in words))
    return votes


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
    words = tuple(_WORD.findall(body))
    return _Copy(article.id, order, start, end, body, speaker, bool(speaker), words)


def _has_cue(ctx: _Article, open_: int, close: int) -> bool:
    """Whether the quotation's sentence holds a reporting verb or ``according to`` outside
    quotation marks: someone is quoted, whether or not the speaker can be named."""
    sentence = ctx.sentences[ctx.sentence_at(open_)] if ctx.sentences else None
    lo = min(open_, sentence.start) if sentence else open_
    hi = max(close, sentence.end) if sentence else close
    # and the clause right after the closing mark: "…?" she said. (a "?" ended the sentence)
    hi = max(hi, _clause_end(ctx.masked, close))
    # within a subject's reach: a sentence of many quotations was read whole for each one
    lo, hi = max(lo, open_ - _REACH), min(hi, close + _REACH)
    words = [w.casefold() for w in _WORD.findall(ctx.masked, lo, hi)]
    return any(w in REPORTING for w in words) or "according to" in ctx.masked[lo:hi].casefold()


def _cued(g: _Group) -> bool:
    return any(c.cued for c in g.copies)


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
    # "X lamented that - "…?" - voters …": a dash after the mark opens no attribution
    expects = expects and not text.startswith(("-", "—", "–"), pos)
    words = list(_WORD.finditer(text, pos, _clause_end(text, pos)))[:_SLOT_WORDS]
    if not words:
        return ""
    if words[0].group().casefold() in REPORTING:  # inverted: "…," said the minister
        return _resolve(ctx, words[1].start() if len(words) > 1 else pos, _object_cut(words))
    verb = next((i for i, w in enumerate(words) if w.group().casefold() in REPORTING), 0)
    if verb and (expects or all(_subject_like(w.group()) for w in words[:verb])):
        return _resolve(ctx, pos, words[verb - 1].end())  # "…," Senate leader X told reporters
    if expects:  # a closing comma announces the attribution, whatever its verb
        return _resolve(ctx, pos, _subject_end(text, words))
    return ""


def _object_cut(words: list[re.Match[str]]) -> int:
    """The end of an inverted subject, before a preposition: in ``said the former aide to
    President X``, X is not the speaker."""
    for i in range(2, len(words)):
        after = [w.group() for w in words[i + 1 : i + 3] if w.group() not in _DETERMINERS]
        # not "master of ceremonies X": a common noun after the preposition, then the name
        if words[i].group() in _OBJECT_BEFORE and (not after or after[0][0].isupper()):
            return words[i - 1].end()
    return words[-1].end()


def _subject_like(word: str) -> bool:
    return word[0].isupper() or word.casefold() in ROLES or word in _CONNECTORS


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
        speaker = _sentence_subject(ctx, begin, open_) or _name_before_colon(ctx, begin, open_)
    return speaker or _participle_subject(ctx, begin, open_)


def _name_before_colon(ctx: _Article, begin: int, open_: int) -> str:
    """``… - X: "…"`` (a column's excerpts, a transcript): the person named right before the
    colon."""
    text = ctx.masked
    colon = text.rfind(":", begin, open_)
    people = ctx.people(begin, colon)
    # "X:" or "Rep. X (R-S.C.):"
    if not people or not re.fullmatch(r"\s*(?:\([^()]{1,30}\))?\s*", text[people[-1].end : colon]):
        return ""
    return ctx.name(people[-1])[0]


def _naming(ctx: _Article, open_: int) -> str:
    """``X called Y "…"``, ``X, …, describing it as "…"``: the subject of a naming verb close
    before the quotation in its sentence, with no other quotation between."""
    text = ctx.masked
    line = text.rfind("\n", 0, open_) + 1
    sentence = ctx.sentences[ctx.sentence_at(open_)] if ctx.sentences else None
    begin = max(sentence.start if sentence else 0, line, open_ - _REACH)
    near = max(text.rfind(mark, begin, open_) for mark in '"“”')
    verbs = [
        w
        for w in _WORD.finditer(text, max(near + 1, open_ - _NAMING_REACH), open_)
        if w.group().casefold() in NAMING
    ]
    if not verbs:
        return ""
    if verbs[-1].group().endswith("ing"):
        return _participle_subject(ctx, begin, verbs[-1].end(), NAMING)
    return _verbs(ctx, begin, verbs[-1].end(), reverse=True, vocabulary=NAMING)


def _participle_subject(
    ctx: _Article, begin: int, open_: int, vocabulary: frozenset[str] = REPORTING
) -> str:
    """``X reacted to the news, saying: "…"`` / ``X, …, emailed supporters, telling them "…"``:
    the subject of the main clause, before the participle."""
    verbs = [
        w
        for w in _WORD.finditer(ctx.masked, begin, open_)
        if w.group().casefold() in vocabulary and w.group().endswith("ing")
    ]
    if not verbs:
        return ""
    people = ctx.people(begin, verbs[-1].start())
    subjects = [m for m in people if _is_subject(ctx.masked, m)]
    return ctx.name(subjects[0])[0] if subjects else ""


def _verbs(
    ctx: _Article,
    begin: int,
    end: int,
    *,
    reverse: bool,
    vocabulary: frozenset[str] = REPORTING,
) -> str:
    """The first reporting verb in ``[begin, end)`` (the nearest one when ``reverse``) whose
    subject resolves to a name."""
    verbs = [
        w for w in _WORD.finditer(ctx.masked, begin, end) if w.group().casefold() in vocabulary
    ]
    for verb in reversed(verbs) if reverse else verbs:
        if verb.group().endswith("ing"):
            continue  # "…, saying": the subject is the main clause's, found at its own verb
        if _passive(ctx.masked, begin, verb.start()):
            # "X was asked by Y "…"": Y speaks, not X
            slot = _agent(ctx.masked, verb.end())
        else:
            slot = _subject_before(ctx.masked, begin, verb.start())
        if not slot and (not reverse or not ctx.masked[begin : verb.start()].strip()):
            slot = _inverted(ctx.masked, verb)  # "…, said X" or "Said X, "…""
        speaker = _resolve(ctx, *slot) if slot else ""
        if speaker:
            return speaker
    return ""


_BE = frozenset("was were is are be been being".split())


def _passive(text: str, begin: int, verb: int) -> bool:
    """Whether the verb at ``verb`` follows a form of *be* (adverbs between)."""
    words = [w.casefold() for w in _WORD.findall(text, max(begin, verb - 40), verb)]
    words = [w for w in words if not w.endswith("ly")]
    return bool(words) and words[-1] in _BE


def _agent(text: str, pos: int) -> tuple[int, int] | None:
    """The agent of a passive verb ending at ``pos``: ``by Y``."""
    by = re.compile(r"[ \t]+by[ \t]+").match(text, pos)
    if not by:
        return None
    words = list(_WORD.finditer(text, by.end(), _clause_end(text, by.end())))[:_SLOT_WORDS]
    return (words[0].start(), _object_cut(words)) if words else None


def _inverted(text: str, verb: re.Match[str]) -> tuple[int, int] | None:
    """The subject after a verb that follows a comma or opens a sentence: ``…, said X``,
    ``Said X, "…"``."""
    after_comma = re.search(r",[ \t]*$", text[max(0, verb.start() - 3) : verb.start()])
    if not (after_comma or verb.group()[0].isupper()):
        return None
    words = list(_WORD.finditer(text, verb.end(), _clause_end(text, verb.end())))[:_SLOT_WORDS]
    return (words[0].start(), _object_cut(words)) if words else None


def _sentence_subject(ctx: _Article, begin: int, end: int) -> str:
    people = ctx.people(begin, end)
    subjects = [m for m in people if _is_subject(ctx.masked, m)]
    # the subject nearest the colon: "…, with X yelling: "…""
    return ctx.name(subjects[-1])[0] if subjects else ""


def _previous_sentence(ctx: _Article, open_: int, line: int) -> str:
    """A quotation standing alone after ``X said …`` in the previous sentence of its paragraph."""
    i = ctx.sentence_at(open_)
    if i == 0 or ctx.sentences[i - 1].start < line:
        return ""
    prev = ctx.sentences[i - 1]
    return _verbs(ctx, prev.start, prev.end, reverse=True)


def _clause_end(text: str, pos: int) -> int:
    """Where the clause from ``pos`` ends; the dot of a title or an initial (``Rep.``, ``W.``)
    does not end it."""
    end, limit = pos, min(len(text), pos + _REACH)
    while end < limit and (text[end] not in _STOP or _abbreviation_dot(text, end)):
        end += 1
    return end


def _abbreviation_dot(text: str, i: int) -> bool:
    if text[i] != ".":
        return False
    m = re.search(r"[A-Za-z]+$", text[max(0, i - 12) : i])
    word = m.group() if m else ""
    return (len(word) == 1 and word.isupper()) or word.casefold() in entities.TITLES


def _subject_end(text: str, words: list[re.Match[str]]) -> int:
    """The end of the words that can be a subject: a pronoun, or capitalised runs with up to
    two lower-case words between them (``X`` in ``X pronounced in …``, ``Texas delegate X``)."""
    if words[0].group().casefold() in PRONOUNS:
        return words[0].end()
    end = words[0].end()
    gap = 0
    for w in words[1:]:
        if w.group()[0].isupper() or w.group() in _CONNECTORS:
            end, gap = w.end(), 0
        elif gap < 2 and w.group().casefold() not in STOP_WORDS:
            gap += 1
        else:
            break
    return end


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = """January February March April May June July August September October November
    December""".split()
# Between a subject and its verb: adverbs, auxiliaries, a parenthetical (", meanwhile,").
# The pattern is optional throughout, so it is tried at every position of its window: the
# window is 160 characters, not the subject's 600 (the longest gap on every benchmark cluster
# is under 20), and its blanks are possessive (`*+`, `++`: never given back), since a run of
# 150 blanks before a verb made the engine try every split of it, 3 ms a call.
_GAP_REACH = 160
_GAP = re.compile(
    r"(?:[ \t]*+\([^()\n]{1,30}\),?)?"  # "X (D-Ore.) said", "X (R-OH), said"
    r"(?:,[ \t]*+[a-z]+(?:[ \t]++[a-z]+)?[ \t]*+,)?[ \t]*+"
    # "X on Friday declared", "X Tuesday said": the day is not the subject
    rf"(?:\b(?:on[ \t]++)?(?:{'|'.join(_DAYS)})"
    r"(?:[ \t]++(?:morning|afternoon|evening|night))?[ \t]++)?"
    r"(?:\b(?:also|then|later|again|has|had|have|was|is|will|would|may|might|could|can|"
    r"did|does|\w+ly)[ \t]++)*$"
)
_CONNECTORS = frozenset("of the al bin de van von".split())
# A name, then a comma-delimited aside of up to 120 characters, then the verb's comma.
_ASIDE = re.compile(
    r"(?<![\w’'])([A-Z][\w’'\-]*(?:[ \t]+[A-Z][\w’'\-]*)*)(?:[ \t]*\([^()\n]{1,30}\))?,"
    r"(?:[^.;:“”\"\n]|\.(?=\S)){1,200},[ \t]*$"
)


def _ends_with_comma(text: str, begin: int, end: int) -> bool:
    """Whether ``text[begin:end]`` ends as `_ASIDE` needs: a comma, then blanks and at most
    one line break."""
    tail = text[begin:end].rstrip(" \t")
    tail = tail[:-1].rstrip(" \t") if tail.endswith("\n") else tail
    return tail.endswith(",")


def _subject_before(text: str, begin: int, verb: int) -> tuple[int, int] | None:
    """The subject right before a verb: a run of capitalised words, role nouns, connectors or a
    pronoun (``Russian Foreign Minister X``, ``ministry spokeswoman X``, ``the minister``,
    ``he``), after skipping adverbs and a parenthetical."""
    begin = max(begin, verb - _REACH)
    gap = _GAP.search(text, max(begin, verb - _GAP_REACH), verb)
    end = gap.start() if gap else verb
    # the aside's closing comma must end the stretch: without it the search (which tries the
    # 200-character aside at every name of the stretch) cannot match
    aside = _ASIDE.search(text, begin, end) if _ends_with_comma(text, begin, end) else None
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
    # a name starting in the slot: the slot may stop inside it ("Sen. X of State" cut at "of")
    named = [m for m in ctx.mentions if start <= m.start < end]
    named = [
        m
        for m in named
        if ctx.name(m)[1] in ("PERSON", "ORG") and ctx.name(m)[0].casefold() not in _NOT_NAMES
    ]
    role = _role(ctx.masked, start, end, named[-1].end if named else start)
    if role and (named or not _name_after_role(ctx.masked, start, end, role)):
        if not named and _indefinite(ctx.masked, start, end, role):
            return ""  # "a spokesman", "one lawmaker": someone the article does not name
        titled = _by_title(ctx, role, start)
        if titled:
            return titled
    if named and _modifies(ctx.masked, named[-1], end):
        return ""  # "a longtime GOP data expert", "a Trump supporter": someone unnamed
    if named:
        people = [m for m in named if ctx.name(m)[1] == "PERSON"] or named
        return ctx.name(people[-1])[0]
    if len(words) <= 2 and words[-1].casefold() in PRONOUNS:
        return _by_pronoun(ctx, start, words[-1].casefold())
    return _unrecognised_name(ctx, start, end)


def _modifies(text: str, m: Mention, end: int) -> bool:
    """Whether the slot's last name modifies a noun after it (``a Trump supporter``): a
    lower-case word follows it in the slot, and an indefinite determiner precedes it."""
    after = _WORD.findall(text, m.end, end)
    before = [w.casefold() for w in _WORD.findall(text, max(0, m.start - 40), m.start)][-4:]
    return bool(after) and after[0].islower() and any(w in _INDEFINITE for w in before)


_INDEFINITE = frozenset("a an one another some several".split())


def _indefinite(text: str, start: int, end: int, role: str) -> bool:
    """Whether the slot's role noun has an indefinite determiner (the word before the slot
    counts: ``one lawmaker`` when the slot is ``lawmaker``)."""
    words = [w.casefold() for w in _WORD.findall(text, max(0, start - 20), end)]
    if role not in words:  # the slot began inside a word: no role noun to look before
        return False
    before = words[: len(words) - words[::-1].index(role) - 1][-4:]
    return any(w in _INDEFINITE for w in before)


def _name_after_role(text: str, start: int, end: int, role: str) -> bool:
    """Whether a capitalised word the name finder missed follows the slot's role noun
    (``Sen. X``): the slot names X, not the person the article introduced with the role."""
    words = [w.group() for w in _WORD.finditer(text, start, end)]
    folded = [w.casefold() for w in words]
    if role not in folded:
        return False
    after = words[len(folded) - folded[::-1].index(role) :]
    if after and after[0].casefold() in _CONNECTORS:
        return False  # "the Secretary of State": the title's own phrase
    return any(w[0].isupper() and w.casefold() not in _NOT_NAMES for w in after)


def _unrecognised_name(ctx: _Article, start: int, end: int) -> str:
    """A capitalised name in a speaker slot that the name finder missed (the model's
    recogniser misses rarer surnames): the full name of the article's person with that
    surname, else the words as written."""
    runs = re.findall(
        r"(?<![\w’'])(?:O['’])?[A-Z][a-z][\w’'\-]*(?:[ \t]+(?:O['’])?[A-Z][a-z][\w’'\-]*)*",
        ctx.masked[start:end],
    )
    words = [
        w
        for w in (runs[-1].split() if runs else [])
        if re.split(r"['’]", w)[0].casefold() not in _NOT_NAMES  # not "He's"
    ]
    if not words:
        return ""
    surname = words[-1].casefold()
    full = [ctx.name(m)[0] for m in ctx.people() if ctx.name(m)[0].casefold().endswith(surname)]
    return full[0] if full else " ".join(words)


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
    minister``, ``X, a spokeswoman for Y``): the last one before ``pos``, else the first
    after."""
    text = ctx.article.text
    found = []
    for m in ctx.people():
        before = [w.casefold() for w in _WORD.findall(text[max(0, m.start - 50) : m.start])][-5:]
        after = _APPOSED.match(text, m.end, m.end + 80)
        apposed = after.group(1).casefold().split() if after else []
        if role in before or role in apposed:
            found.append(m)
    earlier = [m for m in found if m.start < pos]
    chosen = earlier[-1] if earlier else (found[0] if found else None)
    return ctx.name(chosen)[0] if chosen else ""


def _by_pronoun(ctx: _Article, pos: int, pronoun: str) -> str:
    """The antecedent of a pronoun at ``pos``, among the people who may take it (never one
    the article shows to take the other pronoun): the previous quotation's speaker when it is
    near and no one else has been named since (measured on 300 PolNeAR train articles: 4 more
    right, 4 fewer wrong); else the subject of a clause in the sentence's prefix, then in up to
    three sentences back (the subject of the previous sentence is the likeliest antecedent:
    centering theory, Grosz, Joshi & Weinstein 1995), passing over sentences whose subject is
    the same pronoun (its antecedent runs on), two or more sentences back only when the article
    shows the subject to take the pronoun or no one else was named since; else no one.
    Measured on all 840 PolNeAR train articles (by the annotators' chain), the first person
    named when none is a subject was right for 46% of quotations, the previous quotation's
    speaker after others were named for 38%, a subject of unknown gender two or three
    sentences back with others named since for 43% (25 right, 33 wrong): no longer guessed."""
    at, speaker = ctx.last
    if speaker and pos - at < _NEAR and ctx.genders.get(speaker, pronoun) == pronoun:
        between = {ctx.name(m)[0] for m in ctx.people(at, pos)}
        if between <= {speaker}:
            return speaker  # "…," X said. "…," he added: no one else named since
    i = ctx.sentence_at(pos)
    for back, j in enumerate(_sentences_back(ctx, i)):
        lo = ctx.sentences[j].start if ctx.sentences else 0
        hi = pos if j == i else ctx.sentences[j].end
        if j < i and _opens_with(ctx.masked, lo, pronoun):
            continue  # "He said he and Y differ. He also asked …": the same "he" runs on
        if j < i:  # "…, he noted, so Y will …": Y is not the antecedent
            hi = _pronoun_speaks(ctx.masked, lo, hi, pronoun)
        subjects = [
            m
            for m in ctx.people(lo, hi)
            if ctx.genders.get(ctx.name(m)[0], pronoun) == pronoun and _is_subject(ctx.masked, m)
        ]
        if subjects:
            name = ctx.name(subjects[0])[0]
            # Two or more sentences back, only someone the article shows to take the pronoun,
            # or the one person named since
            alone = {ctx.name(m)[0] for m in ctx.people(lo, pos)} <= {name}
            return name if back <= 1 or name in ctx.genders or alone else ""
    return ""


def _sentences_back(ctx: _Article, i: int) -> list[int]:
    """Sentence ``i`` and the ``_BACK - 1`` before it, not counting those wholly inside a
    quotation (a quotation of several sentences is one step back, not several)."""
    out = [i]
    j = i - 1
    while j >= 0 and len(out) < _BACK:
        s = ctx.sentences[j]
        if _WORD.search(ctx.masked, s.start, s.end):
            out.append(j)
        j -= 1
    return out


def _pronoun_speaks(text: str, lo: int, hi: int, pronoun: str) -> int:
    """Where ``pronoun`` is first the subject of a reporting verb in ``[lo, hi)``, else ``hi``:
    the people named after it are not its antecedent."""
    for m in _PRONOUN_VERB.finditer(text, lo, hi):
        if m.group(1).casefold() == pronoun and m.group(2).casefold() in REPORTING:
            # a main clause or an aside ("…, he noted, …"), not "before he announced"
            before = _WORD.findall(text, max(lo, m.start() - 12), m.start())
            if not (before and before[-1].casefold() in _SUBORDINATE):
                return m.start()
    return hi


_SUBORDINATE = frozenset("before after when while since until because as if".split())
_PRONOUN_VERB = re.compile(r"\b([Hh]e|[Ss]he)\s+(?:also\s+|\w+ly\s+)?(\w+)")


def _opens_with(text: str, start: int, pronoun: str) -> bool:
    """Whether the sentence at ``start`` has ``pronoun`` for its subject."""
    first = _WORD.search(text, start, start + 40)
    return bool(first and first.group().casefold() == pronoun)


# Capitalised words in a speaker slot that are not names.
_NOT_NAMES = (
    entities.TITLES
    | STOP_WORDS
    | frozenset("republican democrat democratic".split())
    | frozenset(w.casefold() for w in (*_DAYS, *_MONTHS))
)
# Words after which a name is an object, not a subject.
_OBJECT_BEFORE = frozenset(
    "against to for with by from of about on at in over than into toward towards via".split()
)
# Words after which a name modifies a noun ("a Trump supporter"), not a subject.
_DETERMINERS = frozenset("a an the his her their its our my your".split())
# Auxiliaries are predicates here ("X has agreed") although they are stop words elsewhere.
_AUXILIARIES = frozenset(
    """has had was is will would did does could should wasn isn didn doesn
    hasn hadn wouldn couldn shouldn weren aren""".split()
)


# Surname prefixes written with a capital inside the word (McConnell, MacArthur, DeSantis,
# LaHood, O’Rourke): not words run together.
_PREFIX = re.compile(r"^(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|O['’])(?=[A-Z])")


_IRREGULAR = frozenset(
    """beat met won lost told gave sent took made led left got let put ran saw became began
    hit brought bought thought taught sought fought caught held kept meant paid sold spent
    struck stood found""".split()
)


def _verb_like(word: str) -> bool:
    """Whether a lower-case word after a name may be its verb (``X told Y``), not a noun the
    name modifies (``X consultant Y``)."""
    return (
        word in REPORTING
        or word in _IRREGULAR
        or word in STOP_WORDS
        or word in _AUXILIARIES
        or word.endswith(("ed", "s"))
    )


def _looks_personal(name: str) -> bool:
    """A person's name is short and has no capital inside a word: not a headline in title case
    (``X Sent Y A Message About Z``) nor words run together by extraction (``SmithShareLike``)."""
    words = name.split()
    return len(words) <= 4 and not any(re.search(r"[a-z][A-Z]", _PREFIX.sub("", w)) for w in words)


def _is_subject(text: str, m: Mention) -> bool:
    """A name followed by a predicate (``X said``, ``X also charged``, ``X, 64, said``), or a
    name right after a reporting verb (``…, said X``); not a name that modifies another
    (``X campaign chairman Y``)."""
    before = re.search(r"(\w+)(\W*)$", text[max(0, m.start - 20) : m.start])
    word = before.group(1).casefold() if before else ""
    if word in REPORTING:
        return True
    # a determiner or preposition governs the name only with nothing between ("in, X said")
    adjacent = word if before and not before.group(2).strip() else ""
    if adjacent in _DETERMINERS:
        return False  # "a Trump supporter", "the Clinton campaign"
    modifier = re.match(r"((?:\s+[a-z]+){1,2})\s+[A-Z]", text[m.end : m.end + 40])
    if modifier and any(w in ROLES for w in modifier.group(1).split()):
        return False  # "X campaign chairman Y said": Y is the subject
    if modifier and not any(_verb_like(w) for w in modifier.group(1).split()):
        return False  # "X consultant Y", "X supporter Y"
    if adjacent in _OBJECT_BEFORE:
        return False  # "against X could …": X is an object
    # the word after the name, else after an aside ("X (D-R.I.), said …", "X, 64, said")
    words = (w.group(1) for w in (p.match(text, m.end, m.end + 150) for p in _NEXT) if w)
    return any(_predicate(w) for w in words)


def _predicate(word: str) -> bool:
    return word in _AUXILIARIES or (word not in _NOT_PREDICATE and word not in STOP_WORDS)


# A time between a name and its verb ("X this past week announced", "X on Monday said").
_WHEN = r"(?:(?:this|last)\s+(?:past\s+)?(?:week|month|year)\s+|on\s+[A-Z]\w+day\s+)?"
_NEXT = (
    re.compile(
        r"(?:[ \t]*\([^()\n]{1,30}\),?)?\s+"
        + _WHEN
        + r"(?:(?:also|then|later|again|still)\s+|\w+ly\s+)?([a-z]+)"
    ),
    re.compile(
        r"(?:[ \t]*\([^()\n]{1,30}\))?(?:,[^,\n]{1,120},|\s*[—–][^—–\n]{1,120}[—–])"
        r"\s+" + _WHEN + r"(?:(?:also|then|later|again|still)\s+|\w+ly\s+)?([a-z]+)"
    ),
)


# --- merging copies across sources ------------------------------------------------------------


def _merge(copies: Sequence[_Copy], threshold: float) -> list[_Group]:
    """Greedy agglomeration, most similar pairs first; never two copies of one source in a
    group, and never two different resolved speakers."""
    groups = [_Group([c], {c.speaker} - {""}, {c.source}) for c in copies]
    owner = list(range(len(copies)))
    bags = [Counter(w.casefold() for w in c.words) for c in copies]
    pairs = []
    for i, a in enumerate(copies):
        for j in range(i + 1, len(copies)):
            b = copies[j]
            if a.source != b.source and _may_match(bags[i], bags[j], threshold):
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
    best = min(usable, key=rank.key) if len(usable) > 1 else usable[0]
    rest = sorted({c.order: c.source for c in usable if c.source != best.source}.items())
    return Quote(
        speaker=next(iter(g.speakers)) if g.speakers else None,
        text=best.text,
        sources=(best.source, *(s for _, s in rest)),
        source=best.source,
        start=best.start,
        end=best.end,
    )
