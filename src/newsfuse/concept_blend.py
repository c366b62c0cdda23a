"""Learned concept importance blended with the count weights (Li, Qian & Liu 2013, "Using
Supervised Bigram-based ILP for Extractive Summarization"; Hong & Nenkova 2014, RegSum).

A regressor predicts, from features of where and how a cluster uses a recurring stemmed bigram,
the share of human summaries that hold it. Its prediction does not replace the count weight
(number of sources plus the lead bonus, `summarize.recurring`); it scales it:
``weight = count x (prediction / mean prediction) ** strength``. The regressor is linear or a
small forest of regression trees, both evaluated in NumPy; it is trained, with every number
out-of-fold, by ``python -m bench.concept_cv`` and shipped as ``newsfuse/data/concept_blend.json``
(ridge regression fitted within clusters, over the bigrams of 2+ sources, strength 1, trained
on all 258 clusters of the five benchmark sets).

Opt-in (`summarize.Settings.blend`): out-of-fold, without a focus, it gained official ROUGE-2
recall on all five sets (DUC 2002 +0.27, DUC 2006 +0.23, DUC 2007 main +0.02, update A +0.26,
Multi-News dev +0.23), each within the noise between halves; with a focus it was flat on DUC
2006 and 2007 main and lost 1.19 on DUC 2007 update A; and it costs 10-25 ms a DUC cluster
(bench/README.md, "Learned concept weights blended with the counts").
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
import scipy.sparse as sp

from newsfuse.model import Sentence
from newsfuse.text import STOP_WORDS, Tokens, stem

__all__ = ["FEATURES", "Blend", "Linear", "Trees", "features", "load"]

FEATURES = (
    "log_sources",  # log(1 + sources holding the concept)
    "source_share",  # share of the cluster's sources holding it
    "log_sentences",  # log(1 + sentences holding it)
    "best_position",  # 0.5 ** (earliest sentence index in any source)
    "mean_first",  # log(1 + mean over its sources of its first sentence index there)
    "lead_share",  # share of the sources whose lead sentence holds it
    "top3_share",  # share of the sources whose first three sentences hold it
    "in_title",  # share of the titles holding it
    "number",  # one of its words holds a digit
    "stop_words",  # how many of its two words are stop words
    "stem_share_min",  # the rarer of its two stems: share of sources holding that stem
    "stem_share_max",  # the commoner one
    "lexicon",  # the lexical prior: summed log ratio of its stems (`lexicon.Lexicon`)
    "centroid_max",  # best cosine to the cluster centroid of the sentences holding it
    "centroid_mean",  # mean cosine of those sentences
    "log_length",  # log mean length in words of the sentences holding it
    "relative_count",  # its count weight over the cluster's largest
    "log_cluster",  # log(1 + sources in the cluster)
    "log_cluster_sentences",  # log(1 + sentences in the cluster)
    # within the cluster, the concept's rank (0 lowest, 1 highest) by each of these:
    "rank_sentences",
    "rank_sources",
    "rank_top3",
    "rank_lexicon",
    "rank_centroid",
)
# The columns ranked, in the order of the rank_ features.
_RANKED = ("log_sentences", "log_sources", "top3_share", "lexicon", "centroid_max")

_STOP_STEMS = frozenset(stem(w) for w in STOP_WORDS)


def features(
    names: Sequence[str],
    sent_concepts: Sequence[set[str]],
    sentences: Sequence[Sentence],
    toks: Sequence[Tokens],
    titles: Sequence[Tokens],
    counts: Mapping[str, float],
    lexicon: Mapping[str, float],
) -> np.ndarray:
    """One row of `FEATURES` per concept of ``names``; ``counts`` are their count weights,
    ``lexicon`` the stems' log ratios."""
    col = {c: k for k, c in enumerate(names)}
    rows, cols = _incidence(sent_concepts, col)
    src = _source_ids(sentences)
    pos = np.fromiter((s.index for s in sentences), dtype=np.int64, count=len(sentences))
    n_src, n_c = int(src.max(initial=0)) + 1, len(names)
    first_c, first_pos = _firsts(src[rows] * n_c + cols, pos[rows], n_c)
    holders = np.bincount(first_c, minlength=n_c).astype(np.float64)
    stems = _Stems.of(toks)
    cos = _centroid_cosines(stems, len(toks))
    length = np.fromiter((len(t.stems) for t in toks), dtype=np.float64, count=len(toks))
    n_sent = np.bincount(cols, minlength=n_c).astype(np.float64)
    best = np.full(n_c, 30.0)
    np.minimum.at(best, first_c, first_pos.astype(np.float64))
    cos_max = np.zeros(n_c)
    np.maximum.at(cos_max, cols, cos[rows])
    per = np.maximum(n_sent, 1.0)
    share_min, share_max = _stem_shares(names, stems, src, n_src)
    title_sets = [_bigrams(t) for t in titles]
    top = max(counts.values(), default=1.0) or 1.0
    out = np.column_stack(
        [
            np.log1p(holders),
            holders / n_src,
            np.log1p(n_sent),
            0.5**best,
            np.log1p(np.bincount(first_c, first_pos, n_c) / np.maximum(holders, 1.0)),
            np.bincount(first_c, first_pos == 0, n_c) / n_src,
            np.bincount(first_c, first_pos < 3, n_c) / n_src,
            [
                sum(c in t for t in title_sets) / len(title_sets) if title_sets else 0.0
                for c in names
            ],
            [float(any(ch.isdigit() for ch in c)) for c in names],
            [float(sum(w in _STOP_STEMS for w in c.split(" "))) for c in names],
            share_min,
            share_max,
            [sum(lexicon.get(w, 0.0) for w in c.split(" ")) for c in names],
            cos_max,
            np.bincount(cols, cos[rows], n_c) / per,
            np.log1p(np.bincount(cols, length[rows], n_c) / per),
            [counts[c] / top for c in names],
            np.full(n_c, math.log1p(n_src)),
            np.full(n_c, math.log1p(len(sentences))),
        ]
    ).reshape(n_c, len(FEATURES) - len(_RANKED))
    return np.hstack([out, _ranks(out[:, [FEATURES.index(f) for f in _RANKED]])])


