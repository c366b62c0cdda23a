"""Online story clustering, after Miranda et al. 2018 ("Multilingual Clustering of Streaming
News", EMNLP), which reached B-cubed F1 94 on English news.

Two steps, kept apart so that they can run in different places and still agree:

1. `vectorize` (pure, parallel): per article, hashed sub-linear term frequencies of the title
   and of the body, hashed entity-proxy spans, and the publication day. Feature hashing keeps
   every vector fixed-size and streamable: no vocabulary is shared between partitions.
2. `StoryIndex.assign` (sequential, in input order): streaming IDF; the similarity of an
   article to a story is a weighted mean of the title, body and entity TF-IDF cosines against
   the story's centroid, minus a time-decay penalty and a penalty when the article's lead is
   dated in a year that no lead of the story names (look-alike events: the same kind of event
   in another year, see `Settings.year_conflict`); candidate stories come from MinHash LSH
   over each vector's top terms, so the cost of one article does not grow with the number of
   stories. An article joins the best candidate above the threshold or starts a new story.

Story ids are integers in creation order, so the same input order gives the same ids whatever
ran step 1. Memory is bounded: centroids are truncated to their heaviest terms and only the
``max_active`` most recently updated stories are kept.
"""

from __future__ import annotations

import importlib.util
import io
import itertools
import json
import math
import re
import zlib
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt

from newsfuse.errors import ConfigError, StageError
from newsfuse.model import Article
from newsfuse.text import STOP_WORDS

Ids = npt.NDArray[np.int32]
Floats = npt.NDArray[np.float32]
Sig = npt.NDArray[np.int64]  # a MinHash signature: one value per band and row
BucketKey = int | tuple[int, ...]  # an LSH bucket: band * _PRIME + value, or (band, *rows)

# The version of `vectorize`'s features: a saved index built from other features is refused.
# 2: words hashed by `_word_hashes` (1: CRC-32 of each word).
VECTORS = 2
BITS = 18  # 262,144 hashed features per channel: collisions are rare among a story's terms
DIM = 1 << BITS
_MASK = DIM - 1
_PRIME = (1 << 31) - 1  # Mersenne prime for the universal hashes of MinHash
_IDF_EVERY = 4096  # after the first powers of two, the IDF is refreshed every so many articles
# The compiled loops of `loops` (numba) give the same results as the numpy code and save about
# 0.15 ms an article, but cost a process about 1 s to load (0.5 s to import numba, 0.5 s to
# load the cached machine code; about 12 s to compile them on the first run after an install,
# bench/README.md "Compiled loops"). An index switches to them once it has counted this many
# articles, so short runs (a CLI call on a few hundred articles, most tests) never load numba.
_COMPILE_AFTER = 5_000
_NUMBA = importlib.util.find_spec("numba") is not None


@dataclass(frozen=True, slots=True)
class Settings:
    # Channel weights of the similarity (renormalised over the channels both sides have).
    # Body text carries most of the signal; titles and names sharpen it (Miranda et al. 2018
    # learn weights of this shape). Re-checked on the DUC 2002 + Multi-News part of the pooled
    # set: 0.6/0.2/0.2, 0.7/0.1/0.2 and body alone are within 0.01 B-cubed F1 of this.
    body_weight: float = 0.8
    title_weight: float = 0.1
    entity_weight: float = 0.1
    # Join the best story when the similarity reaches this, else start a new story. Low because
    # a document is compared with a centroid: cosines of same-story news bodies are 0.1-0.5.
    # 0.17 is the best of 0.08-0.28 on the DUC 2002 + Multi-News part of the pooled set (F1
    # 0.828; 0.15: 0.827, 0.19: 0.826, 0.11: 0.759, 0.24: 0.79). The old 0.11 was tuned on
    # all of pooled together with the time penalty below, which splits topics apart.
    threshold: float = 0.17
    # Time decay: penalty * (1 - exp(-|days apart| / decay_days)). Off by default: on the
    # dated part of the pooled set (DUC 2006/2007 topics run for months) a penalty of 0.1 cost
    # 0.08 B-cubed F1 (0.817 -> 0.741) and 0.05 still cost 0.03; no labelled set here has
    # event-level gold where it could pay off. Set it for streams where a story is an event.
    decay_days: float = 30.0
    time_penalty: float = 0.0
    # Years in the first _YEAR_CHARS characters of the body: an article whose lead carries a
    # date ("Jan 5, 2011", "16 September 2013", "01/5/2011") in a year that no lead of a story
    # names loses `year_conflict` from its similarity to that story. Look-alike events (two
    # rehab check-ins, two heists in Paris, years apart) are told in the same words; the date
    # in a dateline is often what tells them apart. Fit on ECB+ train topics and DUC 2002 +
    # Multi-News, chosen on ECB+ dev topics, DUC 2006/2007 and wikiref (bench.clustering,
    # B-cubed F1, penalty 0 -> 0.1: ECB+ train 0.835 -> 0.850, dev 0.762 -> 0.868; DUC 2002 +
    # Multi-News 0.831 -> 0.833; DUC 2006 + 2007 main 0.833 -> 0.832; wikiref 0.853 -> 0.851).
    # Only a dated year of the article counts: any year it names (as on the story's side) cost
    # wikiref 0.853 -> 0.827, whose topics span decades. Any year in the first 2,000 characters
    # split DUC topics, which run for years (0.833 -> 0.784); a penalty of 0.2 cost them 0.02.
    # A step penalty on publication days (published, else a "May 3, 2013" dateline) more
    # than 180/365/730 days apart did not help ECB+ dev and cost DUC 2006/2007 0.02-0.08.
    year_conflict: float = 0.1
    # Centroid truncation: the heaviest terms kept per channel (title, body, entities).
    # (32, 150, 48) beats the old (48, 300, 64) by 0.01 on DUC 2002 + Multi-News and makes a
    # comparison cheaper: a short centroid keeps the topic words and drops the article-specific
    # tail that makes a large story look like everything.
    centroid_terms: tuple[int, int, int] = (32, 150, 48)
    # LSH: MinHash of the top terms of a vector, `bands` bands of `rows` rows; at most
    # `candidates` stories (most bands shared first) are scored.
    # One row per band: same-story vectors share only a few of their top terms, and a candidate
    # costs one sparse dot product, so recall matters more than bucket selectivity here.
    # Retrieval, not the similarity, was what lost most: scoring every open story instead of
    # the LSH candidates gave pooled 0.829 (was 0.817), and 128 bands get the same (0.826):
    # with 64 the right story often shared no band at all, so more candidates did not help
    # (64 bands: 24 / 48 / 64 candidates give pooled 0.817 / 0.821 / 0.822). B-cubed F1 with
    # 64 bands x 24 -> 128 x 24 -> 128 x 32 -> 128 x 48: tuning 0.828 / 0.831 / 0.831 / 0.831,
    # pooled 0.817 / 0.825 / 0.826 / 0.828, googlenews 0.829 / 0.841 / 0.847 / 0.848, wikiref
    # 0.835 / 0.853 / 0.853 / 0.853; 192 and 256 bands add nothing (pooled 0.830 / 0.829).
    # 128 x 32 costs ~20% more assignment time than 64 x 24 (0.30 -> 0.36 ms an article on
    # pooled + googlenews, after making bucket keys ints and counting hits in one pass), 5-10%
    # end to end (bench.scale 10k local: 1,265-1,273 -> 1,135-1,211 articles/s).
    # Earlier: 24 candidates, not 8 (64 bands: pooled 0.798 with 8).
    lsh_terms: int = 30
    bands: int = 128
    rows: int = 1
    candidates: int = 32
    # At most this many stories stay open; the least recently updated is retired first (later
    # articles can no longer join it). Bounds memory on an endless stream: ~15 KB a story with
    # 64 bands, somewhat more with 128 (a story sits in 128 buckets; not re-measured).
    max_active: int = 20_000
    seed: int = 1

    def __post_init__(self) -> None:
        if not 0.0 <= self.threshold <= 1.0:
            raise ConfigError(f"stories threshold must be in [0, 1], got {self.threshold}")
        if min(self.bands, self.rows, self.candidates, self.lsh_terms, self.max_active) < 1:
            raise ConfigError("stories bands, rows, candidates, lsh_terms, max_active must be >= 1")


