"""Source quality: exact and near duplicates, partial (syndicated) copies, spun copies, opinion.

Duplicates: word 5-gram shingles of each cleaned article. Candidate pairs come from MinHash LSH
(datasketch, when installed; every pair otherwise, which is exact and fine for one cluster),
then exact Jaccard and containment decide: Jaccard >= ``near`` is a ``duplicate``; the smaller
article sharing >= ``partial`` of its shingles with another is ``syndicated``. The copy is the
later-published one (else the shorter, else the later input); it names its original.

Spun copies (article-spinning tools swap words for "synonyms"): two kinds of evidence.
1. Function words: spinners turn "the" into "a". In clean newswire, "the" makes up 29-100% of
   the/a/an tokens (min over the 2,404 DUC documents with >= 15 such tokens; median 72%);
   spun text falls far below.
2. Alignment against the cluster: a sentence that keeps another source's structure but swaps
   single words one for one, where the swapped-in words are rarer English (wordfreq Zipf
   frequency) than the words they replace, is a spun rewrite of that source.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from newsfuse import align, segment
from newsfuse.clean import comment_score
from newsfuse.model import CleanArticle
from newsfuse.text import words


@dataclass(frozen=True, slots=True)
class Settings:
    shingle: int = 5
    near: float = 0.8  # Jaccard of shingles: a near-identical copy
    partial: float = 0.5  # share of the smaller article's shingles found in the other
    # Spun: share of "the" among the/a/an below which function words alone flag a copy.
    # 0.25 sits under the lowest clean DUC value (0.29); see bench/README.md for the FP rate.
    the_share_spun: float = 0.25
    # the/a/an tokens for full weight: a short text's share is noise (a 13-token web snippet at
    # 0.23 was the one Multi-News false positive at 15).
    min_articles_tokens: int = 30
    spun_threshold: float = 0.5
    # Opinion: mean reader-voice score of the article's lines (clean.comment_score).
    opinion_threshold: float = 0.3


@dataclass(frozen=True, slots=True)
class Assessment:
    id: str
    flags: tuple[str, ...]
    duplicate_of: str | None
    spun_score: float

    @property
    def is_copy(self) -> bool:
        return self.duplicate_of is not None


def assess(
    articles: Sequence[CleanArticle],
    settings: Settings | None = None,
    indexes: align.Indexes | None = None,
) -> tuple[Assessment, ...]:
    """One assessment per article, in input order. ``indexes`` holds the run's sentence
    indexes and tokens, when later stages will read the same sentences."""
    settings = settings or Settings()
    lowered = {a.id: _lowered(a) for a in articles}
    copies = _copies(articles, lowered, settings)
    spun = _spun_scores(articles, lowered, settings, indexes or align.Indexes())
    out = []
    for a in articles:
        flags = []
        original = copies.get(a.id)
        if original is not None:
            flags.append(original[1])
        if spun[a.id] >= settings.spun_threshold:
            flags.append("spun")
        if _is_opinion(a, settings):
            flags.append("opinion")
        out.append(
            Assessment(a.id, tuple(flags), original[0] if original else None, round(spun[a.id], 3))
        )
    return tuple(out)


# --- duplicates ----------------------------------------------------------------------------


def _lowered(article: CleanArticle) -> list[str]:
    """The lower-cased words of the article's text: those the clean stage kept, when it did."""
    if article.lowered is None:
        return _lower_words(article.text)
    return article.lowered.split(" ") if article.lowered else []


def _lower_words(text: str) -> list[str]:
    """The lower-cased words of ``text``: each word lower-cased, in one call for all of them
    (no word holds a space, and lower-casing makes none)."""
    joined = " ".join(words(text)).lower()
    return joined.split(" ") if joined else []


def shingles(text: str, size: int) -> set[str]:
    return {" ".join(s) for s in _shingles(_lower_words(text), size)}