def _ranks(cols: np.ndarray) -> np.ndarray:
    """Each column's values as ranks within the column, scaled to [0, 1] (ties share the
    mean rank)."""
    n = len(cols)
    if n < 2:
        return np.full(cols.shape, 0.5)
    out = np.empty(cols.shape)
    for k in range(cols.shape[1]):
        v = cols[:, k]
        lo = np.searchsorted(np.sort(v), v, side="left")
        hi = np.searchsorted(np.sort(v), v, side="right") - 1
        out[:, k] = (lo + hi) / 2 / (n - 1)
    return out


def _incidence(
    sent_concepts: Sequence[set[str]], col: Mapping[str, int]
) -> tuple[np.ndarray, np.ndarray]:
    """(sentence, concept) pairs for the concepts of ``col``."""
    rows: list[int] = []
    cols: list[int] = []
    for i, cs in enumerate(sent_concepts):
        held = [col[c] for c in cs if c in col]
        rows.extend([i] * len(held))
        cols.extend(held)
    return np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)


def _source_ids(sentences: Sequence[Sentence]) -> np.ndarray:
    ids: dict[str, int] = {}
    return np.fromiter(
        (ids.setdefault(s.source, len(ids)) for s in sentences),
        dtype=np.int64,
        count=len(sentences),
    )


def _firsts(keys: np.ndarray, pos: np.ndarray, n_c: int) -> tuple[np.ndarray, np.ndarray]:
    """For each (source, concept) pair held, its concept and its first position there."""
    order = np.lexsort((pos, keys))
    keys, pos = keys[order], pos[order]
    start = np.ones(len(keys), dtype=bool)
    start[1:] = keys[1:] != keys[:-1]
    return keys[start] % max(n_c, 1), pos[start]


@dataclass(frozen=True, slots=True)
class _Stems:
    """Every word of the cluster as an id into one stem vocabulary, in sentence order."""

    vocab: dict[str, int]
    ids: np.ndarray
    content: np.ndarray  # whether each word is a content word
    sentence: np.ndarray  # the sentence of each word

    @classmethod
    def of(cls, toks: Sequence[Tokens]) -> _Stems:
        vocab: dict[str, int] = {}
        ids = [vocab.setdefault(w, len(vocab)) for t in toks for w in t.stems]
        stop = [x for t in toks for x in t.stop]
        lengths = [len(t.stems) for t in toks]
        return cls(
            vocab,
            np.asarray(ids, dtype=np.int64),
            ~np.asarray(stop, dtype=bool),
            np.repeat(np.arange(len(toks)), lengths),
        )


def _centroid_cosines(stems: _Stems, n_sentences: int) -> np.ndarray:
    """Each sentence's cosine to the sum of all sentences' content-stem counts."""
    keep = stems.content
    m = sp.csr_matrix(
        (np.ones(int(keep.sum())), (stems.sentence[keep], stems.ids[keep])),
        shape=(n_sentences, len(stems.vocab)),
    )
    centroid = np.asarray(m.sum(axis=0)).ravel()
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    dots = m @ centroid
    scale = norms * (np.linalg.norm(centroid) or 1.0)
    out: np.ndarray = np.divide(dots, scale, out=np.zeros_like(dots), where=scale > 0)
    return out


def _stem_shares(
    names: Sequence[str], stems: _Stems, src: np.ndarray, n_src: int
) -> tuple[np.ndarray, np.ndarray]:
    """For each concept, the smaller and the larger share of sources holding each of its stems."""
    v = max(1, len(stems.vocab))
    pairs = np.unique(src[stems.sentence] * v + stems.ids)
    share = np.bincount(pairs % v, minlength=v) / n_src
    at = np.array([[stems.vocab[w] for w in c.split(" ")] for c in names], dtype=np.int64)
    held = share[at.reshape(len(names), 2)] if len(names) else np.zeros((0, 2))
    return held.min(axis=1), held.max(axis=1)