@dataclass(frozen=True, slots=True)
class Sparse:
    """A sparse vector over hashed features: sorted unique ``idx``, weights ``val``."""

    idx: Ids
    val: Floats

    def __len__(self) -> int:
        return len(self.idx)


@dataclass(frozen=True, slots=True)
class DocVector:
    """What assignment needs of one article; L2-normalised term frequencies per channel."""

    title: Sparse
    body: Sparse
    entities: Sparse
    day: float  # proleptic ordinal of the publication day; nan when unknown
    years: Ids = field(default_factory=lambda: _NO_YEARS)  # sorted years named in the lead
    dated: Ids = field(default_factory=lambda: _NO_YEARS)  # those of them in a date


# ---------------------------------------------------------------------------------------------
# 1. vectorize (pure)

_WORD_RE = re.compile(r"[a-zà-öø-ÿ]{2,}")  # on lower-cased text; Latin letters are 1.6x faster
# Entity proxy: runs of capitalised words, optionally joined by a lower-case particle. spaCy NER
# is ~100x slower than the 1 ms per article budget; capitalised spans outside sentence starts
# catch most names in edited English news.
_ENTITY_RE = re.compile(
    r"[A-Z][\w'’\-]*(?:[ \t]+(?:of[ \t]+|the[ \t]+|de[ \t]+|al[ \t]+|van[ \t]+)?[A-Z][\w'’\-]*)*"
)
# Names are read from the lead only: the lead names a story's actors, and the entity scan is
# the costliest part of vectorizing (it would take a third of the 1 ms budget on long texts).
_LEAD_CHARS = 2000
# Years are read from the first 400 characters of the body (a dateline, the lead sentence): see
# Settings.year_conflict. A year is "dated" when a month name or a day/month precedes it.
_YEAR_CHARS = 400
_YEAR = r"\b((?:19[5-9]|20[0-4])\d)\b"
_YEAR_RE = re.compile(_YEAR)
_MONTH = (
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_DATED_RE = re.compile(
    rf"(?i)(?:{_MONTH}\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?"  # May 3, 2013 / May 2013
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+"  # 3 May 2013
    rf"|\b\d{{1,2}}\s*/\s*\d{{1,2}}\s*/\s*){_YEAR}"  # 05/03/2013
)
_SENTENCE_END = frozenset(".!?:\n\"“”'")
_END_OR_BLANK = _SENTENCE_END | {" ", "\t"}
# Capitalised by convention, not names: they would tie every story of the same week together.
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "june july august september october november december today".split()
)
# Word tokens: every byte that is not a lower-case Latin-1 letter (a-z, à-ö, ø-ÿ) becomes a
# space; characters outside Latin-1 were already replaced by "?".
_LETTERS = bytes(
    c if (97 <= c <= 122 or 0xE0 <= c <= 0xFF) and c != 0xF7 else 32 for c in range(256)
)
# Word hashing (see `_word_hashes`): a word's first _TOKEN_BYTES bytes, as three 64-bit
# integers, and its length are multiplied by odd constants and summed modulo 2^64, then go
# through the murmur3 finaliser; the top BITS bits are the word's feature. Longer words (rare:
# "counterintelligence" has 19 letters) that share their first 24 letters and length collide.
_TOKEN_BYTES = 24
_MUL = np.uint64(0x9E3779B97F4A7C15)
_WORD_MULS = (
    np.uint64(0xC2B2AE3D27D4EB4F),
    np.uint64(0x165667B19E3779F9),
    np.uint64(0x27D4EB2F165667C5),
)
_BYTE_MASKS = np.array([(1 << (8 * n)) - 1 for n in range(9)], np.uint64)  # the low n bytes
_FMIX = (np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))


