"""Quality gate: citations on the ECB+ development topics must not fall below their floors.

The full benchmark is ``python -m bench.cites`` (train and dev topics, baselines, a threshold
sweep); this is its guard on the dev topics, with the judge's shipped settings. Raise the floors
to just under the measured values when the scores rise.
"""

from __future__ import annotations

import pytest
from bench import cites

from newsfuse import support
from tests.conftest import DATA, needs

# Measured when pinned (bench/README.md): precision 0.837, recall 0.698 on 1,432 dev pairs within
# an event; 0.631 / 0.692 on 3,015 pairs with both look-alike events of a topic in one briefing.
FLOORS = {False: (0.82, 0.68), True: (0.61, 0.67)}


@pytest.mark.parametrize("mixed", [False, True], ids=["one event", "look-alike events"])
def test_ecbplus_dev_citations_stay_above_their_floors(mixed: bool) -> None:
    docs = cites.load(needs(DATA / "events" / "ecbplus-traindev"))
    x, gold = cites.dataset(docs, "dev", mixed)
    settings = support.Settings()
    cited = cites.probabilities(x, settings) >= settings.threshold
    precision, recall = cites.scores(cited, gold)
    assert len(gold) > 1000
    assert precision >= FLOORS[mixed][0], precision
    assert recall >= FLOORS[mixed][1], recall
