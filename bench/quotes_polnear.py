"""PolNeAR (Newell, Margolin & Ruths, LREC 2018) as a gold standard for "who said what".

The data (``../shared/data/quotes/polnear-traindev``, no licence: read at run time, never copied)
annotates every attribution of 924 political news articles as Source, Cue and Content spans.
This module turns it into scored direct quotations; ``python -m bench.quotes --polnear dev``
prints the numbers.

**Gold quotations.** A gold quotation is a span between paired quotation marks on one line
(curly or straight) that lies inside the Content span of an attribution and holds four words
or more (shorter spans are scare quotes, which the stage does not report). Its speaker comes
from the attribution's Source span, put in one of four kinds:

- *named*: the span holds name words — capitalised words, less titles (``Sen.``), determiners,
  pronouns and capitalised modifiers followed by a lower-case word, taken from the first
  comma-separated piece of the span that has any (``Vermont`` in ``the
  Vermont senator``, ``Air Force`` in ``retired Air Force general Lloyd Newton``); the name
  words are the gold speaker;
- *pronoun*: ``he``, ``she``, ``him``, ``her``, ``I``: resolved to the name words of the
  nearest annotated *named* Source before it in the article that is not an organisation (the
  annotators' chain of speakers; a pronoun with none before it is left unscored);
- *unnamed*: an indefinite or bare plural description (``a source``, ``officials``, ``one
  Democratic source``): no one can be named, so any speaker given to it is wrong;
- *other*: definite descriptions (``the president``), ``it``, ``they``, annotation slips:
  not scored.

The **target set** is the named and resolved-pronoun quotations; the scores are also given for
each kind alone, because the pronoun gold is the weaker: in a hand check of 14 train
quotations where the stage and the chain disagreed, the chain was wrong in about half (the
pronoun's antecedent is often a person who is not an annotated Source nearby). When an article
has several annotators, the first annotation file (by name) is used.

**Checked pronoun speakers (dev).** To measure how weak the chain is rather than guess,
``polnear_dev_checked.tsv`` (our own reading: article id, quotation offset, speaker's name words)
gives the speaker of every one of the 151 dev pronoun quotations. The chain was wrong for 25 of
them, 17% (22 name the wrong person, most often because the pronoun's antecedent is a person no
one annotated as a Source nearby, or the chain took a description such as ``The Republican``;
3 have no nameable speaker: the author, a hypothetical one). All 25 were among the 57 on which
the stage and the chain disagreed during issue 14; where they agreed (94) both were right, once
only by the surname rule (Bill Clinton, whom the stage called Hillary Clinton). `checked` puts
these speakers in place of the chain's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from newsfuse.entities import TITLES
from newsfuse.model import Article, CleanArticle, Quote

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "quotes" / "polnear-traindev"
# Our own hand check of pronoun speakers on dev (ids, offsets and name words only): see README.
CHECKED = Path(__file__).with_name("polnear_dev_checked.tsv")

_QUOTED = re.compile(r"“[^“”\n]*”|\"[^\"\n]*\"")
_WORD = re.compile(r"[\w’'\-.]+")
_PRONOUNS = frozenset("he she him her i".split())
_DETERMINERS = frozenset("the a an this that these those his her its their our my".split())
_INDEFINITE = frozenset(
    "a an one some several many two three four few other others another any".split()
)
# Words of an organisation's name: a pronoun "he" or "she" never stands for it.
_ORGANISATION = frozenset(
    """house times post news press party campaign committee department office agency network
    journal magazine tribune cnn msnbc nbc abc cbs fox ap reuters afp""".split()
)
_CONNECTORS = frozenset("of de del da di van von der den la le du bin ibn al el jr. jr".split())


@dataclass(frozen=True, slots=True)
class GoldQuote:
    start: int  # inside the quotation marks
    end: int
    kind: str  # named, pronoun, unnamed, other
    speaker: tuple[str, ...]  # case-folded name words; () when not named or resolved


@dataclass(frozen=True, slots=True)
class GoldArticle:
    article: CleanArticle
    quotes: tuple[GoldQuote, ...]


@dataclass(frozen=True, slots=True)
class Score:
    target: int = 0  # named + resolved pronoun gold quotations
    found: int = 0
    attributed: int = 0  # found and given a speaker
    right: int = 0
    unnamed_given: int = 0  # unnamed gold quotations given a speaker

    def __add__(self, o: Score) -> Score:
        return Score(
            self.target + o.target,
            self.found + o.found,
            self.attributed + o.attributed,
            self.right + o.right,
            self.unnamed_given + o.unnamed_given,
        )

    @property
    def recall_found(self) -> float:
        return self.found / max(1, self.target)

    @property
    def precision(self) -> float:
        return self.right / max(1, self.attributed)

    @property
    def right_recall(self) -> float:
        return self.right / max(1, self.target)

    @property
    def strict_precision(self) -> float:
        return self.right / max(1, self.attributed + self.unnamed_given)


def load(split: str, limit: int | None = None) -> list[GoldArticle]:
    """The first ``limit`` articles of ``split`` (``train`` or ``dev``) with their gold quotes."""
    out = []
    with (DATA / f"{split}.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            text = row["text"]
            article = CleanArticle(Article(id=row["id"], text=text), text, 0, 0)
            ann = row["ann"][min(row["ann"])]
            out.append(GoldArticle(article, tuple(_gold(text, ann))))
            if limit is not None and len(out) >= limit:
                break
    return out


def checked(gold: Sequence[GoldArticle]) -> list[GoldArticle]:
    """``gold`` with the pronoun speakers checked by hand (``CHECKED``) put in place of the
    chain's; a quotation no one in the article can be named for leaves the target set."""
    fixes: dict[tuple[str, int], str] = {}
    for line in CHECKED.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(("#", "id\t")):
            aid, start, speaker, _ = line.split("\t")
            fixes[aid, int(start)] = speaker
    return [
        GoldArticle(
            g.article,
            tuple(_fixed(q, fixes.get((g.article.article.id, q.start))) for q in g.quotes),
        )
        for g in gold
    ]