def _shingles(toks: Sequence[str], size: int) -> set[tuple[str, ...]]:
    """The word n-grams as tuples: they match where `shingles`' joined strings match (no word
    holds a space), built in one C-level pass instead of one join per position."""
    if len(toks) < size:
        return {tuple(toks)} if toks else set()
    return set(zip(*(toks[i:] for i in range(size)), strict=False))


def _copies(
    articles: Sequence[CleanArticle], lowered: Mapping[str, Sequence[str]], settings: Settings
) -> dict[str, tuple[str, str]]:
    """copy id -> (original id, "duplicate" | "syndicated")."""
    sets = {a.id: _shingles(lowered[a.id], settings.shingle) for a in articles}
    rank = {a.id: (a.article.published or "9999", -a.words_kept, n) for n, a in enumerate(articles)}
    out: dict[str, tuple[str, str]] = {}
    for x, y in _candidate_pairs(sets, settings):
        sx, sy = sets[x], sets[y]
        if not sx or not sy:
            continue
        common = len(sx & sy)
        jaccard = common / (len(sx) + len(sy) - common)  # the union's size, not the union
        containment = common / min(len(sx), len(sy))
        if jaccard >= settings.near:
            kind = "duplicate"
        elif containment >= settings.partial:
            kind = "syndicated"
        else:
            continue
        original, copy = sorted((x, y), key=rank.__getitem__)
        if kind == "syndicated" and len(sets[copy]) > len(sets[original]):
            original, copy = copy, original  # the part is the copy of the whole
        if copy not in out:
            out[copy] = (_root(original, out), kind)
    return out


def _root(ident: str, copies: dict[str, tuple[str, str]]) -> str:
    seen = set()
    while ident in copies and ident not in seen:
        seen.add(ident)
        ident = copies[ident][0]
    return ident


def _candidate_pairs(
    sets: dict[str, set[tuple[str, ...]]], settings: Settings
) -> list[tuple[str, str]]:
    ids = list(sets)
    if len(ids) <= 200:
        return list(combinations(ids, 2))  # exact and cheap for a cluster
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        return list(combinations(ids, 2))
    # LSH at a threshold under both cut-offs so that partial copies are candidates too.
    lsh = MinHashLSH(threshold=min(settings.near, settings.partial) * 0.6, num_perm=64)
    hashes = {}
    for ident in ids:
        m = MinHash(num_perm=64, hashfunc=_hash32)
        m.update_batch(sorted(" ".join(x) for x in sets[ident]))  # the shingles as text
        hashes[ident] = m
        lsh.insert(ident, m)
    at = {ident: n for n, ident in enumerate(ids)}  # input position, for a stable order
    pairs: set[tuple[str, str]] = {
        (ident, other) if at[ident] < at[other] else (other, ident)
        for ident in ids
        for other in lsh.query(hashes[ident])
        if other != ident
    }
    return sorted(pairs, key=lambda p: (at[p[0]], at[p[1]]))


def _hash32(data: str) -> int:
    return int.from_bytes(hashlib.blake2b(data.encode(), digest_size=4).digest(), "little")


# --- spun copies ---------------------------------------------------------------------------


def _spun_scores(
    articles: Sequence[CleanArticle],
    lowered: Mapping[str, Sequence[str]],
    settings: Settings,
    indexes: align.Indexes,
) -> dict[str, float]:
    aligned = _substitution_evidence(articles, indexes)
    return {
        a.id: max(_function_word_evidence(lowered[a.id], settings), aligned.get(a.id, 0.0))
        for a in articles
    }


def the_share(text: str) -> tuple[float, int]:
    """Share of "the" among the/a/an tokens, and how many such tokens there are."""
    return _the_share(_lower_words(text))


def _the_share(toks: Sequence[str]) -> tuple[float, int]:
    the = toks.count("the")
    total = the + toks.count("a") + toks.count("an")
    return (the / total if total else 1.0), total


