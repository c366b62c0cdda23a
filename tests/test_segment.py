import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfuse import segment
from newsfuse.clean import clean_article
from newsfuse.model import Article, CleanArticle
from newsfuse.segment import Settings, split


def texts(t: str) -> list[str]:
    return [s.text for s in split(t)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith met Gen. Jones. They talked.", ["Mr. Smith met Gen. Jones.", "They talked."]),
        (
            "He flew to the U.S. on Monday. It rained.",
            ["He flew to the U.S. on Monday.", "It rained."],
        ),
        ("It rained in the U.S. The storm hit.", ["It rained in the U.S.", "The storm hit."]),
        ("J. R. Smith scored 30. The team won.", ["J. R. Smith scored 30.", "The team won."]),
        ('"Stop!" he said. "Why?" she asked.', ['"Stop!" he said.', '"Why?" she asked.']),
        ("He paused... and went on. Then he left.", ["He paused... and went on.", "Then he left."]),
        ("It ended… Nobody spoke.", ["It ended…", "Nobody spoke."]),
        ("Prices rose 3.5 percent. Shares fell.", ["Prices rose 3.5 percent.", "Shares fell."]),
        ("We met at 5 p.m. Sunday in Room No. 4.", ["We met at 5 p.m. Sunday in Room No. 4."]),
        ("“We will win.” The crowd cheered.", ["“We will win.”", "The crowd cheered."]),
        ("A heading\nThe body starts here.", ["A heading", "The body starts here."]),
        ("He said no. Then he left.", ["He said no.", "Then he left."]),
        (
            "Sales hit $4.5 billion (up 3%). Costs fell.",
            ["Sales hit $4.5 billion (up 3%).", "Costs fell."],
        ),
    ],
)
def test_splits_edge_cases(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


@given(st.text(alphabet=st.sampled_from(list("ab AB.?!\n\"”…'")), max_size=200))
def test_offsets_point_into_the_text_and_cover_it(text: str) -> None:
    sentences = split(text, "x", Settings(min_chars=1))
    for s in sentences:
        assert text[s.start : s.end] == s.text == s.text.strip()
    for a, b in itertools.pairwise(sentences):
        assert a.end <= b.start
    assert "".join(s.text for s in sentences).replace(" ", "") == "".join(text.split())


def test_cleaned_articles_carry_their_sentences_and_others_are_split_on_demand() -> None:
    text = "Dr. Ada Obi spoke on Monday. She left at 5 p.m. on Tuesday."
    cleaned = clean_article(Article(id="a", text=text))
    assert cleaned.sentences == segment.split(cleaned.text, "a")
    assert [s.text for s in cleaned.sentences] == [
        "Dr. Ada Obi spoke on Monday.",
        "She left at 5 p.m. on Tuesday.",
    ]
    bare = CleanArticle(Article(id="b", text=text), text, 12, 12)
    assert bare.sentences == ()
    assert segment.of(bare) == segment.split(text, "b")


@given(st.text(alphabet=".!?…\"'”’)] aA\n", max_size=30))
def test_stop_runs_are_found_as_the_look_behind_first_pattern_finds_them(text: str) -> None:
    plain = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’)\]]*+(?=\s)")
    found = [m.span() for m in segment._CANDIDATE.finditer(text)]
    assert found == [m.span() for m in plain.finditer(text)]
