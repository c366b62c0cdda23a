"""The learned concept-importance model: its features, its file, its fallback."""

from __future__ import annotations

import numpy as np

from newsfuse import concept_model, segment
from newsfuse.clean import clean_articles
from newsfuse.model import Article
from newsfuse.summarize import Settings, concepts, recurring, summarize
from tests.conftest import PROSE


def test_features_see_position_sources_and_titles() -> None:
    lead = "The city council approved the new budget on Tuesday."
    later = "Residents had asked for more buses for years before the vote."
    arts = [Article(id=f"s{k}", text=f"{lead}\n{later}") for k in range(3)]
    arts.append(Article(id="s3", text=f"{later}\n{lead}"))
    sentences = [s for a in clean_articles(arts) for s in segment.split(a.text, a.id)]
    sent_concepts = [concepts(s.text) for s in sentences]
    names = ["new budget", "more buse"]
    rows = concept_model.features(names, sent_concepts, sentences, ["New budget approved"])
    col = {f: k for k, f in enumerate(concept_model.FEATURES)}
    assert rows.shape == (2, len(concept_model.FEATURES))
    assert rows[0, col["source_share"]] == rows[1, col["source_share"]] == 1.0
    assert rows[0, col["mean_position"]] > rows[1, col["mean_position"]]  # leads hold it
    assert rows[0, col["in_title"]] == 1.0 and rows[1, col["in_title"]] == 0.0


def test_the_shipped_model_loads_and_a_stale_one_falls_back() -> None:
    model = concept_model.load()
    assert model is not None and len(model.coef) == len(concept_model.FEATURES)
    again = concept_model.Model.from_json(model.to_json())
    assert again == model
    stale = model.to_json().replace('"source_share"', '"something_else"')
    assert concept_model.Model.from_json(stale) is None


def test_learned_weights_are_probabilities_and_summaries_stay_verbatim() -> None:
    arts = clean_articles(
        [Article(id=f"o{k}", text="\n".join(PROSE[k:] + PROSE[:k])) for k in range(4)]
    )
    summary = summarize(arts, Settings(words=40, learned=True))
    texts = {a.id: a.text for a in arts}
    assert summary and all(texts[s.source][s.start : s.end] == s.text for s in summary)
    model = concept_model.load()
    assert model is not None
    sentences = [s for a in arts for s in segment.split(a.text, a.id)]
    sent_concepts = [concepts(s.text) for s in sentences]
    base = recurring(sent_concepts, sentences, Settings())
    w = concept_model.weights(model, base, sent_concepts, sentences, [])
    assert w.keys() == base.keys() and all(0.0 < v < 1.0 for v in w.values())
    assert np.isfinite(list(w.values())).all()


def test_the_lexicon_learns_which_stems_reach_summaries() -> None:
    # "storm" concepts reach the reference in every cluster, "spokesman" ones never; "gilbert"
    # is one story's name and is too rare across clusters to be kept.
    clusters = [
        {"storm hit": True, "the storm": True, "spokesman for": False, "a spokesman": False}
        for _ in range(3)
    ]
    clusters[0] |= {"hurricane gilbert": True}
    lexicon = concept_model.Lexicon.fit(clusters, smoothing=2.0, min_clusters=3)
    assert lexicon.log_ratio["storm"] > 0 > lexicon.log_ratio["spokesman"]
    assert "gilbert" not in lexicon.log_ratio
    assert lexicon.weight("storm hit") > lexicon.weight("unseen pair") == 1.0
    assert lexicon.weight("a spokesman") < 1.0
    assert concept_model.Lexicon.fit([]).log_ratio == {}


def test_the_shipped_lexicon_loads_and_summaries_stay_verbatim_with_or_without_it() -> None:
    lexicon = concept_model.load_lexicon()
    assert lexicon is not None and len(lexicon.log_ratio) > 500
    assert all(np.isfinite(v) for v in lexicon.log_ratio.values())
    arts = clean_articles(
        [Article(id=f"o{k}", text="\n".join(PROSE[k:] + PROSE[:k])) for k in range(4)]
    )
    texts = {a.id: a.text for a in arts}
    for use in (True, False):
        summary = summarize(arts, Settings(words=40, lexicon=use))
        assert summary and all(texts[s.source][s.start : s.end] == s.text for s in summary)


def test_attribution_is_not_a_concept() -> None:
    lead = "The bridge over the river was closed on Friday, police said."
    arts = [Article(id=f"s{k}", text=lead) for k in range(3)]
    sentences = [s for a in clean_articles(arts) for s in segment.split(a.text, a.id)]
    weights = recurring([concepts(s.text) for s in sentences], sentences, Settings())
    assert "the bridg" in weights and "river was" in weights
    assert not any("said" in c.split(" ") for c in weights)  # "polic said"
