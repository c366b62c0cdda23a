"""The support judge: does another source report what this sentence reports, and where?

A careful reader deciding whether outlet B reports a sentence of outlet A looks for B's sentence
that tells the same thing, but also takes in the whole of B: are the sentence's names there, its
event words, its numbers; is B about the same thing at all? The judge measures each of these over
the cluster's TF-IDF space (`align`) and combines them by logistic regression into one
probability that B reports the sentence, with B's best-matching sentence as the passage.

Features, for a sentence s and a source B, over `align`'s TF-IDF space:

- ``best``: the cosine, over single stems (a paraphrase shares words, rarely word pairs), of s
  with B's most similar sentence (the passage);
- ``second``: the same with B's second most similar sentence (an event told over two
  sentences);
- ``cover``: the TF-IDF-weighted share of s's stems (not bigrams) found anywhere in B;
- ``names``: the share of s's names (capitalised words inside the sentence) found in B;
- ``whole``: the cosine of s with B as one document (stems and bigrams);
- ``kin``: the cosine of s's source with B, both as whole documents: is B about the same
  story at all;
- ``kin_names``: the Jaccard overlap of the names of s's source and of B (two look-alike
  events, two rehab stays or two earthquakes, differ first in who and where).

The coefficients were fitted on ECB+ training topics 1-22 (human cross-document event
coreference: B reports s when B's annotated sentences mention at least half of s's event chains;
a document of the topic's other, look-alike event never does) by ``python -m bench.cites
--fit``, and the threshold chosen on development topics 23-25; see bench/README.md
("Citations") for the numbers and for what this gold can and cannot tell.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from newsfuse import align
from newsfuse.model import Sentence
from newsfuse.text import STOP_WORDS, stem

FEATURES = ("best", "second", "cover", "names", "whole", "kin", "kin_names")


@dataclass(frozen=True, slots=True)
class Settings:
    # Logistic regression over FEATURES, fitted on ECB+ train topics with both look-alike
    # events of a topic in one briefing (bench/cites.py --fit; scikit-learn, L2, C=1). Alone,
    # each feature ranks those pairs with AUC 0.61 (names) to 0.86 (kin_names); `kin` and
    # `kin_names` are what keeps the look-alike event out (dev precision 0.57 -> 0.63 there at
    # the same recall, and no loss within one event).
    weights: tuple[float, ...] = (2.27, 2.02, 0.65, 1.06, 0.43, 3.51, 6.3)
    intercept: float = -3.65
    # Probability at or above which B counts as reporting the sentence, and the cosine B's best
    # sentence (the passage shown) must reach: a citation points at a passage that says the
    # thing, not only at a source about the same event. Chosen together on ECB+ dev topics:
    # 0.3 and 0.15 give precision 0.837 and recall 0.698 within an event, 0.631 / 0.692 with
    # the look-alike event in the same briefing (0.45 and 0.15: 0.844 / 0.604 and 0.711 / 0.598;
    # 0.3 and 0.2: 0.860 / 0.588; the sentence cosine 0.35 used before: 0.92 / 0.12 within an
    # event); see bench/README.md ("Citations").
    threshold: float = 0.3
    min_passage: float = 0.15
    # A claim checked on its own (`newsfuse check`) has no source to compare whole documents
    # with: it is judged on the first five features only, by the regression fitted within
    # events (ECB+ train, `python -m bench.cites --fit`), at the probability chosen on dev for
    # it: 0.6 gives precision 0.834 and recall 0.679 there (0.568 / 0.671 with the look-alike
    # event among the sources: a claim names its event only by its own words).
    claim_weights: tuple[float, ...] = (1.37, 1.31, 1.44, 0.4, 0.53)
    claim_intercept: float = -0.7
    claim_threshold: float = 0.6
    # A candidate passage naming only years the sentence does not name has its cosine scaled by
    # this much. ECB+ dev precision/recall 0.834/0.683 with it, 0.835/0.687 without (its pairs
    # never join look-alike events, so it can only cost there); on the seeds it moves a passage
    # from the two men's 2013 meeting to this week's.
    other_time: float = 0.5


@dataclass(frozen=True, slots=True)
class Support:
    """The judge's answer for one sentence and one source."""

    source: str
    probability: float
    passage: Sentence  # the source's sentence most similar to the judged one
    accepted: bool  # the probability reaches the threshold: the source reports it


_NAME = re.compile(r"(?<=\S\s)[A-Z][\w'’\-]*")


def names(text: str) -> frozenset[str]:
    """Stems of the capitalised words of a sentence, but its first: names, places, titles."""
    return _name_stems(m.group() for m in _NAME.finditer(text))