def _function_word_evidence(toks: Sequence[str], settings: Settings) -> float:
    share, n = _the_share(toks)
    if n == 0:
        return 0.0
    # 1.0 at half the threshold or below, 0.5 at the threshold, 0 at 1.5x the threshold.
    score = min(1.0, max(0.0, 1.5 - share / settings.the_share_spun))
    return score * min(1.0, n / settings.min_articles_tokens)


def _substitution_evidence(
    articles: Sequence[CleanArticle], indexes: align.Indexes
) -> dict[str, float]:
    """Per source: share of its aligned sentence pairs in which it swapped common words for
    rarer ones one for one while keeping the other source's structure."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return {}
    sentences = [s for a in articles for s in segment.of(a)]
    if len(articles) < 2 or not sentences:
        return {}
    # A low bar: swapped words lower the cosine; _swaps then checks the structure itself.
    sim = indexes.similarity(sentences, 0.2)
    votes: dict[str, list[float]] = {}
    zipf: dict[str, float] = {}  # word -> its Zipf frequency: wordfreq re-reads a word each call
    rows, cols = sim.nonzero()
    # Pairs across sources only, filtered as arrays: an article repeating one sentence
    # thousands of times fills the matrix with same-source pairs.
    order = {a.id: n for n, a in enumerate(articles)}
    source = np.array([order[s.source] for s in sentences])
    keep = (rows < cols) & (source[rows] != source[cols])
    for i, j in zip(rows[keep], cols[keep], strict=True):
        a, b = sentences[i], sentences[j]
        swap = _swaps(a.text, b.text)
        if swap is None:
            continue
        for w in {w for pair in swap for w in pair} - zipf.keys():
            zipf[w] = zipf_frequency(w, "en")
        rarer_a = sum(zipf[x] < zipf[y] for x, y in swap)
        share = rarer_a / len(swap)
        votes.setdefault(a.source, []).append(share)
        votes.setdefault(b.source, []).append(1 - share)
    return {k: _vote(v) for k, v in votes.items()}


def _swaps(x: str, y: str) -> list[tuple[str, str]] | None:
    """One-for-one word swaps between two sentences that keep the same structure, or None."""
    tx, ty = words(x), words(y)
    if not tx or not 0.8 <= len(tx) / len(ty) <= 1.25:
        return None
    matcher = difflib.SequenceMatcher(a=tx, b=ty, autojunk=False)
    swaps, kept = [], 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            kept += i2 - i1
        elif op == "replace" and i2 - i1 == j2 - j1:
            # Spinners swap common lower-case words; changed names and numbers are news
            # updates (a wire story's later version), not spinning.
            swaps += [
                (a.lower(), b.lower())
                for a, b in zip(tx[i1:i2], ty[j1:j2], strict=True)
                if a.islower() and b.islower() and a.lower() != b.lower()
            ]
    total = kept + len(swaps)
    # Spinning keeps most of the frame and swaps a fifth or more of the words.
    if total < 8 or kept < 0.5 * total or len(swaps) < max(3, 0.15 * total):
        return None
    return swaps


def _vote(shares: list[float]) -> float:
    """Evidence that a source is the spun side: many aligned pairs, consistently rarer words."""
    mean = sum(shares) / len(shares)
    # Chance gives a mean near 0.5; a spinner's swaps are rarer nearly every time. Four or
    # more aligned pairs are needed for full weight (wire updates give one or two).
    weight = min(1.0, len(shares) / 4)
    return min(1.0, max(0.0, (mean - 0.6) / 0.3)) * weight


# --- opinion -------------------------------------------------------------------------------


def _is_opinion(article: CleanArticle, settings: Settings) -> bool:
    if article.voice is not None:
        return article.voice >= settings.opinion_threshold  # scored by the clean stage
    lines = [x for x in article.text.split("\n") if x.strip()]
    if not lines:
        return False
    return sum(comment_score(x) for x in lines) / len(lines) >= settings.opinion_threshold