def _bigrams(t: Tokens) -> set[str]:
    st = t.stems
    return {f"{st[k]} {st[k + 1]}" for k in range(len(st) - 1)}


# --- regressors ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Linear:
    """Ridge regression over standardised features."""

    coef: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]

    def predict(self, x: np.ndarray) -> np.ndarray:
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        out: np.ndarray = z @ np.asarray(self.coef) + self.intercept
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": "linear",
            "coef": list(self.coef),
            "intercept": self.intercept,
            "mean": list(self.mean),
            "scale": list(self.scale),
        }


@dataclass(frozen=True, slots=True)
class Trees:
    """A sum of regression trees (gradient boosting), each node stored in flat arrays of shape
    (trees, nodes): a row goes left when ``x[feature] <= threshold``; leaves hold ``value``."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    leaf: np.ndarray
    baseline: float

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Every row down every tree at once: one gather per level, only for the pairs of row
        and tree that have not reached a leaf yet."""
        n, (t, w) = len(x), self.feature.shape
        offset = (np.arange(t) * w)[:, None]
        left, right = (self.left + offset).ravel(), (self.right + offset).ravel()
        feature, threshold, leaf = self.feature.ravel(), self.threshold.ravel(), self.leaf.ravel()
        at = np.tile(offset.ravel(), n)  # the node of each (row, tree) pair, row-major
        cell = np.repeat(np.arange(n) * x.shape[1], t)  # where each pair's row starts in x
        flat = np.ascontiguousarray(x, dtype=np.float64).ravel()
        live = np.flatnonzero(~leaf[at])
        while live.size:
            g = at[live]
            go_left = flat[cell[live] + feature[g]] <= threshold[g]
            at[live] = np.where(go_left, left[g], right[g])
            live = live[~leaf[at[live]]]
        out: np.ndarray = self.baseline + self.value.ravel()[at].reshape(n, t).sum(axis=1)
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": "trees",
            "baseline": self.baseline,
            **{
                k: getattr(self, k).tolist()
                for k in ("feature", "threshold", "left", "right", "value", "leaf")
            },
        }


Regressor = Linear | Trees


def _regressor(data: Mapping[str, object]) -> Regressor:
    if data["kind"] == "linear":
        return Linear(
            tuple(data["coef"]),  # type: ignore[arg-type]
            float(data["intercept"]),  # type: ignore[arg-type]
            tuple(data["mean"]),  # type: ignore[arg-type]
            tuple(data["scale"]),  # type: ignore[arg-type]
        )
    arrays = {
        k: np.asarray(data[k], dtype=dt)
        for k, dt in (
            ("feature", np.int64),
            ("threshold", np.float64),
            ("left", np.int64),
            ("right", np.int64),
            ("value", np.float64),
            ("leaf", bool),
        )
    }
    return Trees(baseline=float(data["baseline"]), **arrays)  # type: ignore[arg-type]


# --- the blend -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class Blend:
    """A regressor, the lexicon it reads as a feature, and how strongly its prediction scales
    the count weights."""

    regressor: Regressor
    lexicon: Mapping[str, float]
    strength: float = 1.0
    floor: float = 0.01  # predictions are clipped here before the ratio is taken
    # The concepts weighed: those in this many sources (None: `summarize.Settings.min_sources`).
    min_sources: int | None = None

    def weights(
        self,
        counts: Mapping[str, float],
        sent_concepts: Sequence[set[str]],
        sentences: Sequence[Sentence],
        toks: Sequence[Tokens],
        titles: Sequence[Tokens],
    ) -> dict[str, float]:
        """``counts`` (the count weights of the recurring concepts) scaled by the prediction
        over its mean, to the power ``strength``."""
        names = sorted(counts)
        if not names:
            return {}
        x = features(names, sent_concepts, sentences, toks, titles, counts, self.lexicon)
        p = np.maximum(self.regressor.predict(x), self.floor)
        factor = (p / p.mean()) ** self.strength
        return {c: counts[c] * float(f) for c, f in zip(names, factor, strict=True)}

    def to_json(self) -> str:
        data = {
            "features": list(FEATURES),
            "strength": self.strength,
            "floor": self.floor,
            "min_sources": self.min_sources,
            "regressor": self.regressor.to_dict(),
            "lexicon": dict(sorted(self.lexicon.items())),
        }
        return json.dumps(data, separators=(",", ":")) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Blend | None:
        data = json.loads(text)
        if tuple(data.get("features", ())) != FEATURES:
            return None  # trained on another feature set: the count weights apply
        return cls(
            _regressor(data["regressor"]),
            {str(k): float(v) for k, v in data["lexicon"].items()},
            float(data["strength"]),
            float(data["floor"]),
            data.get("min_sources"),
        )


def load() -> Blend | None:
    """The shipped blend, or None when ``data/concept_blend.json`` is absent or stale."""
    try:
        text = resources.files("newsfuse").joinpath("data/concept_blend.json").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None
    return Blend.from_json(text)
