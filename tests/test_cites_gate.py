"""Quality gate: citations on the ECB+ development topics must not fall below their floors.

The full benchmark is ``python -m bench.cites`` (train and dev topics, baselines, a threshold
sweep); this is its guard on the dev topics, with the judge's shipped settings. Raise the floors
to just under the measured values when the scores rise.
"""

from __future__ import annotations

from bench import cites

from newsfuse import support
from tests.conftest import DATA, needs

# Measured when pinned: precision 0.834, recall 0.683 on 1,432 dev pairs (bench/README.md).
FLOORS = {"precision": 0.82, "recall": 0.67}


def test_ecbplus_dev_citations_stay_above_their_floors() -> None:
    docs = cites.load(needs(DATA / "events" / "ecbplus-traindev"))
    x, gold = cites.dataset(docs, "dev")
    settings = support.Settings()
    cited = cites.probabilities(x, settings) >= settings.threshold
    precision, recall = cites.scores(cited, gold)
    assert len(gold) > 1000
    assert precision >= FLOORS["precision"], precision
    assert recall >= FLOORS["recall"], recall
