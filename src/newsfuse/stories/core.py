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
BucketKey = int | tuple[int, ...]  # an LSH bucket: band * _PRIME + value, or (band, *rows)

BITS = 18  # 262,144 hashed features per channel: collisions are rare among a story's terms
DIM = 1 << BITS
_MASK = DIM - 1
_PRIME = (1 << 31) - 1  # Mersenne prime for the universal hashes of MinHash


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
# Capitalised by convention, not names: they would tie every story of the same week together.
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "june july august september october november december today".split()
)


def vectorize(articles: Sequence[Article]) -> list[DocVector]:
    """The vectors of ``articles``, in order. Pure: the same article gives the same vector in
    any process (hashes are CRC-32, not Python's salted ``hash``)."""
    keys: dict[str, int] = {}  # term -> feature, for this call only: vocabularies repeat
    return [_vector(a, keys) for a in articles]


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


def _vector(article: Article, keys: dict[str, int]) -> DocVector:
    title = article.title or ""
    return DocVector(
        title=_hashed(_terms(title), keys),
        body=_hashed(_terms(article.text), keys),
        entities=_hashed(Counter(entities(f"{title}.\n{article.text[:_LEAD_CHARS]}")), keys),
        day=_day(article.published),
        years=_years(_YEAR_RE, article.text[:_YEAR_CHARS]),
        dated=_years(_DATED_RE, article.text[:_YEAR_CHARS]),
    )


def _years(pattern: re.Pattern[str], lead: str) -> Ids:
    found = pattern.findall(lead)
    return np.unique(np.array(found, np.int32)) if found else _NO_YEARS


def _terms(text: str) -> Counter[str]:
    counts = Counter(_WORD_RE.findall(text.lower()))
    for stop in STOP_WORDS.intersection(counts):
        del counts[stop]
    return counts


def entities(text: str) -> list[str]:
    """Entity-proxy spans of ``text``, lower-cased: capitalised spans, minus leading function
    words; a one-word span at a sentence start is dropped (it is capitalised by position)."""
    out = []
    for m in _ENTITY_RE.finditer(text):
        span, start = m.group(), m.start()
        before = text[max(0, start - 2) : start].rstrip(" \t")
        at_start = not before or before[-1] in _SENTENCE_END
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


def _hashed(counts: Counter[str], keys: dict[str, int]) -> Sparse:
    """Sub-linear TF (1 + log tf) hashed into DIM features, L2-normalised."""
    if not counts:
        return _EMPTY
    feats = [keys.get(t) or _key(t, keys) for t in counts]
    idx, inv = np.unique(np.array(feats, np.int32), return_inverse=True)
    tf = 1.0 + np.log(np.fromiter(counts.values(), np.float64, len(counts)))
    val = np.bincount(inv, weights=tf).astype(np.float32)
    return Sparse(idx, val / np.float32(np.sqrt(val @ val)))


def _key(term: str, keys: dict[str, int]) -> int:
    folded = term
    if len(term) > 3 and term.endswith("s") and not term.endswith("ss"):
        folded = term[:-1]  # plural folding: the cheapest stemmer that pays for itself
    key = keys[term] = zlib.crc32(folded.encode()) & _MASK
    return key


def _day(published: str | None) -> float:
    try:
        return float(date.fromisoformat(published[:10]).toordinal()) if published else math.nan
    except ValueError:
        return math.nan


_EMPTY = Sparse(np.zeros(0, np.int32), np.zeros(0, np.float32))
_NO_YEARS: Ids = np.zeros(0, np.int32)


# ---------------------------------------------------------------------------------------------
# 2. assign (sequential)


@dataclass(slots=True)
class _Story:
    id: int
    size: int
    channels: list[Sparse]  # summed normalised TF: title, body, entities (truncated)
    day_sum: float = 0.0
    day_n: int = 0
    years: set[int] = field(default_factory=set)  # every year its articles' leads named
    sig: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    # TF-IDF weights of the channels, L2-normalised, valid for IDF version `weights_at`
    weights: list[Sparse] = field(default_factory=list)
    weights_at: int = -1
    # the same weights flattened for batch scoring: feature + channel * DIM, per-channel counts
    flat_idx: Ids = field(default_factory=lambda: _EMPTY.idx)
    flat_val: Floats = field(default_factory=lambda: _EMPTY.val)
    lens: tuple[int, int, int] = (0, 0, 0)

    @property
    def day(self) -> float:
        return self.day_sum / self.day_n if self.day_n else math.nan


