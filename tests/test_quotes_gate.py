"""Quality gate for quote attribution against human annotation (PolNeAR dev).

Scored with the benchmark's own rules (`bench.quotes_polnear`: gold quotations, speakers,
matching and scores are defined in its docstring); the data is read from ../shared at run
time. The fast path is scored on all 84 dev articles, the spaCy path (slower: it parses every
article) on the first 20. Floors are pinned a little under the values measured with
``python -m bench.quotes --polnear dev`` and ``--polnear dev --limit 20``; raise them when
the scores rise.
"""

from __future__ import annotations

import pytest
from bench.quotes import polnear
from bench.quotes_polnear import DATA, Score

from newsfuse.errors import MissingModel
from newsfuse.nlp import spacy_pipeline as models
from tests.conftest import needs

pytestmark = pytest.mark.slow

# Floors per kind of gold speaker (see bench.quotes_polnear): "named" is the reliable gold,
# "named + pronoun" the whole target set (its pronoun gold is the weaker: the chain of annotated
# Sources), "checked" the same with the dev pronoun speakers checked by hand
# (bench/polnear_dev_checked.tsv).
# Measured, fast path, 84 articles (393 named + 151 pronoun quotations), after the second round
# of issue 14: named precision 0.966, found 0.921, right recall 0.878; named + pronoun 0.934,
# 0.941, 0.829; checked 0.967, 0.941, 0.861.
FAST = {
    "named": {"precision": 0.96, "recall_found": 0.915, "right_recall": 0.87},
    "named + pronoun": {"precision": 0.925, "recall_found": 0.935, "right_recall": 0.82},
    "named + pronoun, checked": {"precision": 0.96, "right_recall": 0.855},
}
# Measured, spaCy path, first 20 articles (99 + 34; harder than the rest), the recogniser
# reading each article's lead only: named 0.947, 0.778, 0.717; named + pronoun 0.910, 0.835,
# 0.684; checked 0.940, 0.835, 0.707 (on all of dev both paths score alike, bench/README.md).
SPACY_LIMIT = 20
SPACY = {
    "named": {"precision": 0.94, "recall_found": 0.77, "right_recall": 0.71},
    "named + pronoun": {"precision": 0.90, "recall_found": 0.83, "right_recall": 0.675},
    "named + pronoun, checked": {"precision": 0.93, "right_recall": 0.70},
}


def _check(scores: dict[str, Score], floors: dict[str, dict[str, float]]) -> None:
    for kind, by_score in floors.items():
        for name, floor in by_score.items():
            assert getattr(scores[kind], name) >= floor, (kind, name)


def test_fast_path_attribution_is_at_or_above_its_floors() -> None:
    needs(DATA)
    scores = polnear("dev", use_model=False)
    assert scores["named + pronoun"].target > 500
    _check(scores, FAST)


def test_spacy_path_attribution_is_at_or_above_its_floors() -> None:
    needs(DATA)
    try:
        models.load()
    except MissingModel:
        pytest.skip("spaCy pipeline not installed")
    _check(polnear("dev", use_model=True, limit=SPACY_LIMIT), SPACY)