def _fixed(q: GoldQuote, speaker: str | None) -> GoldQuote:
    if speaker is None or q.kind != "pronoun":
        return q
    return replace(
        q,
        kind="other" if speaker == "-" else q.kind,
        speaker=tuple(speaker.split()) if speaker != "-" else (),
    )


def score(
    gold: GoldArticle, found: Sequence[Quote], kinds: Sequence[str] = ("named", "pronoun")
) -> Score:
    """How the quotes returned for one article compare with its gold quotations whose speaker
    is of one of ``kinds`` (the target set by default)."""
    own = [q for q in found if q.source == gold.article.id]
    used: set[int] = set()
    target = found_n = attributed = right = unnamed_given = 0
    for g in gold.quotes:
        scored = g.kind in kinds and bool(g.speaker)
        target += scored
        q = _match(g, own, used)
        if q is None:
            continue
        if g.kind == "unnamed":
            unnamed_given += q.speaker is not None
        if not scored:
            continue
        found_n += 1
        if q.speaker is not None:
            attributed += 1
            right += same_speaker(q.speaker, g.speaker)
    return Score(target, found_n, attributed, right, unnamed_given)


def same_speaker(predicted: str, gold: Sequence[str]) -> bool:
    """The surname rule of the module docstring."""
    words = name_words(predicted) or [w.casefold() for w in _WORD.findall(predicted)]
    return bool(words and gold) and (words[-1] in gold or gold[-1] in words)


def name_words(span: str) -> list[str]:
    """The case-folded name words of a Source span (see the module docstring): those of its
    first comma-separated piece that has any (``X, a close adviser to Y`` is X; ``her adviser,
    X`` is X)."""
    for piece in re.split(r",|\(|\bwho\b", span):
        words = _name_words(piece)
        if words:
            return words
    return []


