"""Which sentences across sources say the same thing.

Sentences become TF-IDF vectors over stemmed content words and their bigrams (IDF over the
sentences of the cluster), L2-normalised; cosine similarity is a sparse matrix product. One
threshold is set here: *same wording* (near-identical copies, where the cleanest copy's wording
is used). Whether another source reports a sentence in other words is the support judge's
question (`support`), asked over this same index.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from newsfuse.model import Sentence
from newsfuse.text import TokenCache, content_stems


@dataclass(frozen=True, slots=True)
class Settings:
    # Cosine at or above which two sentences are copies of one another (wording choice).
    same: float = 0.7


def features(text: str) -> list[str]:
    return features_of_stems(content_stems(text))


def features_of_stems(stems: Sequence[str]) -> list[str]:
    """Content stems and their bigrams (``a_b``), from stems the caller already has."""
    return [*stems, *map("_".join, itertools.pairwise(stems))]


@dataclass(frozen=True, slots=True)
class SentenceIndex:
    """TF-IDF rows for a list of sentences, in the same order."""

    sentences: tuple[Sentence, ...]
    matrix: sp.csr_matrix
    single: npt.NDArray[np.bool_]  # per column: a single stem (True) or a bigram (False)

    def similarity(self, floor: float) -> sp.csr_matrix:
        """Cosine similarity of every pair at or above ``floor``, as a sparse n x n matrix (n is
        the number of sentences). It is built in row blocks: the dense matrix of a
        300-article story (10,000 sentences) took 800 MB."""
        if self.matrix.shape[0] <= _BLOCK:  # one block, the common case: no slicing, no stacking
            return _floored(sp.csr_matrix(self.matrix @ self.matrix.T), floor)
        parts = []
        for start in range(0, self.matrix.shape[0], _BLOCK):
            block = sp.csr_matrix(self.matrix[start : start + _BLOCK] @ self.matrix.T)
            block.data[block.data < floor] = 0.0
            block.eliminate_zeros()
            parts.append(block)
        if not parts:
            return sp.csr_matrix((0, 0))
        sim = sp.csr_matrix(sp.vstack(parts))
        sim.sort_indices()
        return sim


_BLOCK = 1024  # rows of the similarity matrix computed at once


def _normalised(
    rows: npt.NDArray[np.int64],
    col: npt.NDArray[np.int64],
    vals: npt.NDArray[np.float64],
    shape: tuple[int, int],
) -> sp.csr_matrix:
    """The rows of (rows, col, vals), sorted by row then column, scaled to unit length.

    Done on the flat arrays with the very operations scipy ran when the matrix was built,
    squared, summed by row and multiplied by a diagonal matrix (the same sums in the same
    order, so the same bits), without the overhead of five sparse operations on a cluster's
    small matrix. Scipy's product left each row's columns in reverse order, and the matrix
    keeps that order: every later sum over a row runs in it."""
    per_row = np.bincount(rows, minlength=shape[0])
    indptr = np.concatenate(([0], np.cumsum(per_row)))
    sums = np.zeros(shape[0])
    filled = np.flatnonzero(per_row)
    if filled.size:
        sums[filled] = np.add.reduceat(vals * vals, indptr[filled])
    norms = np.sqrt(sums)
    norms[norms == 0] = 1.0
    vals = vals * (1.0 / norms)[rows]
    flip = indptr[rows] + indptr[rows + 1] - 1 - np.arange(len(rows))
    return sp.csr_matrix((vals[flip], col[flip], indptr), shape=shape)


def _floored(sim: sp.csr_matrix, floor: float) -> sp.csr_matrix:
    sim.data[sim.data < floor] = 0.0
    sim.eliminate_zeros()
    sim.sort_indices()
    return sim


def above(sim: sp.csr_matrix, i: int, threshold: float) -> npt.NDArray[np.int32]:
    """The columns j, ascending, where ``sim[i, j] >= threshold``."""
    lo, hi = sim.indptr[i], sim.indptr[i + 1]
    found: npt.NDArray[np.int32] = sim.indices[lo:hi][sim.data[lo:hi] >= threshold]
    return found


def index(
    sentences: Sequence[Sentence], feats: Sequence[Sequence[str]] | None = None
) -> SentenceIndex:
    """TF-IDF rows, ``(1 + log tf) * log(1 + n / df)``, L2-normalised. ``feats`` are the
    sentences' `features` when the caller has computed them already."""
    feats = feats if feats is not None else [features(s.text) for s in sentences]
    flat = [t for f in feats for t in f]
    vocab = {t: k for k, t in enumerate(dict.fromkeys(flat))}
    size = max(1, len(vocab))
    # (sentence, term) pairs as one integer each, counted in one pass: a Python loop over
    # every pair with a Counter per sentence was a fifth of the summarizer's own time
    row = np.repeat(np.arange(len(feats), dtype=np.int64), [len(f) for f in feats])
    pair = row * size + np.fromiter(map(vocab.__getitem__, flat), np.int64, len(flat))
    pairs, counts = np.unique(pair, return_counts=True)
    rows, col = np.divmod(pairs, size)
    n = max(1, len(sentences))
    df = np.bincount(col, minlength=size)
    vals = (1 + np.log(counts.astype(np.float64))) * np.log(1 + n / df[col])
    matrix = _normalised(rows, col, vals, (len(sentences), size))
    single = np.fromiter(("_" not in t for t in vocab), np.bool_, len(vocab))
    return SentenceIndex(tuple(sentences), matrix, single)


class Indexes:
    """The `index` of each list of sentences a run has indexed, over the run's tokens. The
    quality and summarize stages index the same sentences (unless the summarizer trimmed a
    dateline off one: then the lists differ and each is indexed): built once. Owned by one run
    and passed along like `text.TokenCache`, never kept at module level."""

    __slots__ = ("_seen", "_similar", "tokens")

    def __init__(self, tokens: TokenCache | None = None) -> None:
        self.tokens = tokens or TokenCache()
        self._seen: dict[tuple[Sentence, ...], SentenceIndex] = {}
        # the last similarities made, with their sentences and floor, until the next call
        self._similar: dict[tuple[Sentence, ...], tuple[float, sp.csr_matrix]] = {}

    def of(self, sentences: Sequence[Sentence]) -> SentenceIndex:
        """`index` of ``sentences``, features from their content stems."""
        key = tuple(sentences)
        found = self._seen.get(key)
        if found is None:
            feats = [features_of_stems(self.tokens.of(s.text).content) for s in key]
            found = self._seen[key] = index(key, feats)
        return found

    def similarity(self, sentences: Sequence[Sentence], floor: float) -> sp.csr_matrix:
        """``of(sentences).similarity(floor)``. When the call before asked for the same
        sentences at a floor no higher, the matrix is read off that call's (quality asks for
        the pairs at 0.2, the summarizer at 0.5: one product instead of two). Only the last
        matrix is kept, and only until the next call: a big story's is large."""
        key = tuple(sentences)
        kept = self._similar.pop(key, None)
        self._similar.clear()
        if kept is not None and kept[0] <= floor:
            return _floored(kept[1].copy(), floor)
        sim = self.of(key).similarity(floor)
        self._similar[key] = (floor, sim)
        return sim