class Judge:
    """The judge over one cluster: owns the sentence index and per-source aggregates."""

    def __init__(self, idx: align.SentenceIndex, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.idx = idx
        self.sources = tuple(dict.fromkeys(s.source for s in idx.sentences))
        self._member = {src: k for k, src in enumerate(self.sources)}
        rows = np.array([self._member[s.source] for s in idx.sentences], dtype=np.int64)
        n = len(idx.sentences)
        # Passages are matched on single stems: a paraphrase shares words, rarely word pairs.
        stems = idx.matrix.copy()
        stems.data = stems.data * idx.single[stems.indices]
        self._stems = _normalized(stems)
        self._owner = rows
        owner = sp.csr_matrix((np.ones(n), (rows, np.arange(n))), shape=(len(self.sources), n))
        self._docs = _normalized(sp.csr_matrix(owner @ idx.matrix))
        self._by_term = idx.matrix.tocsc()  # which sentences hold a term
        self._years = [frozenset(_YEAR.findall(s.text)) for s in idx.sentences]
        texts: list[list[str]] = [[] for _ in self.sources]
        for s, k in zip(idx.sentences, rows, strict=True):
            texts[k].append(s.text)
        self._names = [_capitalised(" ".join(t)) for t in texts]

    def judge(
        self, row: int, sources: Sequence[str] | None = None, *, alone: bool = False
    ) -> tuple[Support, ...]:
        """The judge's answer for sentence ``row`` of the index and each of ``sources`` (every
        source but the sentence's own when not given), in order. ``alone``: the sentence has
        no source of its own (a claim to check), so whole sources are not compared."""
        found = self.evidence(row, sources)
        return tuple(self._decide(f, p, src, alone) for src, f, p in found)

    def evidence(
        self, row: int, sources: Sequence[str] | None = None
    ) -> list[tuple[str, tuple[float, ...], Sentence]]:
        """For each source: the features (`FEATURES`) and the best-matching passage. Every
        source is measured at once, with one product per feature: per source and sentence,
        the sparse products cost 130 ms on a DUC 2002 cluster."""
        own = self.idx.sentences[row].source
        wanted = [s for s in (sources or self.sources) if s != own and s in self._member]
        if not wanted:
            return []
        best, second = self._passages(row)
        vec = self.idx.matrix[row]
        stems = self.idx.single[vec.indices]
        cols, vals = vec.indices[stems], vec.data[stems]
        total = vals.sum()
        cover = self._holders(cols) @ vals / total if total > 0 else np.zeros(len(self.sources))
        whole = np.asarray((self._docs @ vec.T).todense()).ravel()
        home = self._member[own]
        kin = np.asarray((self._docs @ self._docs[home].T).todense()).ravel()
        mine = names(self.idx.sentences[row].text)
        out: list[tuple[str, tuple[float, ...], Sentence]] = []
        for src in wanted:
            k = self._member[src]
            shared = len(mine & self._names[k]) / len(mine) if mine else 0.5
            kin_names = _jaccard(self._names[home], self._names[k])
            feats = (best[k][0], second[k], float(cover[k]), shared, float(whole[k]))
            out.append((src, (*feats, float(kin[k]), kin_names), best[k][1]))
        return out

    def _passages(self, row: int) -> tuple[list[tuple[float, Sentence]], list[float]]:
        """Per source: its sentence most similar to sentence ``row`` (over single stems, other
        times demoted) with that cosine, and the cosine of its second most similar."""
        cos = np.asarray((self._stems @ self._stems[row].T).todense()).ravel()
        cos = cos * self._same_time(row)
        # sentences by source, then by cosine, descending: the first of each source is its best
        order = np.lexsort((-cos, self._owner))
        first = np.searchsorted(self._owner[order], np.arange(len(self.sources)))
        count = np.bincount(self._owner, minlength=len(self.sources))
        best = [(float(cos[order[f]]), self.idx.sentences[int(order[f])]) for f in first]
        second = [
            float(cos[order[f + 1]]) if n > 1 else 0.0 for f, n in zip(first, count, strict=True)
        ]
        return best, second

    def _same_time(self, row: int) -> npt.NDArray[np.float64]:
        """1 for sentences that can tell of the same time as sentence ``row``, and a penalty
        for those naming only other years ("In 2013, the two met ..." is another meeting than
        "they met on Wednesday"): a look-alike event, not the passage that reports this one."""
        mine = self._years[row]
        other = [bool(y) and not y & mine for y in self._years]
        return np.where(other, self.settings.other_time, 1.0)

    def _holders(self, cols: npt.NDArray[np.int32]) -> npt.NDArray[np.float64]:
        """A sources x ``cols`` matrix: 1 where the source has a sentence holding the term."""
        lo, hi = self._by_term.indptr[cols], self._by_term.indptr[cols + 1]
        length = hi - lo
        which = np.repeat(np.arange(len(cols)), length)
        # every position lo[c] .. hi[c] - 1, for all c at once
        at = np.arange(length.sum()) + np.repeat(lo - np.cumsum(length) + length, length)
        sentences = self._by_term.indices[at]
        held = np.zeros((len(self.sources), len(cols)))
        held[self._owner[sentences], which] = 1.0
        return held

    def _decide(
        self, feats: tuple[float, ...], passage: Sentence, source: str, alone: bool
    ) -> Support:
        st = self.settings
        if feats[0] < st.min_passage:
            return Support(source, 0.0, passage, False)
        if alone:
            weights, z, threshold = st.claim_weights, st.claim_intercept, st.claim_threshold
        else:
            weights, z, threshold = st.weights, st.intercept, st.threshold
        z += float(np.dot(weights, feats[: len(weights)]))
        p = round(1.0 / (1.0 + math.exp(-z)), 4)
        return Support(source, p, passage, p >= threshold)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _capitalised(text: str) -> frozenset[str]:
    """Stems of every capitalised word of a text, sentence openers included: the names a source
    can be looked up in (one pass over its text, each distinct word stemmed once)."""
    return _name_stems(set(_CAPITALISED.findall(text)))


def _name_stems(found: Iterable[str]) -> frozenset[str]:
    words = {w.lower().strip("'’") for w in found}
    return frozenset(stem(w) for w in words if w not in STOP_WORDS)


_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_CAPITALISED = re.compile(r"\b[A-Z][\w'’\-]*")


def _normalized(m: sp.csr_matrix) -> sp.csr_matrix:
    """Rows scaled to unit length (empty rows stay empty), on the CSR arrays directly."""
    m = sp.csr_matrix(m, copy=True)
    row = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
    norms = np.sqrt(np.bincount(row, m.data**2, minlength=m.shape[0]))
    norms[norms == 0] = 1.0
    m.data = m.data / norms[row]
    return m