def _name_words(piece: str) -> list[str]:
    words = [w if len(w) <= 3 else w.rstrip(".") for w in _words(piece)]
    out = []
    for i, w in enumerate(words):
        bare = re.sub(r"['’]s?$", "", w)
        folded = bare.casefold()
        if not bare or not bare[0].isupper() or folded.rstrip(".") in TITLES:
            continue
        if folded in _DETERMINERS or folded in _PRONOUNS:
            continue
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if nxt and nxt[0].islower() and nxt.casefold() not in _CONNECTORS and bare == w:
            continue  # a modifier: "Vermont" in "the Vermont senator"
        out.append(folded)
    return out


def _words(span: str) -> list[str]:
    return [w for w in _WORD.findall(span.split("(")[0]) if w.strip(".")]


# --- reading the standoff ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Relation:
    content: tuple[tuple[int, int], ...]
    source: tuple[int, int] | None
    source_text: str


def _gold(text: str, ann: str) -> Iterator[GoldQuote]:
    """One gold quotation per quoted span; inside nested attributions, the innermost (the
    smallest Content) speaks."""
    relations = sorted(_relations(ann), key=lambda r: r.source or (len(text), 0))
    named = [(r.source[0], name_words(r.source_text)) for r in relations if r.source]
    named = [(pos, w) for pos, w in named if w and not _ORGANISATION & set(w)]
    by_size = sorted(relations, key=lambda r: sum(b - a for a, b in r.content))
    for m in _QUOTED.finditer(text):
        start, end = m.start() + 1, m.end() - 1
        if len(_WORD.findall(text[start:end])) < 4:
            continue
        inside = [
            r for r in by_size if any(a <= m.start() and m.end() <= b + 1 for a, b in r.content)
        ]
        if inside:
            kind, speaker = _speaker(inside[0], named)
            yield GoldQuote(start, end, kind, tuple(speaker))


def _speaker(r: _Relation, named: Sequence[tuple[int, list[str]]]) -> tuple[str, list[str]]:
    words = [w.casefold() for w in _words(r.source_text)]
    if r.source is None or not words:
        return "other", []
    names = name_words(r.source_text)
    if names:
        return "named", names
    if len(words) == 1 and words[0] in _PRONOUNS:
        before = [w for pos, w in named if pos < r.source[0]]
        return "pronoun", before[-1] if before else []
    if words[0] in _INDEFINITE or (len(words) <= 3 and words[-1].endswith("s")):
        return "unnamed", []
    return "other", []


def _relations(ann: str) -> Iterable[_Relation]:
    spans: dict[str, tuple[str, tuple[tuple[int, int], ...], str]] = {}
    events = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if parts[0].startswith("T") and len(parts) >= 2:
            kind, offsets = parts[1].split(" ", 1)
            pairs = tuple(_pair(p) for p in offsets.split(";"))
            spans[parts[0]] = (kind, pairs, parts[2] if len(parts) > 2 else "")
        elif parts[0].startswith("E") and len(parts) >= 2:
            events.append(dict(x.split(":", 1) for x in parts[1].split()))
    for e in events:
        if "Content" not in e or e["Content"] not in spans:
            continue
        source = spans.get(e.get("Source", ""))
        yield _Relation(
            spans[e["Content"]][1],
            source[1][0] if source else None,
            source[2] if source else "",
        )


def _pair(text: str) -> tuple[int, int]:
    a, b = text.split()
    return int(a), int(b)


def _match(g: GoldQuote, found: Sequence[Quote], used: set[int]) -> Quote | None:
    for i, q in enumerate(found):
        overlap = min(g.end, q.end) - max(g.start, q.start)
        if i not in used and overlap >= 0.5 * min(g.end - g.start, q.end - q.start) > 0:
            used.add(i)
            return q
    return None
