"""Quality gate: ROUGE on a handful of DUC 2002 clusters must not fall below its pinned floor.

The full benchmark is ``python -m bench.summarization`` (official ROUGE-1.5.5, every set, the
baselines side by side); this is its fast guard, scored with rouge-score (Porter stemmer,
candidate cut to 100 words, mean over the references). When the score rises, raise the floor
to just under the new value so a regression cannot hide in the slack.
"""

from __future__ import annotations

import pytest

from newsfuse.clean import clean_articles
from newsfuse.summarize import Settings, summarize
from tests.conftest import cluster_articles, load_clusters

CLUSTERS = 10  # the first ten DUC 2002 clusters: about 3 s
WORDS = 100
# Measured when pinned: ROUGE-1 recall 0.3689, ROUGE-2 recall 0.0884 (see bench/README.md),
# with the greedy selection of `newsfuse.coverage` and attribution words out of the concepts.
# Before: 0.3713 / 0.0913 with floors 0.368 / 0.090, with the exact selection and the lexical
# prior of lexicon.Lexicon (trained on these clusters, among others; both are off now:
# they scored lower on the held-out sets).
# Before: 0.3615 / 0.0858 with floors 0.358 / 0.085, after summary sentences had to read on
# their own (no speakerless quotations, no pronoun without its antecedent); before that
# 0.3499 / 0.0863 with floors 0.347 / 0.085.
# Lowered once, from 0.350 / 0.085 (measured 0.3546 / 0.0881), when the clean pass stopped
# dropping articles sent as one paragraph: three of these ten clusters had lost one; the
# summaries now draw on them and score a little lower against these references.
FLOORS = {"rouge1": 0.366, "rouge2": 0.087}


def test_duc2002_rouge_stays_above_its_floor() -> None:
    rouge_scorer = pytest.importorskip("rouge_score.rouge_scorer")
    scorer = rouge_scorer.RougeScorer(list(FLOORS), use_stemmer=True)
    totals = dict.fromkeys(FLOORS, 0.0)
    clusters = load_clusters("duc2002", limit=CLUSTERS)
    for cluster in clusters:
        cleaned = clean_articles(cluster_articles(cluster))
        summary = summarize(cleaned, Settings(words=WORDS))
        candidate = " ".join(" ".join(s.text for s in summary).split()[:WORDS])
        refs = cluster["refs"]
        for metric in FLOORS:
            recall = sum(scorer.score(ref, candidate)[metric].recall for ref in refs)
            totals[metric] += recall / len(refs)
    scores = {m: t / len(clusters) for m, t in totals.items()}
    for metric, floor in FLOORS.items():
        assert scores[metric] >= floor, f"{metric} recall {scores[metric]:.4f} < floor {floor}"
