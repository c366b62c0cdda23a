"""Learned concept importance: how likely a stemmed bigram of the cluster is to appear in a
human summary of it, from features of where and how the cluster uses it.

Supervised bigram weighting after Li, Qian & Liu 2013 ("Using Supervised Bigram-based ILP for
Extractive Summarization") and Hong & Nenkova 2014 (RegSum): a logistic regression over a few
features of each concept (how many sources hold it, how early, whether titles or capitalised
names carry it, whether it holds a number or a stop word). The coefficients are trained by
``python -m bench.train_concepts`` on reference summaries and shipped as
``newsfuse/data/concepts.json``; without that file `load` returns None and the summarizer
weighs concepts by source count, as before.

Measured on held-out clusters it does not beat the count weights (bench/README.md, "Learned
concept weights"), so the summarizer uses it only when asked (`summarize.Settings.learned`).

`Lexicon` is a prior per word stem, learned from the same training clusters, of how much
likelier than average a recurring concept holding that stem is to reach a human summary
("said", "about", "official" are far less likely; "storm", "killed", "price" more). Counts
inside one cluster cannot see this: it is the reference style of news summaries, the global
word importance of Hong & Nenkova 2014. It multiplies the count weights rather than replacing
them, and ships as ``newsfuse/data/summary_words.json``. It too is opt-in
(`summarize.Settings.lexicon`): with the greedy selection it lost on every held-out set.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np

from newsfuse.model import Sentence
from newsfuse.text import STOP_WORDS, stem, words

__all__ = ["FEATURES", "Lexicon", "Model", "features", "load", "load_lexicon"]

FEATURES = (
    "source_share",  # share of the cluster's sources that hold the concept
    "log_sources",  # log(1 + sources holding it)
    "log_count",  # log(1 + sentences holding it)
    "best_position",  # 0.5 ** (earliest sentence index in any source)
    "mean_position",  # mean over all sources of 0.5 ** (its first index there; 0 if absent)
    "in_title",  # share of the titles that hold it
    "capitalised",  # share of its occurrences written with both words capitalised
    "number",  # one of its words is a number
    "stop_word",  # one of its words is a stop word
    "log_cluster",  # log(1 + sources in the cluster): lets the rest scale with cluster size
)


@dataclass(frozen=True, slots=True)
class Model:
    """A logistic regression over `FEATURES` (standardised with ``mean`` and ``scale``)."""

    coef: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]

    def predict(self, rows: np.ndarray) -> np.ndarray:
        z = (rows - np.asarray(self.mean)) / np.asarray(self.scale)
        p: np.ndarray = 1.0 / (1.0 + np.exp(-(z @ np.asarray(self.coef) + self.intercept)))
        return p

    def to_json(self) -> str:
        data = {
            "features": list(FEATURES),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "mean": list(self.mean),
            "scale": list(self.scale),
        }
        return json.dumps(data, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Model | None:
        data = json.loads(text)
        if tuple(data.get("features", ())) != FEATURES:
            return None  # trained on another feature set: the fallback weights apply
        return cls(
            tuple(data["coef"]), float(data["intercept"]), tuple(data["mean"]), tuple(data["scale"])
        )


def load() -> Model | None:
    """The shipped model, or None when ``data/concepts.json`` is absent or stale."""
    try:
        text = resources.files("newsfuse").joinpath("data/concepts.json").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None
    return Model.from_json(text)


def features(
    concepts: Sequence[str],
    sent_concepts: Sequence[set[str]],
    sentences: Sequence[Sentence],
    titles: Sequence[str],
) -> np.ndarray:
    """One row of `FEATURES` per concept, in the order given."""
    first: dict[tuple[str, str], int] = {}
    count: Counter[str] = Counter()
    caps: Counter[str] = Counter()
    wanted = set(concepts)
    for s, cs in zip(sentences, sent_concepts, strict=True):
        held = cs & wanted
        for c in held:
            first.setdefault((s.source, c), s.index)
        count.update(held)
        if held:
            caps.update(_capitalised(s.text) & held)
    n_sources = len({s.source for s in sentences}) or 1
    title_sets = [_bigrams(t)[0] for t in titles]
    by_concept: dict[str, list[int]] = {c: [] for c in concepts}
    for (_, c), at in first.items():
        by_concept[c].append(at)
    return np.array(
        [_row(c, by_concept[c], count[c], caps[c], n_sources, title_sets) for c in concepts],
        dtype=np.float64,
    ).reshape(len(concepts), len(FEATURES))


def _row(
    c: str, firsts: list[int], count: int, caps: int, n_sources: int, titles: list[set[str]]
) -> list[float]:
    a, b = c.split(" ", 1)
    return [
        len(firsts) / n_sources,
        math.log1p(len(firsts)),
        math.log1p(count),
        0.5 ** min(firsts, default=30),
        sum(0.5**at for at in firsts) / n_sources,
        sum(c in t for t in titles) / len(titles) if titles else 0.0,
        caps / count if count else 0.0,
        float(any(ch.isdigit() for ch in c)),
        float(a in _STOP_STEMS or b in _STOP_STEMS),
        math.log1p(n_sources),
    ]


_STOP_STEMS = frozenset(stem(w) for w in STOP_WORDS)


def _bigrams(text: str) -> tuple[set[str], set[str]]:
    """The text's stemmed bigrams, and those of them written with both words capitalised
    (the sentence's first word does not count as capitalised)."""
    toks = words(text)
    stems = [stem(t) for t in toks]
    all_, caps = set(), set()
    for k in range(len(toks) - 1):
        c = f"{stems[k]} {stems[k + 1]}"
        all_.add(c)
        if k > 0 and toks[k][:1].isupper() and toks[k + 1][:1].isupper():
            caps.add(c)
    return all_, caps


def _capitalised(text: str) -> set[str]:
    return _bigrams(text)[1]


def weights(
    model: Model,
    base: Mapping[str, float],
    sent_concepts: Sequence[set[str]],
    sentences: Sequence[Sentence],
    titles: Sequence[str],
) -> dict[str, float]:
    """The model's probability for each concept of ``base`` (the concepts that passed the
    recurrence filter), in place of the count-based weight."""
    names = sorted(base)
    if not names:
        return {}
    p = model.predict(features(names, sent_concepts, sentences, titles))
    return {c: float(x) for c, x in zip(names, p, strict=True)}


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Per word stem, the log of how much likelier than average a recurring concept holding it
    is to appear in a reference summary; stems it does not list count 0 (average)."""

    log_ratio: Mapping[str, float]

    def weight(self, concept: str) -> float:
        """The factor for a concept's count weight: the product of its stems' ratios."""
        return math.exp(sum(self.log_ratio.get(t, 0.0) for t in concept.split(" ")))

    def to_json(self) -> str:
        return json.dumps(dict(sorted(self.log_ratio.items())), indent=0) + "\n"

    @classmethod
    def fit(
        cls, clusters: Iterable[Mapping[str, bool]], smoothing: float = 20.0, min_clusters: int = 3
    ) -> Lexicon:
        """From each training cluster's recurring concepts, labelled True when a reference
        summary holds them. Each stem's rate is shrunk towards the overall rate by
        ``smoothing`` pseudo-concepts, and only stems seen in ``min_clusters`` clusters are
        kept: the table says what holds across stories, not which story a name belongs to."""
        held, hits, spread = Counter[str](), Counter[str](), Counter[str]()
        total = positive = 0
        for labels in clusters:
            total, positive = total + len(labels), positive + sum(labels.values())
            for c, y in labels.items():
                for t in set(c.split(" ")):
                    held[t] += 1
                    hits[t] += y
            spread.update({t for c in labels for t in c.split(" ")})
        base = positive / total if total else 0.0
        if base <= 0.0:
            return cls({})
        ratio = {
            t: (hits[t] + smoothing * base) / (held[t] + smoothing) / base
            for t in held
            if spread[t] >= min_clusters
        }
        return cls({t: round(math.log(r), 3) for t, r in ratio.items()})


def load_lexicon() -> Lexicon | None:
    """The shipped lexicon, or None when ``data/summary_words.json`` is absent."""
    try:
        text = resources.files("newsfuse").joinpath("data/summary_words.json").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None
    data = json.loads(text)
    return Lexicon({str(k): float(v) for k, v in data.items()})