def vectorize(articles: Sequence[Article]) -> list[DocVector]:
    """The vectors of ``articles``, in order. Pure: the same article gives the same vector in
    any process (hashes are computed here, not Python's salted ``hash``)."""
    titles = _word_vectors([a.title or "" for a in articles])
    bodies = _word_vectors([a.text for a in articles])
    names = _name_vectors([entities(f"{a.title or ''}.\n{a.text[:_LEAD_CHARS]}") for a in articles])
    return [_vector(*parts) for parts in zip(articles, titles, bodies, names, strict=True)]


@dataclass(frozen=True, slots=True)
class PackedVectors:
    """Vectors of a chunk in six flat arrays: what a Dask worker sends back. Thousands of
    small arrays would cost more to serialize than to compute."""

    lengths: npt.NDArray[np.int64]  # (n, 5): features per channel, years, dated years
    idx: Ids
    val: Floats
    days: npt.NDArray[np.float64]
    years: Ids  # per article: its years, then its dated years

    @classmethod
    def pack(cls, vectors: Sequence[DocVector]) -> PackedVectors:
        chans = [ch for v in vectors for ch in (v.title, v.body, v.entities)]
        lengths = [
            [len(v.title), len(v.body), len(v.entities), len(v.years), len(v.dated)]
            for v in vectors
        ]
        return cls(
            np.array(lengths, np.int64).reshape(len(vectors), 5),
            np.concatenate([c.idx for c in chans]) if chans else _EMPTY.idx,
            np.concatenate([c.val for c in chans]) if chans else _EMPTY.val,
            np.array([v.day for v in vectors], np.float64),
            np.concatenate([y for v in vectors for y in (v.years, v.dated)] or [_NO_YEARS]),
        )

    def unpack(self) -> list[DocVector]:
        cuts = np.cumsum(self.lengths[:, :3].ravel())[:-1]
        chans = [
            Sparse(i, v)
            for i, v in zip(np.split(self.idx, cuts), np.split(self.val, cuts), strict=True)
        ]
        years = np.split(self.years, np.cumsum(self.lengths[:, 3:].ravel())[:-1])
        return [
            DocVector(
                chans[3 * k],
                chans[3 * k + 1],
                chans[3 * k + 2],
                float(day),
                years[2 * k],
                years[2 * k + 1],
            )
            for k, day in enumerate(self.days.tolist())
        ]


def vectorize_packed(articles: Sequence[Article]) -> PackedVectors:
    return PackedVectors.pack(vectorize(articles))


def _vector(article: Article, title: Sparse, body: Sparse, names: Sparse) -> DocVector:
    lead = article.text[:_YEAR_CHARS]
    years = _years(_YEAR_RE, lead)
    return DocVector(
        title=title,
        body=body,
        entities=names,
        day=_day(article.published),
        years=years,
        dated=_years(_DATED_RE, lead) if len(years) else _NO_YEARS,  # a date needs a year
    )


def _years(pattern: re.Pattern[str], lead: str) -> Ids:
    found = pattern.findall(lead)
    return np.unique(np.array(found, np.int32)) if found else _NO_YEARS


def _word_vectors(texts: Sequence[str]) -> list[Sparse]:
    """Sub-linear TF (1 + log tf) of the hashed words of each text, L2-normalised, for a whole
    chunk in a fixed number of numpy passes: per-word Python work (a regex match, a dict
    look-up, a CRC) was most of the cost of vectorizing. Words are runs of at least two
    lower-case Latin-1 letters (as ``re.findall("[a-zà-öø-ÿ]{2,}", text.lower())``); stop
    words are dropped; a plural counts with its singular (a trailing "s" is folded off words of
    four letters or more, not "ss")."""
    lowered = [t.lower() for t in texts]
    joined = " ".join(lowered).encode("latin-1", "replace").translate(_LETTERS)
    buf = np.frombuffer(joined, np.uint8)
    letter = np.concatenate(([False], buf != 32, [False]))
    edges = np.flatnonzero(letter[1:] != letter[:-1])
    starts, lens = edges[0::2], edges[1::2] - edges[0::2]
    starts, lens = starts[lens >= 2], lens[lens >= 2]
    full, folded = _word_hashes(buf, starts, lens)
    plural = (lens > 3) & (buf[starts + lens - 1] == 115) & (buf[starts + lens - 2] != 115)
    feats = _feature(np.where(plural, folded, full))
    offsets = np.cumsum([0] + [len(t) + 1 for t in lowered[:-1]])  # where each text starts
    docs = np.repeat(
        np.arange(len(texts)), np.diff(np.searchsorted(starts, offsets), append=len(starts))
    )
    keep = _STOP_TABLE[_feature(full)] != full
    return _split_counts(np.sort((docs[keep] << BITS) | feats[keep]), len(texts))


