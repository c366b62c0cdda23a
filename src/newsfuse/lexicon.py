"""A learned prior per word stem: how much likelier than average a recurring concept holding
that stem is to reach a human summary ("said", "about", "official" are far less likely;
"storm", "killed", "price" more).

Counts inside one cluster cannot see this: it is the reference style of news summaries, the
global word importance of Hong & Nenkova 2014 (RegSum). It multiplies the count weights rather
than replacing them, is fitted by ``python -m bench.train_lexicon`` on reference summaries and
ships as ``newsfuse/data/summary_words.json``. It is opt-in (`summarize.Settings.lexicon`):
with the greedy selection it lost on every held-out set. `newsfuse.concept_blend` reads the
same kind of prior as one of its features.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

__all__ = ["Lexicon", "load"]


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


def load() -> Lexicon | None:
    """The shipped lexicon, or None when ``data/summary_words.json`` is absent."""
    try:
        text = resources.files("newsfuse").joinpath("data/summary_words.json").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None
    data = json.loads(text)
    return Lexicon({str(k): float(v) for k, v in data.items()})
