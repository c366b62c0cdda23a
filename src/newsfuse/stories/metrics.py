"""B-cubed precision, recall and F1 (Bagga & Baldwin 1998; Amigó et al. 2009): per item, the
share of its predicted cluster that shares its gold label (precision) and the share of its gold
cluster that shares its predicted cluster (recall), averaged over items."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BCubed:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def bcubed(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> BCubed:
    """B-cubed scores of a clustering ``predicted`` against ``gold``, item by item."""
    if len(predicted) != len(gold) or not gold:
        raise ValueError("predicted and gold must be non-empty and of the same length")
    pred_size, gold_size = Counter(predicted), Counter(gold)
    both = Counter(zip(predicted, gold, strict=True))
    n = len(gold)
    precision = sum(both[p, g] / pred_size[p] for p, g in zip(predicted, gold, strict=True)) / n
    recall = sum(both[p, g] / gold_size[g] for p, g in zip(predicted, gold, strict=True)) / n
    return BCubed(precision, recall)


__all__ = ["BCubed", "bcubed"]