def _feature(hashes: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    return (hashes >> np.uint64(64 - BITS)).astype(np.int64)


def _word_hashes(
    buf: npt.NDArray[np.uint8], starts: npt.NDArray[np.int64], lens: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    """The hash of each word ``buf[start:start + len]``, and of the word less its last letter:
    its first 24 bytes read as three little-endian 64-bit integers (a gather each, for all
    words at once; a loop over letter positions cost four times as much), bytes past the word
    masked off, then mixed with the length."""
    padded = np.concatenate((buf, np.zeros(_TOKEN_BYTES, np.uint8)))
    windows = np.ndarray((len(padded) - 7,), "<u8", padded, 0, (1,))  # 8 bytes at each offset
    full = np.zeros(len(starts), np.uint64)
    folded = np.zeros(len(starts), np.uint64)
    for j, mul in enumerate(_WORD_MULS):
        w = windows[starts + 8 * j]
        full += (w & _BYTE_MASKS[np.clip(lens - 8 * j, 0, 8)]) * mul
        folded += (w & _BYTE_MASKS[np.clip(lens - 1 - 8 * j, 0, 8)]) * mul
    return _finish(full, lens), _finish(folded, lens - 1)


def _finish(h: npt.NDArray[np.uint64], lens: npt.NDArray[np.int64]) -> npt.NDArray[np.uint64]:
    """Mix the length into a word hash, then the murmur3 finaliser (all bits avalanche)."""
    h += lens.astype(np.uint64) * _MUL
    h ^= h >> np.uint64(33)
    h *= _FMIX[0]
    h ^= h >> np.uint64(33)
    h *= _FMIX[1]
    h ^= h >> np.uint64(33)
    return h


def _split_counts(keys: npt.NDArray[np.int64], n: int) -> list[Sparse]:
    """Per text, from sorted ``text << BITS | feature`` keys: its features and their
    normalised 1 + log(count)."""
    first = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1]))) if len(keys) else keys
    uniq = keys[first]
    val = (1.0 + np.log(np.diff(first, append=len(keys)))).astype(np.float32)
    bounds = np.searchsorted(uniq >> BITS, np.arange(n + 1))
    sq = np.concatenate(([0.0], np.cumsum(val.astype(np.float64) ** 2)))
    norms = np.sqrt(sq[bounds[1:]] - sq[bounds[:-1]]).astype(np.float32)
    val /= np.repeat(np.where(norms > 0, norms, 1.0).astype(np.float32), np.diff(bounds))
    idx = (uniq & _MASK).astype(np.int32)
    return [
        Sparse(idx[a:b], val[a:b]) if b > a else _EMPTY
        for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)
    ]


def entities(text: str) -> list[str]:
    """Entity-proxy spans of ``text``, lower-cased: capitalised spans, minus leading function
    words; a one-word span at a sentence start is dropped (it is capitalised by position)."""
    out = []
    for m in _ENTITY_RE.finditer(text):
        span, start = m.group(), m.start()
        # at a sentence start: the last character before it, one blank skipped, ends one
        at_start = (
            start == 0
            or (c := text[start - 1]) in _SENTENCE_END
            or (c in " \t" and (start == 1 or text[start - 2] in _END_OR_BLANK))
        )
        if " " not in span and "\t" not in span:  # fast path: most spans are one word
            low = span.lower()
            if not at_start and len(span) > 1 and low not in STOP_WORDS and low not in _CALENDAR:
                out.append(low)
            continue
        parts = span.split()
        lead = 0
        while lead < len(parts) and parts[lead].lower() in STOP_WORDS:
            lead += 1
        parts = parts[lead:]
        single = len(parts) == 1 and (at_start or lead > 0 or parts[0].lower() in _CALENDAR)
        if parts and not single and len(parts[0]) > 1:
            out.append(" ".join(parts).lower())
    return out


def _name_vectors(names: Sequence[list[str]]) -> list[Sparse]:
    """Sub-linear TF of the hashed entity-proxy names of each text, L2-normalised, counted for
    a whole chunk at once as for words (names are hashed by CRC-32, once per distinct name)."""
    keys: dict[str, int] = {}
    feats = [keys.get(n) or _name_key(n, keys) for ns in names for n in ns]
    docs = np.repeat(np.arange(len(names), dtype=np.int64), [len(ns) for ns in names])
    return _split_counts(np.sort((docs << BITS) | np.array(feats, np.int64)), len(names))


def _name_key(name: str, keys: dict[str, int]) -> int:
    key = keys[name] = zlib.crc32(name.encode()) & _MASK
    return key


def _day(published: str | None) -> float:
    try:
        return float(date.fromisoformat(published[:10]).toordinal()) if published else math.nan
    except ValueError:
        return math.nan


def _stop_table() -> npt.NDArray[np.uint64]:
    """Per feature, the hash of the stop word that has it (0 for none): a word is a stop word
    when its hash equals the one at its feature, one gather for all words (a binary search in
    the sorted stop hashes cost 17 us an article). Only stop words made of letters can be
    words; no two of them share a feature (checked here, the list is fixed)."""
    stop = sorted(w for w in STOP_WORDS if w.isascii() and w.isalpha() and len(w) >= 2)
    lens = np.array([len(w) for w in stop], np.int64)
    starts = np.cumsum(lens + 1) - lens - 1
    full, _ = _word_hashes(np.frombuffer(" ".join(stop).encode(), np.uint8), starts, lens)
    if len(np.unique(_feature(full))) != len(full):
        raise AssertionError("two stop words share a feature: change the word hash constants")
    table = np.zeros(DIM, np.uint64)
    table[_feature(full)] = full
    table.flags.writeable = False
    return table


_EMPTY = Sparse(np.zeros(0, np.int32), np.zeros(0, np.float32))
_NO_SIG: Sig = np.zeros(0, np.int64)
_NO_YEARS: Ids = np.zeros(0, np.int32)
_CHANNEL_BITS = np.array([1, 2, 4], np.int64)  # see `_channels`
_STOP_TABLE = _stop_table()


# ---------------------------------------------------------------------------------------------
# 2. assign (sequential)


@dataclass(frozen=True, slots=True)
class _Flat:
    """The three channels of a vector in one sparse vector: feature + channel * DIM, sorted,
    so that one numpy call does for all three what took one call per channel."""

    idx: Ids
    val: Floats
    lens: npt.NDArray[np.int64]  # features per channel: title, body, entities

    @classmethod
    def of(cls, channels: Sequence[Sparse]) -> _Flat:
        return cls(
            np.concatenate([ch.idx + i * DIM for i, ch in enumerate(channels)]),
            np.concatenate([ch.val for ch in channels]),
            np.array([len(ch) for ch in channels], np.int64),
        )

    def channels(self) -> list[Sparse]:
        cuts = np.cumsum(self.lens)[:-1]
        parts = zip(np.split(self.idx, cuts), np.split(self.val, cuts), strict=True)
        return [Sparse(i - ch * DIM, v) for ch, (i, v) in enumerate(parts)]


_NO_FLAT = _Flat(_EMPTY.idx, _EMPTY.val, np.zeros(3, np.int64))


