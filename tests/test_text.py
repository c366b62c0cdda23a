import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfuse import align
from newsfuse.config import Settings
from newsfuse.model import Article
from newsfuse.pipeline import brief
from newsfuse.segment import Sentence
from newsfuse.text import normalize_date, words


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2017-04-12", "2017-04-12"),
        ("2017-04-12T14:39:00Z", "2017-04-12"),  # feeds and HTML meta carry a time
        ("2017/04/12", "2017-04-12"),
        ("April 12, 2017", "2017-04-12"),
        ("Wed, 12 Apr 2017 10:00:00 GMT", "2017-04-12"),
        ("2017-02-31", None),  # no such day
        ("08/12/1998", None),  # day and month order unknown
        ("12017-04-123", None),
        ("", None),
    ],
)
def test_dates_are_read_as_iso_days(value: str, iso: str | None) -> None:
    assert normalize_date(value) == iso


def test_an_article_keeps_only_a_date_it_can_read() -> None:
    assert Article("a", "x", published="2017-04-12T14:39:00+02:00").published == "2017-04-12"
    assert Article("a", "x", published="08/12/1998").published is None


def test_a_briefing_survives_dates_callers_pass_in_other_forms() -> None:
    text = "The council voted on Tuesday to close the old bridge for repairs next month."
    arts = [
        Article("a", text, published="08/12/1998"),
        Article("b", text + " Engineers agreed.", published="1998-02-30"),
    ]
    briefing = brief(arts, settings=Settings().with_flags(models=False))
    assert briefing.summary and all(s.published is None for s in briefing.sources)


def test_similarity_keeps_only_pairs_at_or_above_the_floor() -> None:
    texts = [
        "The council voted to close the old bridge.",
        "The council voted to close the bridge.",
        "Rain is expected across the north on Sunday.",
    ]
    sim = align.index([Sentence("s", i, 0, 0, t) for i, t in enumerate(texts)]).similarity(0.5)
    assert sim[0, 1] >= 0.5 and sim[0, 2] == 0.0
    assert all(v >= 0.5 for v in sim.data)
    assert list(align.above(sim, 0, 0.5)) == [0, 1]


def test_a_title_that_says_nothing_of_the_summary_gives_way_to_it() -> None:
    text = "The council voted on Tuesday to close the old bridge for repairs next month."
    arts = [Article(k, text, title="Jane Roe/Agency Photo") for k in ("a", "b")]
    briefing = brief(arts, settings=Settings().with_flags(models=False))
    assert briefing.title == briefing.summary[0].text


def test_page_furniture_is_never_taken_for_a_title() -> None:
    from newsfuse.clean import clean_article

    text = (
        "Media playback is unsupported on your device\n"
        "The council voted on Tuesday to close the old bridge for repairs next month.\n"
        "Engineers said the work would take most of the summer and cost two million."
    )
    assert clean_article(Article("a", text)).article.title is None


@given(st.text(alphabet="ab1_é .'’-\n", max_size=40))
def test_words_are_the_tokens_of_the_plain_greedy_pattern(text: str) -> None:
    plain = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
    assert words(text) == plain.findall(text)
