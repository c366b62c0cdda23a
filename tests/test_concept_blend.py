"""Learned concept weights blended with the counts: features, the NumPy regressors, the file."""

from __future__ import annotations

import numpy as np

from newsfuse import concept_blend, segment
from newsfuse.clean import clean_articles
from newsfuse.model import Article
from newsfuse.summarize import Settings, concepts, recurring, summarize
from newsfuse.text import Tokens
from tests.conftest import PROSE

COL = {f: k for k, f in enumerate(concept_blend.FEATURES)}


def _cluster() -> tuple[list, list, list, dict[str, float]]:
    lead = "The city council approved the new budget on Tuesday."
    later = "Residents had asked for more buses for years before the vote."
    arts = [Article(id=f"s{k}", text=f"{lead}\n{later}") for k in range(3)]
    arts.append(Article(id="s3", text=f"{later}\n{lead}"))
    sentences = [s for a in clean_articles(arts) for s in segment.split(a.text, a.id)]
    toks = [Tokens.of(s.text) for s in sentences]
    sent_concepts = [concepts(s.text) for s in sentences]
    return sentences, toks, sent_concepts, recurring(sent_concepts, sentences, Settings())


def test_features_see_leads_titles_the_lexicon_and_ranks() -> None:
    sentences, toks, sent_concepts, counts = _cluster()
    names = ["new budget", "more buse"]
    x = concept_blend.features(
        names,
        sent_concepts,
        sentences,
        toks,
        [Tokens.of("New budget approved")],
        counts,
        {"budget": 0.5},
    )
    assert x.shape == (2, len(concept_blend.FEATURES))
    assert x[0, COL["source_share"]] == x[1, COL["source_share"]] == 1.0
    assert x[0, COL["lead_share"]] == 0.75 and x[1, COL["lead_share"]] == 0.25
    assert x[0, COL["in_title"]] == 1.0 and x[1, COL["in_title"]] == 0.0
    assert x[0, COL["lexicon"]] == 0.5 and x[1, COL["lexicon"]] == 0.0
    assert x[0, COL["rank_lexicon"]] == 1.0 and x[1, COL["rank_lexicon"]] == 0.0
    assert x[0, COL["rank_sources"]] == x[1, COL["rank_sources"]] == 0.5  # a tie
    assert np.isfinite(x).all()


def _stump() -> concept_blend.Trees:
    """Two trees: x0 <= 1 -> 1 else (x1 <= 0 -> 2 else 3); and a lone leaf of 10."""
    return concept_blend.Trees(
        feature=np.array([[0, 0, 1, 0, 0], [0, 0, 0, 0, 0]]),
        threshold=np.array([[1.0, 0, 0.0, 0, 0], [0.0] * 5]),
        left=np.array([[1, 0, 3, 0, 0], [0] * 5]),
        right=np.array([[2, 0, 4, 0, 0], [0] * 5]),
        value=np.array([[0, 1.0, 0, 2.0, 3.0], [10.0, 0, 0, 0, 0]]),
        leaf=np.array([[False, True, False, True, True], [True, True, True, True, True]]),
        baseline=0.5,
    )


def test_trees_walk_every_row_to_its_leaf() -> None:
    x = np.array([[0.0, 5.0], [1.0, -1.0], [2.0, -1.0], [2.0, 0.5]])
    assert _stump().predict(x).tolist() == [11.5, 11.5, 12.5, 13.5]


def test_the_blend_scales_counts_and_survives_its_file() -> None:
    sentences, toks, sent_concepts, counts = _cluster()
    n = len(concept_blend.FEATURES)
    coef = [0.0] * n
    coef[COL["lead_share"]] = 1.0  # concepts in more leads count more
    linear = concept_blend.Linear(tuple(coef), 1.0, (0.0,) * n, (1.0,) * n)
    blend = concept_blend.Blend(linear, {}, strength=1.0)
    w = blend.weights(counts, sent_concepts, sentences, toks, [])
    assert w.keys() == counts.keys()
    assert w["new budget"] / counts["new budget"] > w["more buse"] / counts["more buse"]
    for reg in (linear, _stump()):
        again = concept_blend.Blend.from_json(concept_blend.Blend(reg, {"x": 1.0}).to_json())
        assert again is not None and again.lexicon == {"x": 1.0}
        x = np.random.default_rng(0).normal(size=(5, n))
        assert np.allclose(again.regressor.predict(x), reg.predict(x))
    stale = blend.to_json().replace('"lead_share"', '"something_else"')
    assert concept_blend.Blend.from_json(stale) is None


def test_summaries_with_the_shipped_blend_stay_verbatim() -> None:
    blend = concept_blend.load()
    assert blend is not None
    arts = clean_articles(
        [Article(id=f"o{k}", text="\n".join(PROSE[k:] + PROSE[:k])) for k in range(4)]
    )
    texts = {a.id: a.text for a in arts}
    summary = summarize(arts, Settings(words=40, blend=blend))
    assert summary and all(texts[s.source][s.start : s.end] == s.text for s in summary)