class StoryIndex:
    """The state of an online clustering run: streaming document frequencies, active stories
    and their LSH buckets. Feed it vectors in input order with `assign`."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        s = self.settings
        self.docs = 0
        self.next_id = 0
        self._df = np.zeros(2 * DIM, np.int32)  # words (titles and bodies), entities
        self._stories: OrderedDict[int, _Story] = OrderedDict()  # least recently updated first
        self._buckets: dict[BucketKey, dict[int, None]] = {}
        rng = np.random.default_rng(s.seed)
        self._a = rng.integers(1, _PRIME, s.bands * s.rows, dtype=np.int64)
        self._b = rng.integers(0, _PRIME, s.bands * s.rows, dtype=np.int64)
        self._band_offsets = np.arange(s.bands, dtype=np.int64) * _PRIME
        self._scratch = np.zeros(3 * DIM, np.float32)  # the article's weights, channel-major
        self._channel_weights = np.array(
            [s.title_weight, s.body_weight, s.entity_weight], np.float64
        )
        self._idf_table = np.ones(2 * DIM, np.float32)
        self._idf_version = 0  # the article count `_idf_table` was computed at

    @property
    def active(self) -> int:
        return len(self._stories)

    def assign_all(self, vectors: Iterable[DocVector]) -> list[int]:
        return [self.assign(v) for v in vectors]

    def assign(self, vec: DocVector) -> int:
        """The story of ``vec``: the best candidate story, or a new one."""
        self._count(vec)
        doc = (vec.title, vec.body, vec.entities)
        weighted = [self._weights(ch, i == 2) for i, ch in enumerate(doc)]
        sig = self._signature(weighted)
        flat = np.concatenate([d.idx + i * DIM for i, d in enumerate(weighted)])
        self._scratch[flat] = np.concatenate([d.val for d in weighted])
        best, best_score = self._best(weighted, vec, self._candidates(sig))
        self._scratch[flat] = 0.0
        if best < 0 or best_score < self.settings.threshold:
            return self._new_story(vec, sig)
        self._join(self._stories[best], vec)
        return best

    # -- similarity

    def _count(self, vec: DocVector) -> None:
        self.docs += 1
        # fancy-index += adds once per distinct index: a title word also in the body counts once
        self._df[np.concatenate((vec.title.idx, vec.body.idx))] += 1
        self._df[DIM + vec.entities.idx] += 1
        n = self.docs
        if n % 4096 == 0 or n & (n - 1) == 0:
            # IDF is recomputed on a schedule of article counts (every power of two, then every
            # 4096): per comparison it would cost more than the comparison itself, and every
            # refresh makes each story recompute its weights when next compared.
            self._idf_table = np.log((n + 1) / (self._df + 1.0)).astype(np.float32) + 1.0
            self._idf_version = n

    def _idf(self, idx: Ids, entity: bool) -> Floats:
        return self._idf_table[idx + DIM] if entity else self._idf_table[idx]

    def _weights(self, vec: Sparse, entity: bool) -> Sparse:
        if not len(vec):
            return vec
        w = vec.val * self._idf(vec.idx, entity)
        return Sparse(vec.idx, w / np.float32(np.sqrt(w @ w)))

    def _best(self, doc: list[Sparse], vec: DocVector, candidates: list[int]) -> tuple[int, float]:
        """The best of ``candidates`` and its similarity (-1, -1.0 when there are none): a
        weighted mean of the channel cosines, over the channels both sides have, minus the
        time and year penalties. All candidates are scored in one batch: one gather and one product
        instead of three small dot products each (the per-call overhead was most of the cost)."""
        if not candidates:
            return -1, -1.0
        stories = [self._stories[sid] for sid in candidates]
        for story in stories:
            if story.weights_at != self._idf_version:
                self._refresh(story)
        prod = self._scratch[np.concatenate([st.flat_idx for st in stories])] * np.concatenate(
            [st.flat_val for st in stories]
        )
        lens = np.array([st.lens for st in stories], np.int64)
        ends = np.cumsum(lens.ravel())
        cums = np.concatenate(([0.0], np.cumsum(prod, dtype=np.float64)))
        dots = (cums[ends] - cums[ends - lens.ravel()]).reshape(lens.shape)
        have = (lens > 0) & np.array([len(d) > 0 for d in doc])
        total = have @ self._channel_weights
        scores = np.where(total > 0, (dots * have) @ self._channel_weights / total, 0.0)
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

    def _refresh(self, story: _Story) -> None:
        """Recompute the story's TF-IDF weights for the current IDF."""
        story.weights = [self._weights(ch, i == 2) for i, ch in enumerate(story.channels)]
        story.weights_at = self._idf_version
        story.flat_idx = np.concatenate([w.idx + i * DIM for i, w in enumerate(story.weights)])
        story.flat_val = np.concatenate([w.val for w in story.weights])
        t, b, e = (len(w) for w in story.weights)
        story.lens = (t, b, e)

    # -- LSH

    def _signature(self, channels: Sequence[Sparse]) -> npt.NDArray[np.int64]:
        """MinHash of the top terms (title and body words, entities offset by DIM)."""
        idx = np.concatenate([channels[0].idx, channels[1].idx, channels[2].idx + DIM])
        val = np.concatenate([channels[0].val, channels[1].val, channels[2].val])
        k = self.settings.lsh_terms
        if len(idx) > k:
            top = np.lexsort((idx, -val))[:k]  # ties broken by feature: deterministic
            idx = idx[top]
        if not len(idx):
            return np.zeros(0, np.int64)
        x = idx.astype(np.int64)
        hashed: npt.NDArray[np.int64] = (self._a[:, None] * x[None, :] + self._b[:, None]) % _PRIME
        sig: npt.NDArray[np.int64] = hashed.min(axis=1)
        return sig

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
        buckets = [b for b in map(self._buckets.get, self._keys(sig)) if b]
        hits: Counter[int] = Counter(itertools.chain.from_iterable(buckets))
        if len(hits) <= self.settings.candidates:
            return sorted(hits, key=lambda sid: (-hits[sid], sid))
        # most shared bands first, then the oldest story; numpy because hundreds of stories
        # can share a band once a stream has many open stories, and a keyed sort was the cost
        ids = np.fromiter(hits.keys(), np.int64, len(hits))
        shared = np.fromiter(hits.values(), np.int64, len(hits))
        top = np.lexsort((ids, -shared))[: self.settings.candidates]
        return [int(sid) for sid in ids[top]]

    def _index(self, story: _Story, sig: npt.NDArray[np.int64]) -> None:
        if np.array_equal(story.sig, sig):
            return
        old, new = set(self._keys(story.sig)), self._keys(sig)
        for key in old.difference(new):
            bucket = self._buckets[key]
            del bucket[story.id]
            if not bucket:
                del self._buckets[key]
        for key in new:
            self._buckets.setdefault(key, {})[story.id] = None
        story.sig = sig

    # -- updates

    def _new_story(self, vec: DocVector, sig: npt.NDArray[np.int64]) -> int:
        story = _Story(self.next_id, 1, [vec.title, vec.body, vec.entities])
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

    def _join(self, story: _Story, vec: DocVector) -> None:
        keep = self.settings.centroid_terms
        doc = (vec.title, vec.body, vec.entities)
        story.channels = [
            self._add(c, d, k, i == 2)
            for i, (c, d, k) in enumerate(zip(story.channels, doc, keep, strict=True))
        ]
        story.size += 1
        story.years.update(vec.years.tolist())
        if not math.isnan(vec.day):
            story.day_sum += vec.day
            story.day_n += 1
        self._stories.move_to_end(story.id)
        self._refresh(story)
        if story.size <= 4 or story.size & (story.size - 1) == 0:
            # A centroid's top terms settle as the story grows: re-hash it while it is small,
            # then at each doubling.
            self._index(story, self._signature(story.weights))

    def _add(self, c: Sparse, d: Sparse, keep: int, entity: bool) -> Sparse:
        """``c + d``, truncated to the ``keep`` features heaviest by TF-IDF (by TF alone,
        common words would crowd out the names and topic words that tell stories apart)."""
        if not len(d):
            return c
        if not len(c):
            return d
        idx, inv = np.unique(np.concatenate((c.idx, d.idx)), return_inverse=True)
        val = np.bincount(inv, weights=np.concatenate((c.val, d.val))).astype(np.float32)
        if len(idx) > keep:
            top = np.sort(np.lexsort((idx, -val * self._idf(idx, entity)))[:keep])
            idx, val = idx[top], val[top]
        return Sparse(idx.astype(np.int32), val)

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
        for ch in range(3):
            arrays[f"len{ch}"] = np.array([len(s.channels[ch]) for s in stories], np.int64)
            arrays[f"idx{ch}"] = _concat([s.channels[ch].idx for s in stories], np.int32)
            arrays[f"val{ch}"] = _concat([s.channels[ch].val for s in stories], np.float32)
        head = {
            "settings": _settings_json(self.settings),
            "docs": self.docs,
            "next": self.next_id,
            "idf_version": self._idf_version,
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
        if head["settings"] != _settings_json(index.settings):
            raise StageError(
                "the saved story index was built with other settings; "
                "re-cluster from scratch (newsfuse stories --db ... --rebuild)"
            )
        index.docs, index.next_id = int(head["docs"]), int(head["next"])
        index._df[:] = z["df"]
        index._idf_table[:] = z["idf"]
        index._idf_version = int(head["idf_version"])
        splits = [np.cumsum(z[f"len{ch}"])[:-1] for ch in range(3)]
        parts = [
            (np.split(z[f"idx{ch}"], splits[ch]), np.split(z[f"val{ch}"], splits[ch]))
            for ch in range(3)
        ]
        years = np.split(z["years"], np.cumsum(z["nyears"])[:-1])
        for i, sid in enumerate(z["meta"].tolist()):
            channels = [Sparse(parts[ch][0][i], parts[ch][1][i]) for ch in range(3)]
            day_sum, day_n = z["day"][i].tolist()
            story = _Story(sid, int(z["size"][i]), channels, day_sum, int(day_n))
            story.years.update(years[i].tolist())
            index._stories[sid] = story
            sig = z["sig"][i]
            index._index(story, sig if sig[0] >= 0 else np.zeros(0, np.int64))
        return index


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
