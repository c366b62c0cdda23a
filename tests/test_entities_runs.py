"""The capitalised-span path reads names without stepping through every word: checked against
the token-by-token reading it replaced, on generated text made of the pieces that matter."""

from __future__ import annotations

import re
from collections.abc import Iterable

from hypothesis import given, settings
from hypothesis import strategies as st

from newsfuse import entities

# Pieces of text that exercise the rules: capitalised words, initials, dotted acronyms,
# particles, connectors, other lower-case words (some glued to capitals or hyphens), quotation
# marks, sentence ends, digits and line breaks.
PIECES = st.sampled_from(
    [
        "John", "M", "U.S.", "al-Rahman", "bin-Laden", "McDonald", "iPhone", "well", "-",
        "Known", "of", "van", "der", "de", "the", "and", "said", "x", "box", "13", "é", "’s",
        "'", '"', "“", "‘", "(", ")", ".", ",", ";", "!", "?", ":", "\n", " ", " ", " ", "  ",
    ]
)  # fmt: skip
TEXTS = st.lists(PIECES, max_size=40).map("".join)


def reference_runs(text: str) -> list[tuple[int, int]]:
    """The reading before: every token in turn, runs joined by a space (or an initial's dot
    and a space) and by lower-case connectors, a trailing connector left out."""
    out: list[tuple[int, int]] = []
    run: list[re.Match[str]] = []

    def close(run: list[re.Match[str]]) -> Iterable[tuple[int, int]]:
        while run and not entities._is_cap(run[-1].group()):
            run = run[:-1]
        if run:
            yield run[0].start(), run[-1].end()

    for tok in entities._TOKEN.finditer(text):
        word = tok.group()
        cap = entities._is_cap(word)
        if not run:
            if cap:
                run = [tok]
            continue
        gap = text[run[-1].end() : tok.start()]
        joined = gap == " " or (gap == ". " and run[-1].end() - run[-1].start() == 1)
        if joined and (cap or word in entities._CONNECTORS):
            run.append(tok)
            continue
        out.extend(close(run))
        run = [tok] if cap else []
    out.extend(close(run))
    return out


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_capitalised_runs_match_the_token_by_token_reading(text: str) -> None:
    assert list(entities._capitalised_runs(text)) == reference_runs(text)


@settings(max_examples=1000, deadline=None)
@given(TEXTS, st.data())
def test_sentence_start_read_backwards_matches_the_pattern(text: str, data: st.DataObject) -> None:
    at = data.draw(st.integers(min_value=0, max_value=len(text)))
    expected = bool(entities._SENTENCE_START.search(text, 0, at))
    assert entities._opens_sentence(text, at) == expected


def test_names_with_connectors_initials_and_particles_are_one_run() -> None:
    text = 'Bank of England and Virgie M. Rollins met Abdul al-Rahman of the UN. "Well, Ludwig van'
    spans = [text[a:b] for a, b in entities._capitalised_runs(text)]
    assert spans == [
        "Bank of England",
        "Virgie M. Rollins",
        "Abdul al-Rahman",
        "UN",
        "Well",
        "Ludwig",
    ]


@settings(max_examples=1000, deadline=None)
@given(TEXTS)
def test_vocabulary_patterns_match_their_plain_forms(text: str) -> None:
    # the patterns open with their first letter and test what comes before as a look-behind
    assert entities._LOWER_WORD.findall(text) == re.findall(r"\b[a-z][a-z’'\-]+\b", text)
    inner = re.findall(r"(?<=[\w,] )[A-Z][\w’'\-]*", text)
    assert entities._INNER_CAPITAL.findall(text) == inner
