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
        singles = _singles(idx.matrix, idx.single)
        self._stems = _normalized(singles)
        self._stem_total = np.asarray(singles.sum(axis=1)).ravel()  # per sentence
        self._owner = rows
        # sources x sentences, 1 where the source holds the sentence (built as CSR arrays,
        # without a conversion from (row, column) pairs)
        at = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=len(self.sources)))))
        owner = sp.csr_matrix(
            (np.ones(n), np.argsort(rows, kind="stable"), at), shape=(len(self.sources), n)
        )
        summed = sp.csr_matrix(owner @ idx.matrix)
        self._docs = _normalized(summed)
        # sources x terms: 1 where a sentence of the source holds the term (the weights are
        # positive, so their sums are non-zero exactly there)
        self._held = sp.csr_matrix(summed, copy=True)
        self._held.data[:] = 1.0
        self._years = [frozenset(_YEAR.findall(s.text)) for s in idx.sentences]
        texts: list[list[str]] = [[] for _ in self.sources]
        for s, k in zip(idx.sentences, rows, strict=True):
            texts[k].append(s.text)
        self._names = [_capitalised(" ".join(t)) for t in texts]
        self._kin_names: dict[int, list[float]] = {}

    def judge(
        self, row: int, sources: Sequence[str] | None = None, *, alone: bool = False
    ) -> tuple[Support, ...]:
        """The judge's answer for sentence ``row`` of the index and each of ``sources`` (every
        source but the sentence's own when not given), in order. ``alone``: the sentence has
        no source of its own (a claim to check), so whole sources are not compared."""
        return self.judge_all([row], sources, alone=alone)[0]

    def judge_all(
        self, rows: Sequence[int], sources: Sequence[str] | None = None, *, alone: bool = False
    ) -> list[tuple[Support, ...]]:
        """`judge` for several sentences at once (one sparse product per feature for all)."""
        return [
            tuple(self._decide(f, p, src, alone) for src, f, p in found)
            for found in self.evidence_all(rows, sources)
        ]

    def evidence(
        self, row: int, sources: Sequence[str] | None = None
    ) -> list[tuple[str, tuple[float, ...], Sentence]]:
        """For each source: the features (`FEATURES`) and the best-matching passage."""
        return self.evidence_all([row], sources)[0]

    def evidence_all(
        self, rows: Sequence[int], sources: Sequence[str] | None = None
    ) -> list[list[tuple[str, tuple[float, ...], Sentence]]]:
        """`evidence` for each of ``rows``. Every sentence and source is measured at once, with
        one product per feature: per source and sentence, the sparse products cost 130 ms on a
        DUC 2002 cluster, and one product per sentence still a few."""
        rows = list(rows)
        if not rows:
            return []
        grid, top = self._measures(rows)
        return [self._evidence(row, grid[:, r], top[:, r], sources) for r, row in enumerate(rows)]

    def _measures(self, rows: list[int]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
        """Sources x rows x (best, second, cover, whole, kin), and sources x rows: the index of
        each source's passage for each row."""
        best, second, top = self._passages(rows)
        vecs = _dense_rows(self.idx.matrix, rows)
        whole = self._docs @ vecs.T
        stems = vecs * self.idx.single
        total = self._stem_total[rows]
        cover = (self._held @ stems.T) / np.where(total > 0, total, np.inf)
        homes = [self._member[self.idx.sentences[row].source] for row in rows]
        kin = self._docs @ _dense_rows(self._docs, homes).T
        return np.stack([best, second, cover, whole, kin], axis=2), top

    def _evidence(
        self,
        row: int,
        measures: npt.NDArray[np.float64],
        top: npt.NDArray[np.int64],
        sources: Sequence[str] | None,
    ) -> list[tuple[str, tuple[float, ...], Sentence]]:
        """Sentence ``row``'s features against each source, from its column of `_measures`."""
        sentence = self.idx.sentences[row]
        kin_names = self._name_overlap(self._member[sentence.source])
        mine = names(sentence.text)
        found: list[tuple[str, tuple[float, ...], Sentence]] = []
        for src in self._others(sentence.source, sources):
            k = self._member[src]
            best, second, cover, whole, kin = measures[k].tolist()
            shared = len(mine & self._names[k]) / len(mine) if mine else 0.5
            feats = (best, second, cover, shared, whole, kin, kin_names[k])
            found.append((src, feats, self.idx.sentences[int(top[k])]))
        return found

    def _others(self, own: str, sources: Sequence[str] | None) -> list[str]:
        """``sources`` (every source when None) that the judge knows, but ``own``."""
        return [s for s in (sources or self.sources) if s != own and s in self._member]

    def _name_overlap(self, home: int) -> list[float]:
        """The Jaccard overlap of source ``home``'s names with every source's (computed once
        per source and kept)."""
        if home not in self._kin_names:
            self._kin_names[home] = [_jaccard(self._names[home], other) for other in self._names]
        return self._kin_names[home]

    def _passages(
        self, rows: list[int]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.int64]]:
        """Per source (rows of each result) and each of ``rows`` (columns): the cosine of the
        source's sentence most similar to that row's (over single stems, other times demoted),
        the cosine of its second most similar, and the index of the most similar (the
        passage)."""
        cos = self._stems @ _dense_rows(self._stems, rows).T
        cos = cos * self._same_time(rows)
        # per column: sentences by source, then by cosine, descending: each source's first is
        # its best
        owner = np.broadcast_to(self._owner[:, None], cos.shape)
        order = np.lexsort((-cos, owner), axis=0)
        first = np.searchsorted(self._owner[order[:, 0]], np.arange(len(self.sources)))
        count = np.bincount(self._owner, minlength=len(self.sources))
        cols = np.arange(len(rows))
        top = order[first]
        after = order[np.minimum(first + 1, len(order) - 1)]
        second = np.where((count > 1)[:, None], cos[after, cols], 0.0)
        return cos[top, cols], second, top

    def _same_time(self, rows: list[int]) -> npt.NDArray[np.float64]:
        """Per sentence (rows) and each of ``rows`` (columns): 1 for sentences that can tell of
        the same time as that row, and a penalty for those naming only other years ("In 2013,
        the two met ..." is another meeting than "they met on Wednesday"): a look-alike event,
        not the passage that reports this one."""
        out = np.ones((len(self._years), len(rows)))
        for c, row in enumerate(rows):
            mine = self._years[row]
            other = [bool(y) and not y & mine for y in self._years]
            out[other, c] = self.settings.other_time
        return out

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


