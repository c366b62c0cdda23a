"""The learned summary-word prior: what it learns, its file, summaries with and without it."""

from __future__ import annotations

import numpy as np

from newsfuse import lexicon
from newsfuse.clean import clean_articles
from newsfuse.model import Article
from newsfuse.summarize import Settings, summarize
from tests.conftest import PROSE


def test_the_lexicon_learns_which_stems_reach_summaries() -> None:
    # "storm" concepts reach the reference in every cluster, "spokesman" ones never; "gilbert"
    # is one story's name and is too rare across clusters to be kept.
    clusters = [
        {"storm hit": True, "the storm": True, "spokesman for": False, "a spokesman": False}
        for _ in range(3)
    ]
    clusters[0] |= {"hurricane gilbert": True}
    fitted = lexicon.Lexicon.fit(clusters, smoothing=2.0, min_clusters=3)
    assert fitted.log_ratio["storm"] > 0 > fitted.log_ratio["spokesman"]
    assert "gilbert" not in fitted.log_ratio
    assert fitted.weight("storm hit") > fitted.weight("unseen pair") == 1.0
    assert fitted.weight("a spokesman") < 1.0
    assert lexicon.Lexicon.fit([]).log_ratio == {}


def test_the_shipped_lexicon_loads_and_summaries_stay_verbatim_with_or_without_it() -> None:
    shipped = lexicon.load()
    assert shipped is not None and len(shipped.log_ratio) > 500
    assert all(np.isfinite(v) for v in shipped.log_ratio.values())
    arts = clean_articles(
        [Article(id=f"o{k}", text="\n".join(PROSE[k:] + PROSE[:k])) for k in range(4)]
    )
    texts = {a.id: a.text for a in arts}
    for use in (True, False):
        summary = summarize(arts, Settings(words=40, lexicon=use))
        assert summary and all(texts[s.source][s.start : s.end] == s.text for s in summary)
