"""Which sentences across sources say the same thing.

Sentences become TF-IDF vectors over stemmed content words and their bigrams (IDF over the
sentences of the cluster), L2-normalised; cosine similarity is a sparse matrix product. Two
thresholds matter: *support* (the other sentence reports the same information, so its source is
cited) and *same wording* (near-identical copies, where the cleanest copy's wording is used).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from newsfuse.model import Sentence
from newsfuse.text import bigrams, content_stems


@dataclass(frozen=True, slots=True)
class Settings:
    # Cosine at or above which another source's sentence supports a summary sentence. Tuned on
    # the seeds' hand-checked pairs and MRPC news pairs (see bench/README.md).
    support: float = 0.42
    # Cosine at or above which two sentences are copies of one another (wording choice).
    same: float = 0.7


def features(text: str) -> list[str]:
    stems = content_stems(text)
    return stems + [f"{a}_{b}" for a, b in bigrams(stems)]


@dataclass(frozen=True, slots=True)
class SentenceIndex:
    """TF-IDF rows for a list of sentences, in the same order."""

    sentences: tuple[Sentence, ...]
    matrix: sp.csr_matrix

    def similarity(self) -> np.ndarray:
        """Dense cosine-similarity matrix (n x n); n is a cluster's sentence count."""
        sim = (self.matrix @ self.matrix.T).toarray()
        return np.asarray(sim, dtype=np.float64)


def index(sentences: Sequence[Sentence]) -> SentenceIndex:
    feats = [features(s.text) for s in sentences]
    vocab: dict[str, int] = {}
    df: Counter[str] = Counter()
    for f in feats:
        df.update(set(f))
    for term in sorted(df):
        vocab[term] = len(vocab)
    n = max(1, len(sentences))
    rows, cols, vals = [], [], []
    for i, f in enumerate(feats):
        tf = Counter(f)
        weights = {t: (1 + math.log(c)) * math.log(1 + n / df[t]) for t, c in tf.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        for t, w in sorted(weights.items()):
            rows.append(i)
            cols.append(vocab[t])
            vals.append(w / norm)
    matrix = sp.csr_matrix((vals, (rows, cols)), shape=(len(sentences), max(1, len(vocab))))
    return SentenceIndex(tuple(sentences), matrix)


def supporters(i: int, idx: SentenceIndex, sim: np.ndarray, threshold: float) -> tuple[str, ...]:
    """Sources (other than sentence i's own) with a sentence at least ``threshold`` similar."""
    own = idx.sentences[i].source
    found = {idx.sentences[j].source for j in np.flatnonzero(sim[i] >= threshold)}
    found.discard(own)
    return tuple(sorted(found))
