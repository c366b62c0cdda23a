"""Quality gate: story grouping on ECB+ topics 1-25, where every topic holds two look-alike
events (the same kind of event, other people, places or years), must not fall below its floor."""

from __future__ import annotations

import json

from newsfuse.model import Article
from newsfuse.stories import assign_stories
from newsfuse.stories.metrics import bcubed
from tests.conftest import DATA, needs

# B-cubed F1 of the default settings on all 535 documents, in file order (bench.clustering,
# set "ecbplus"): 0.857 measured with the numpy word hashing (0.844 with CRC-32 words, 0.815
# before the year conflict); raise it when the score rises. Train topics 1-22 were used to fit
# the settings, so this guards against regressions.
ECBPLUS_FLOOR = 0.845


def test_bcubed_on_ecbplus_events_stays_above_floor() -> None:
    path = needs(DATA / "events" / "ecbplus-traindev" / "docs.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    arts = [Article(r["doc_id"], r["text"]) for r in rows]
    score = bcubed(list(assign_stories(arts)), [r["event_cluster"] for r in rows])
    assert score.f1 >= ECBPLUS_FLOOR, score