@dataclass(slots=True)
class _Story:
    id: int
    size: int
    centroid: _Flat  # summed normalised TF of title, body, entities (each truncated)
    day_sum: float = 0.0
    day_n: int = 0
    years: set[int] = field(default_factory=set)  # every year its articles' leads named
    sig: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    # TF-IDF weights of the centroid, L2-normalised per channel, for IDF version `weights_at`
    weights: _Flat = _NO_FLAT
    weights_at: int = -1

    @property
    def day(self) -> float:
        return self.day_sum / self.day_n if self.day_n else math.nan


class StoryIndex:
    """The state of an online clustering run: streaming document frequencies, active stories
    and their LSH buckets. Feed it vectors in input order with `assign`."""

    def __init__(self, settings: Settings | None = None, *, compiled: bool | None = None) -> None:
        """``compiled``: run the per-article steps as the compiled loops of `loops` (the same
        results as the numpy code) when numba is installed: True from the first article, False
        never, None once `_COMPILE_AFTER` articles have been counted."""
        self.settings = settings or Settings()
        s = self.settings
        self._compile = compiled
        self._compiled = False  # whether the loops are in use
        self.docs = 0
        self.next_id = 0
        self._df = np.zeros(2 * DIM, np.int32)  # words (titles and bodies), entities
        self._stories: OrderedDict[int, _Story] = OrderedDict()  # least recently updated first
        self._buckets: dict[BucketKey, dict[int, None]] = {}
        rng = np.random.default_rng(s.seed)
        self._a = rng.integers(1, _PRIME, s.bands * s.rows, dtype=np.int64)
        self._b = rng.integers(0, _PRIME, s.bands * s.rows, dtype=np.int64)
        self._band_offsets = np.arange(s.bands, dtype=np.int64) * _PRIME
        # zero between uses: the article's weights while scoring, then the centroid merge
        self._scratch = np.zeros(3 * DIM, np.float32)
        self._channel_weights = np.array(
            [s.title_weight, s.body_weight, s.entity_weight], np.float64
        )
        self._keep = np.array(s.centroid_terms, np.int64)
        # the sum of the channel weights of each set of channels (bit c: channel c), the
        # denominator of the similarity; nothing shared scores 0 / inf = 0
        masks = (np.arange(8)[:, None] >> np.arange(3)) & 1 > 0
        totals = masks @ self._channel_weights
        self._totals = np.where(totals > 0, totals, math.inf)
        self._idf_table = np.ones(2 * DIM, np.float32)
        self._idf_flat = np.ones(3 * DIM, np.float32)  # the same per flat feature
        self._idf_version = 0  # the article count `_idf_table` was computed at

    @property
    def active(self) -> int:
        return len(self._stories)

    def assign_all(self, vectors: Iterable[DocVector]) -> list[int]:
        """The stories of ``vectors``, in order. What does not depend on the stories (document
        frequencies, TF-IDF weights, MinHash signatures) is computed for a run of articles at
        once, a run ending where the IDF is next refreshed: the same result as one article at
        a time, with a third of the numpy calls per article."""
        vecs = list(vectors)
        out: list[int] = []
        while len(out) < len(vecs):
            out += self._assign_run(vecs[len(out) : len(out) + self._run_length()])
        return out

    def assign(self, vec: DocVector) -> int:
        """The story of ``vec``: the best candidate story, or a new one."""
        return self.assign_all([vec])[0]

    def _run_length(self) -> int:
        """How many articles from here see the current IDF: the next article alone when its
        count refreshes the IDF (see `_count`), else those before the next refresh."""
        n = self.docs + 1
        if _refreshes(n):
            return 1
        return min(1 << n.bit_length(), (n // _IDF_EVERY + 1) * _IDF_EVERY) - n

    def _assign_run(self, run: Sequence[DocVector]) -> list[int]:
        self._compiled = self._compiled or self._wants_loops()
        chans = [ch for v in run for ch in (v.title, v.body, v.entities)]
        lens = np.array([len(ch) for ch in chans], np.int64)
        offsets = np.repeat(np.tile(np.array([0, DIM, 2 * DIM], np.int32), len(run)), lens)
        idx = np.concatenate([ch.idx for ch in chans] + [_EMPTY.idx]) + offsets
        val = np.concatenate([ch.val for ch in chans] + [_EMPTY.val])
        per_doc = lens.reshape(-1, 3).sum(axis=1)
        self._count(idx, per_doc)
        weighted = self._weighted(idx, val, lens)
        sigs = self._signatures(idx, weighted, per_doc)
        bounds = np.concatenate(([0], np.cumsum(per_doc))).tolist()
        doc_lens = lens.reshape(-1, 3)
        out = []
        for k, vec in enumerate(run):
            a, b = bounds[k], bounds[k + 1]
            doc = _Flat(idx[a:b], val[a:b], doc_lens[k])
            out.append(self._place(vec, doc, _Flat(doc.idx, weighted[a:b], doc.lens), sigs[k]))
        return out

    def _place(self, vec: DocVector, doc: _Flat, weighted: _Flat, sig: Sig) -> int:
        self._scratch[doc.idx] = weighted.val
        best, best_score = self._best(weighted, vec, self._candidates(sig))
        self._scratch[doc.idx] = 0.0
        if best < 0 or best_score < self.settings.threshold:
            return self._new_story(vec, doc, sig)
        self._join(self._stories[best], vec, doc)
        return best

    def _wants_loops(self) -> bool:
        if not _NUMBA or self._compile is False:
            return False
        return self._compile or self.docs >= _COMPILE_AFTER

    # -- similarity

    def _count(self, idx: Ids, per_doc: npt.NDArray[np.int64]) -> None:
        """Count the documents of a run (flat features ``idx``, ``per_doc`` of them each) in
        the document frequencies; refresh the IDF if the last one's count says so."""
        docs = np.repeat(np.arange(len(per_doc), dtype=np.int64), per_doc)
        # a title word also in the body counts once
        keys = np.sort((docs << (BITS + 1)) | _shared(idx))
        seen = keys[np.concatenate(([True], keys[1:] != keys[:-1]))] & ((1 << (BITS + 1)) - 1)
        self._df += np.bincount(seen, minlength=2 * DIM).astype(np.int32)
        self.docs += len(per_doc)
        n = self.docs
        if _refreshes(n):
            # IDF is recomputed on a schedule of article counts (every power of two, then every
            # 4096): per comparison it would cost more than the comparison itself, and every
            # refresh makes each story recompute its weights when next compared.
            self._set_idf(np.log((n + 1) / (self._df + 1.0)).astype(np.float32) + 1.0, n)

    def _set_idf(self, table: Floats, version: int) -> None:
        self._idf_table, self._idf_version = table, version
        self._idf_flat = np.concatenate((table[:DIM], table))  # title, body: words; entities

    def _weighted(self, idx: Ids, val: Floats, lens: npt.NDArray[np.int64]) -> Floats:
        """TF-IDF of flat vectors, L2-normalised per segment of ``lens`` (per channel)."""
        return self._normalised(val * self._idf_flat[idx], lens)

    def _normalised(self, w: Floats, lens: npt.NDArray[np.int64]) -> Floats:
        """``w`` L2-normalised per segment of ``lens``."""
        if self._compiled:
            from newsfuse.stories import loops  # loaded only when used: see _COMPILE_AFTER

            return loops.normalised(w, lens)
        norms = np.sqrt(_segment_sums(w * w, lens))
        norms[norms == 0.0] = 1.0
        out: Floats = w / np.repeat(norms, lens)
        return out

    def _weights(self, vec: _Flat) -> _Flat:
        """TF-IDF of ``vec``, L2-normalised per channel."""
        return _Flat(vec.idx, self._weighted(vec.idx, vec.val, vec.lens), vec.lens)

    def _best(self, doc: _Flat, vec: DocVector, candidates: list[int]) -> tuple[int, float]:
        """The best of ``candidates`` and its similarity (-1, -1.0 when there are none): a
        weighted mean of the channel cosines, over the channels both sides have, minus the
        time and year penalties. All candidates are scored in one batch: one gather and one
        product instead of three small dot products each (the per-call overhead was most of
        the cost)."""
        if not candidates:
            return -1, -1.0
        stories = [self._stories[sid] for sid in candidates]
        weights = [
            st.weights if st.weights_at == self._idf_version else self._refresh(st)
            for st in stories
        ]
        idx = np.concatenate([w.idx for w in weights])
        val = np.concatenate([w.val for w in weights])
        lens = np.concatenate([w.lens for w in weights])
        if self._compiled:
            from newsfuse.stories import loops

            dots = loops.dots(self._scratch, idx, val, lens).reshape(-1, 3)
        else:
            dots = _segment_sums(self._scratch.take(idx) * val, lens).reshape(-1, 3)
        # a channel that one side lacks has a dot product of 0: only the total needs the mask
        have = (lens.reshape(-1, 3) > 0) @ _CHANNEL_BITS & _channels(doc.lens)
        scores = dots @ self._channel_weights / self._totals.take(have)
        scores -= self._penalties(vec, stories)
        best = int(np.argmax(scores))  # the first of equals: candidates are in a fixed order
        return candidates[best], float(scores[best])

    def _penalties(self, vec: DocVector, stories: list[_Story]) -> npt.NDArray[np.float64] | float:
        """What comes off each story's similarity: the time decay, the year conflict."""
        s, day = self.settings, vec.day
        out: npt.NDArray[np.float64] | float = 0.0
        if s.time_penalty and not math.isnan(day):
            days = np.array([st.day for st in stories])
            gap = np.nan_to_num(np.abs(days - day), nan=0.0)
            out = s.time_penalty * (1.0 - np.exp(-gap / s.decay_days))
        if s.year_conflict and len(vec.dated):
            dated = vec.dated.tolist()
            apart = [bool(st.years) and st.years.isdisjoint(dated) for st in stories]
            out = out + s.year_conflict * np.array(apart, np.float64)
        return out

    def _refresh(self, story: _Story) -> _Flat:
        """The story's TF-IDF weights for the current IDF (kept until the next refresh)."""
        story.weights = self._weights(story.centroid)
        story.weights_at = self._idf_version
        return story.weights

    # -- LSH

    def _signature(self, weighted: _Flat) -> npt.NDArray[np.int64]:
        """MinHash of the top terms (title and body words alike, entities apart)."""
        idx, k = weighted.idx, self.settings.lsh_terms
        if len(idx) > k:
            top = np.lexsort((idx, -weighted.val))[:k]  # ties broken by feature: deterministic
            idx = idx[top]
        if not len(idx):
            return np.zeros(0, np.int64)
        x = _shared(idx).astype(np.int64)
        hashed: npt.NDArray[np.int64] = (self._a[:, None] * x[None, :] + self._b[:, None]) % _PRIME
        sig: npt.NDArray[np.int64] = hashed.min(axis=1)
        return sig

    def _signatures(self, idx: Ids, weighted: Floats, per_doc: npt.NDArray[np.int64]) -> list[Sig]:
        """`_signature` of each document of a run, in blocks of documents so that the hash
        matrix stays small."""
        k, block = self.settings.lsh_terms, 256
        docs = np.repeat(np.arange(len(per_doc), dtype=np.int64), per_doc)
        order = _heaviest_first(docs, weighted, idx)
        starts = np.cumsum(per_doc) - per_doc
        top = _shared(idx[order[np.arange(len(order)) - starts[docs[order]] < k]])
        picked = np.minimum(per_doc, k)
        ends = np.cumsum(picked).tolist()
        sigs: list[Sig] = []
        for first in range(0, len(per_doc), block):
            lo = ends[first - 1] if first else 0
            hi = ends[min(first + block, len(per_doc)) - 1]
            sigs += self._minhash(top[lo:hi].astype(np.int64), picked[first : first + block])
        return sigs

    def _minhash(self, x: npt.NDArray[np.int64], counts: npt.NDArray[np.int64]) -> list[Sig]:
        """MinHash signatures of consecutive groups of ``counts`` features of ``x``."""
        if not len(x):
            return [_NO_SIG] * len(counts)
        hashed = (self._a[:, None] * x[None, :] + self._b[:, None]) % _PRIME
        mins = np.minimum.reduceat(hashed, np.minimum(np.cumsum(counts) - counts, len(x) - 1), 1)
        # copies: a view would keep the whole block alive as long as its story
        return [mins[:, j].copy() if c else _NO_SIG for j, c in enumerate(counts.tolist())]

    def _keys(self, sig: npt.NDArray[np.int64]) -> list[BucketKey]:
        if not len(sig):
            return []
        if self.settings.rows == 1:
            # the default: band * _PRIME + value, an int (values are < _PRIME), so that the
            # 128 bucket look-ups of an article hash ints rather than tuples
            keys: list[BucketKey] = (sig + self._band_offsets).tolist()
            return keys
        rows = sig.reshape(self.settings.bands, self.settings.rows).tolist()
        return [(band, *r) for band, r in enumerate(rows)]

    def _candidates(self, sig: npt.NDArray[np.int64]) -> list[int]:
        # one C-level count over every bucket hit: a Counter.update per bucket cost a third
        # of the assignment time with 128 bands
        buckets = list(filter(None, map(self._buckets.get, self._keys(sig))))
        hits: Counter[int] = Counter(itertools.chain.from_iterable(buckets))
        if len(hits) <= self.settings.candidates:
            return sorted(hits, key=lambda sid: (-hits[sid], sid))
        # most shared bands first, then the oldest story; numpy because hundreds of stories
        # can share a band once a stream has many open stories, and a keyed sort was the cost
        ids = np.fromiter(hits.keys(), np.int64, len(hits))
        shared = np.fromiter(hits.values(), np.int64, len(hits))
        top = np.lexsort((ids, -shared))[: self.settings.candidates]
        out: list[int] = ids[top].tolist()
        return out

    def _index(self, story: _Story, sig: npt.NDArray[np.int64]) -> None:
        if np.array_equal(story.sig, sig):
            return
        old, new = set(self._keys(story.sig)), set(self._keys(sig))
        for key in old.difference(new):
            bucket = self._buckets[key]
            del bucket[story.id]
            if not bucket:
                del self._buckets[key]
        for key in new.difference(old):
            self._buckets.setdefault(key, {})[story.id] = None
        story.sig = sig

    # -- updates

    def _new_story(self, vec: DocVector, doc: _Flat, sig: npt.NDArray[np.int64]) -> int:
        # copies: ``doc`` is a view into the arrays of its whole run of articles, which a
        # story that is never joined would otherwise keep alive
        story = _Story(self.next_id, 1, _Flat(doc.idx.copy(), doc.val.copy(), doc.lens.copy()))
        story.years.update(vec.years.tolist())
        self.next_id += 1
        if not math.isnan(vec.day):
            story.day_sum, story.day_n = vec.day, 1
        self._stories[story.id] = story
        self._index(story, sig)
        while len(self._stories) > self.settings.max_active:
            _, old = self._stories.popitem(last=False)
            self._index(old, np.zeros(0, np.int64))
        return story.id

    def _join(self, story: _Story, vec: DocVector, doc: _Flat) -> None:
        story.centroid, story.weights = self._add(story.centroid, doc)
        story.weights_at = self._idf_version
        story.size += 1
        story.years.update(vec.years.tolist())
        if not math.isnan(vec.day):
            story.day_sum += vec.day
            story.day_n += 1
        self._stories.move_to_end(story.id)
        if story.size <= 4 or story.size & (story.size - 1) == 0:
            # A centroid's top terms settle as the story grows: re-hash it while it is small,
            # then at each doubling.
            self._index(story, self._signature(story.weights))

    def _add(self, c: _Flat, d: _Flat) -> tuple[_Flat, _Flat]:
        """``c + d``, each channel truncated to its `centroid_terms` features heaviest by
        TF-IDF (by TF alone, common words would crowd out the names and topic words that tell
        stories apart), and its TF-IDF weights (as `_weights` gives them: the TF-IDF that
        chose the terms, normalised). Summed in the scratch array (zero between uses, shared
        with the scoring so that the article's features are already in cache): no sort to
        find shared features."""
        if self._compiled:
            from newsfuse.stories import loops

            idx, val, w, lens = loops.merge(
                c.idx, c.val, d.idx, d.val, self._scratch, self._idf_flat, self._keep
            )
            return _Flat(idx, val, lens), _Flat(idx, w, lens)
        sums = self._scratch
        sums[c.idx] = c.val
        fresh = d.idx[sums[d.idx] == 0.0]  # a centroid's weights are all > 0
        sums[d.idx] += d.val
        idx = np.concatenate((c.idx, fresh))
        val = sums[idx]
        sums[idx] = 0.0
        w = val * self._idf_flat[idx]
        channel = idx >> BITS
        lens = np.bincount(channel, minlength=3)
        if (lens > self._keep).any():
            # heaviest first within each channel, ties by feature; keep each channel's head
            order = np.lexsort((idx, -w, channel))
            starts = np.concatenate(([0], np.cumsum(lens)[:-1]))
            rank = np.arange(len(idx)) - np.repeat(starts, lens)
            order = order[rank < np.repeat(self._keep, lens)]
            idx, val, w = idx[order], val[order], w[order]
            lens = np.minimum(lens, self._keep)
        order = np.argsort(idx)
        idx, w = idx[order], w[order]
        return _Flat(idx, val[order], lens), _Flat(idx, self._normalised(w, lens), lens)

    # -- persistence (byte-stable: numpy arrays and JSON, no pickle)

    def to_bytes(self) -> bytes:
        stories = list(self._stories.values())
        arrays: dict[str, npt.NDArray[np.generic]] = {
            "df": self._df,
            "idf": self._idf_table,
            "meta": np.array([s.id for s in stories], np.int64),
            "size": np.array([s.size for s in stories], np.int64),
            "day": np.array([(s.day_sum, s.day_n) for s in stories], np.float64).reshape(-1, 2),
            "sig": np.array([_pad(s.sig, self._a.size) for s in stories], np.int64).reshape(
                len(stories), self._a.size
            ),
        }
        arrays["nyears"] = np.array([len(s.years) for s in stories], np.int64)
        arrays["years"] = _concat([np.array(sorted(s.years), np.int32) for s in stories], np.int32)
        channels = [s.centroid.channels() for s in stories]
        for ch in range(3):
            arrays[f"len{ch}"] = np.array([len(c[ch]) for c in channels], np.int64)
            arrays[f"idx{ch}"] = _concat([c[ch].idx for c in channels], np.int32)
            arrays[f"val{ch}"] = _concat([c[ch].val for c in channels], np.float32)
        head = {
            "settings": _settings_json(self.settings),
            "docs": self.docs,
            "next": self.next_id,
            "idf_version": self._idf_version,
            "vectors": VECTORS,
        }
        arrays["head"] = np.frombuffer(json.dumps(head).encode(), np.uint8)
        buf = io.BytesIO()
        np.savez(buf, allow_pickle=False, **arrays)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes, settings: Settings | None = None) -> StoryIndex:
        """Restore a saved index; ``settings`` must equal the ones it was built with."""
        try:
            z = np.load(io.BytesIO(data), allow_pickle=False)
            head = json.loads(z["head"].tobytes().decode())
        except (ValueError, OSError, KeyError) as err:
            raise StageError(f"the saved story index cannot be read ({err})") from err
        index = cls(settings)
        if head["settings"] != _settings_json(index.settings) or head.get("vectors") != VECTORS:
            raise StageError(
                "the saved story index was built with other settings or features; "
                "re-cluster from scratch (newsfuse stories --db ... --rebuild)"
            )
        index.docs, index.next_id = int(head["docs"]), int(head["next"])
        index._df[:] = z["df"]
        index._set_idf(z["idf"].astype(np.float32), int(head["idf_version"]))
        splits = [np.cumsum(z[f"len{ch}"])[:-1] for ch in range(3)]
        parts = [
            (np.split(z[f"idx{ch}"], splits[ch]), np.split(z[f"val{ch}"], splits[ch]))
            for ch in range(3)
        ]
        years = np.split(z["years"], np.cumsum(z["nyears"])[:-1])
        for i, sid in enumerate(z["meta"].tolist()):
            channels = [Sparse(parts[ch][0][i], parts[ch][1][i]) for ch in range(3)]
            day_sum, day_n = z["day"][i].tolist()
            story = _Story(sid, int(z["size"][i]), _Flat.of(channels), day_sum, int(day_n))
            story.years.update(years[i].tolist())
            index._stories[sid] = story
            sig = z["sig"][i]
            index._index(story, sig if sig[0] >= 0 else np.zeros(0, np.int64))
        return index


def _refreshes(n: int) -> bool:
    """Is the IDF recomputed after counting the ``n``-th article?"""
    return n % _IDF_EVERY == 0 or n & (n - 1) == 0


def _segment_sums(val: Floats, lens: npt.NDArray[np.int64]) -> Floats:
    """The sums of consecutive segments of ``val`` of lengths ``lens`` (0 for an empty one).
    One reduceat: a cumulative sum in float64 cost ten times as much."""
    sums: Floats = np.zeros(len(lens), np.float32)
    full = lens > 0
    if len(val) and full.any():
        # over the non-empty segments only: reduceat reads an index past the end as an error
        # and an empty segment as its next element, and each segment ends where the next
        # non-empty one starts
        sums[full] = np.add.reduceat(val, (np.cumsum(lens) - lens)[full])
    return sums


def _heaviest_first(
    group: npt.NDArray[np.int64], weight: Floats, flat: Ids
) -> npt.NDArray[np.intp]:
    """The order of ``np.lexsort((flat, -weight, group))`` (by group, then heaviest first, ties
    by feature: deterministic) from one stable sort of int64 keys: group, then the bits of
    the weight inverted (positive floats order as their bits), then the feature. For a run's
    features a three-key lexsort took 46 us an article, this 4 us (for the few hundred of one
    centroid the lexsort is as fast). Needs float32 weights > 0 (TF-IDF weights are), flat
    features < 2^20 and groups < 2^12 (a run has at most _IDF_EVERY articles); other input
    takes the lexsort itself."""
    fits = len(group) == 0 or (group.max() < 1 << 12 and flat.max() < 1 << 20)
    if weight.dtype != np.float32 or not fits:  # the key would overflow: the plain sort
        slow: npt.NDArray[np.intp] = np.lexsort((flat, -weight, group))
        return slow
    inverted = 0x7FFFFFFF - weight.view(np.int32).astype(np.int64)
    key = (group.astype(np.int64) << 51) | (inverted << 20) | flat.astype(np.int64)
    order: npt.NDArray[np.intp] = np.argsort(key, kind="stable")
    return order


def _channels(lens: npt.NDArray[np.int64]) -> int:
    """The channels a vector has, as bits (bit c: channel c has features)."""
    title, body, names = (int(n > 0) for n in lens.tolist())
    return title | body << 1 | names << 2


def _shared(flat: Ids) -> Ids:
    """Flat features in the document-frequency space: title and body words share one range,
    entities have their own."""
    out: Ids = np.where(flat >= DIM, flat - DIM, flat)
    return out


def _pad(sig: npt.NDArray[np.int64], size: int) -> npt.NDArray[np.int64]:
    return sig if len(sig) == size else np.full(size, -1, np.int64)


def _concat(
    parts: list[npt.NDArray[np.generic]], dtype: type[np.generic]
) -> npt.NDArray[np.generic]:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)


def _settings_json(settings: Settings) -> str:
    return json.dumps(asdict(settings), sort_keys=True)


__all__ = [
    "DocVector",
    "PackedVectors",
    "Settings",
    "Sparse",
    "StoryIndex",
    "entities",
    "vectorize",
    "vectorize_packed",
]
