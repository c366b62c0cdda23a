from pathlib import Path

from newsfuse.clean import clean_articles
from newsfuse.model import Article
from newsfuse.quality import Settings, assess, the_share
from newsfuse.readers import read_inputs
from tests.conftest import PROSE, cluster_articles, load_clusters

OTHER = (
    "Rescue teams searched the flooded valley on Monday for people missing since the storm.",
    "The regional governor asked the army to send boats and helicopters to the worst areas.",
    "Forecasters warned that more rain was expected in the mountains later in the week.",
)


def flags(articles: list[Article]) -> dict[str, tuple[tuple[str, ...], str | None]]:
    return {a.id: (a.flags, a.duplicate_of) for a in assess(clean_articles(articles))}


def test_exact_and_near_duplicates_name_their_original() -> None:
    body = "\n".join(PROSE)
    near = body.replace("Tuesday", "Wednesday")
    out = flags(
        [
            Article(id="orig", text=body, published="2020-01-01"),
            Article(id="copy", text=body, published="2020-01-02"),
            Article(id="near", text=near, published="2020-01-03"),
            Article(id="other", text="\n".join(OTHER)),
        ]
    )
    assert out["orig"] == ((), None)
    assert out["copy"] == (("duplicate",), "orig")
    assert out["near"] == (("duplicate",), "orig")
    assert out["other"] == ((), None)


def test_partial_copy_is_syndicated() -> None:
    whole = "\n".join([*PROSE, *OTHER])
    part = "\n".join([*PROSE[:4], "Our own reporter added this closing line about the story."])
    out = flags([Article(id="whole", text=whole), Article(id="part", text=part)])
    assert out["part"] == (("syndicated",), "whole")
    assert out["whole"] == ((), None)


def test_duplicate_relation_is_symmetric_in_input_order() -> None:
    body = "\n".join(PROSE)
    one = flags([Article(id="x", text=body), Article(id="y", text=body)])
    two = flags([Article(id="y", text=body), Article(id="x", text=body)])
    assert {k for k, v in one.items() if v[1]} == {"y"}
    assert {k for k, v in two.items() if v[1]} == {"x"}


def test_seed_spun_copy_is_flagged_and_only_it(seeds: Path) -> None:
    result = assess(clean_articles(read_inputs([seeds]).articles))
    spun = [a.id[:3] for a in result if "spun" in a.flags]
    assert spun == ["001"]
    assert next(a for a in result if a.id.startswith("001")).spun_score >= 0.9


def test_clean_newswire_is_not_flagged_spun() -> None:
    flagged, total = 0, 0
    for cluster in load_clusters("duc2002", limit=10):
        for a in assess(clean_articles(cluster_articles(cluster))):
            total += 1
            flagged += "spun" in a.flags
    assert total > 50 and flagged == 0


def test_article_swap_spinning_is_caught_by_function_words() -> None:
    text = " ".join(PROSE * 3)
    spun = text.replace("The ", "A ").replace(" the ", " a ")
    assert the_share(text)[0] > 0.8 and the_share(spun)[0] < 0.1
    out = {a.id: a for a in assess(clean_articles([Article(id="s", text=spun)]))}
    assert "spun" in out["s"].flags


def test_opinion_and_reader_voice_is_flagged() -> None:
    opinion = (
        "I think the council got this badly wrong and you should be angry about it.",
        "We pay our taxes and we deserve better roads than this, in my view.",
        "I believe my neighbours feel the same and we will vote them out next year.",
    )
    out = flags(
        [Article(id="op", text="\n".join(opinion)), Article(id="news", text="\n".join(PROSE))]
    )
    assert "opinion" in out["op"][0] and "opinion" not in out["news"][0]


def test_settings_thresholds_are_used() -> None:
    body = "\n".join(PROSE)
    strict = assess(
        clean_articles([Article(id="a", text=body), Article(id="b", text=body + "\nExtra words.")]),
        Settings(near=1.01, partial=1.01),
    )
    assert all(a.duplicate_of is None for a in strict)


def test_word_swapping_against_a_cleaner_copy_is_caught() -> None:
    # A made-up spinner's thesaurus: common words to rarer "synonyms".
    thesaurus = {
        "said": "pronounced",
        "new": "novel",
        "long": "protracted",
        "would": "wud",
        "add": "supplement",
        "old": "antiquated",
        "argued": "contended",
        "ignored": "disregarded",
        "cost": "outlay",
        "sign": "autograph",
        "end": "termination",
        "week": "sennight",
        "approved": "ratified",
        "debate": "disputation",
        "repair": "remediate",
        "expected": "anticipated",
    }
    spun = "\n".join(" ".join(thesaurus.get(w, w) for w in line.split(" ")) for line in PROSE)
    out = {
        a.id: a
        for a in assess(
            clean_articles(
                [
                    Article(id="clean", text="\n".join(PROSE)),
                    Article(id="spun", text=spun),
                ]
            )
        )
    }
    assert "spun" in out["spun"].flags and out["spun"].spun_score > 0.5
    assert "spun" not in out["clean"].flags


def test_large_clusters_find_copies_through_minhash_lsh() -> None:
    # Over 200 articles, candidate pairs come from MinHash LSH instead of every pair.
    arts = [
        Article(id=f"a{i}", text="\n".join([*PROSE, f"Closing line number {i} of this copy."]))
        for i in range(205)
    ]
    result = assess(clean_articles(arts))
    assert [a.duplicate_of for a in result] == [None] + ["a0"] * 204