def _singles(m: sp.csr_matrix, single: npt.NDArray[np.bool_]) -> sp.csr_matrix:
    """The rows of ``m`` with only their single-stem terms (bigram weights set to 0)."""
    out = sp.csr_matrix(m, copy=True)
    out.data = out.data * single[out.indices]
    return out


def _dense_rows(m: sp.csr_matrix, rows: Sequence[int]) -> npt.NDArray[np.float64]:
    """Rows of ``m`` as a dense array: a sparse matrix times it is a dense array, with no
    sparse matrix built for a few rows (their construction and checks were most of the
    judge's time on a small cluster: 2.6 -> 1.2 ms a Multi-News briefing). The features
    differ from the sparse products' in the last bits (1.3e-15 at most), and the judge's answers
    not at all: the same probabilities, passages and decisions for every third sentence of
    the 278 clusters of five benchmark sets against every other source (441,567 answers)."""
    out = np.zeros((len(rows), m.shape[1]))
    for r, i in enumerate(rows):
        lo, hi = m.indptr[i], m.indptr[i + 1]
        out[r, m.indices[lo:hi]] = m.data[lo:hi]
    return out


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _capitalised(text: str) -> frozenset[str]:
    """Stems of every capitalised word of a text, sentence openers included: the names a source
    can be looked up in (one pass over its text, each distinct word stemmed once)."""
    return _name_stems(set(_CAPITALISED.findall(text)))


def _name_stems(found: Iterable[str]) -> frozenset[str]:
    words = {w.lower().strip("'’") for w in found}
    return frozenset(stem(w) for w in words if w not in STOP_WORDS)


# A year, and a capitalised word, not inside a longer word. Each pattern opens with its first
# character (the word-boundary test follows as a look-behind) so that the regular expression
# engine skips ahead to candidates: the same matches as a leading \b, at half the time or less
# (1.36 -> 0.53 ms and 1.40 -> 0.69 ms a DUC 2002 cluster).
_YEAR = re.compile(r"(?:1[89]|20)\d\d(?<!\w.{4})\b")
_CAPITALISED = re.compile(r"[A-Z](?<!\w[A-Z])[\w'’\-]*")


def _normalized(m: sp.csr_matrix) -> sp.csr_matrix:
    """Rows scaled to unit length (empty rows stay empty), on the CSR arrays directly."""
    m = sp.csr_matrix(m, copy=True)
    row = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
    norms = np.sqrt(np.bincount(row, m.data**2, minlength=m.shape[0]))
    norms[norms == 0] = 1.0
    m.data = m.data / norms[row]
    return m
