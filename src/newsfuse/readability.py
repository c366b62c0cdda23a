"""Whether a sentence reads on its own once it is lifted out of its article.

Two ways an extracted sentence fails a reader:

1. It opens or closes inside a quotation (``You have to take the emotion out of it."``, or the
   first sentence of a quotation that goes on after it): the words lose their speaker and a
   quotation mark dangles. `quoted` finds such sentences by following the quotation marks of
   each paragraph (cleaned text has one paragraph a line).
2. It opens with a pronoun or a connective (``He``, ``It``, ``But``, ``However``) that points
   at the sentence before it. `antecedents` maps each such sentence to the sentence it leans
   on, which must be chosen with it (Gillick & Favre's ILP took the same kind of constraint for
   pronouns; Nenkova & McKeown 2011, "Automatic Summarization", §4.2 on dangling references).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsfuse.model import Sentence

__all__ = ["antecedents", "quoted"]

# Quotation marks. Straight double quotes are judged by their neighbours: a mark after a space
# (or at the start) and before a word opens, one after a word or punctuation closes. The ASCII
# pairs ``...'' of newswire and the typographic “...” (or “...’’) say which they are.
_MARK = re.compile(r"``|''|’’|\"|“|”")
_OPENERS = frozenset({"``", "“"})
_CLOSERS = frozenset({"''", "’’", "”"})

# Opening words that point back at the previous sentence.
_PRONOUNS = frozenset(
    """he she it they him her his hers its their theirs them this that these those such
    both""".split()
)
_CONNECTIVES = frozenset(
    """but and or yet so also however still meanwhile moreover furthermore nevertheless
    nonetheless instead thus therefore then besides otherwise indeed likewise similarly
    consequently hence later afterward afterwards""".split()
)
# "This year", "That night": a demonstrative before a time word points at the calendar, not at
# the previous sentence.
_TIME_WORDS = frozenset(
    """year week month morning afternoon evening night weekend spring summer fall autumn
    winter season decade century""".split()
)
_FIRST_WORDS = re.compile(r"[\"'“‘`(\[]*([A-Za-z]+)(?:\W+([A-Za-z]+))?")


def quoted(text: str, sentences: Sequence[Sentence]) -> frozenset[int]:
    """Positions (in ``sentences``) of the sentences of ``text`` that start or end inside a
    quotation, hold a closing mark with no opening one before it, or are one quotation with no
    speaker."""
    inside = _inside_spans(text)
    return frozenset(k for k, s in enumerate(sentences) if _crosses(inside, s.start, s.end))


def antecedents(sentences: Sequence[Sentence]) -> dict[int, int | None]:
    """For each sentence that opens by pointing back, the position of the sentence it needs
    (the one before it in the same article), or None when it has none (an article's first)."""
    out: dict[int, int | None] = {}
    for k, s in enumerate(sentences):
        if _points_back(s.text):
            prev = sentences[k - 1] if k > 0 else None
            same = prev is not None and prev.source == s.source and prev.index == s.index - 1
            out[k] = k - 1 if same else None
    return out


def _points_back(text: str) -> bool:
    m = _FIRST_WORDS.match(text)
    if m is None:
        return False
    first, second = m.group(1).lower(), (m.group(2) or "").lower()
    if first in _CONNECTIVES:
        return True
    if first in ("this", "that", "these", "those") and second in _TIME_WORDS:
        return False
    return first in _PRONOUNS


def _inside_spans(text: str) -> list[tuple[int, int]]:
    """The character spans of ``text`` that lie inside a quotation, quotation marks included.
    A paragraph whose first mark closes began inside a quotation carried over from the
    previous paragraph: its span starts one character early, before the paragraph, so that
    every sentence up to the closing mark counts as inside. A quotation still open at the end
    of a paragraph runs to its end."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        marks = [(m.start(), m.end(), _kind(m)) for m in _MARK.finditer(line.group())]
        base = line.start()
        opened: int | None = base - 1 if marks and marks[0][2] == "close" else None
        for a, b, kind in marks:
            if kind == "open" and opened is None:
                opened = base + a
            elif kind == "close" and opened is not None:
                spans.append((opened, base + b))
                opened = None
        if opened is not None:
            spans.append((opened, line.end() + 1))
    return spans


def _kind(m: re.Match[str]) -> str:
    mark = m.group()
    if mark in _OPENERS:
        return "open"
    if mark in _CLOSERS:
        return "close"
    line = m.string
    before = line[m.start() - 1] if m.start() > 0 else " "
    after = line[m.end()] if m.end() < len(line) else " "
    if before.isspace() or before in "([{—–-":
        return "open"
    if after.isspace() or after in ".,;:!?)]}—–-":
        return "close"
    return "open" if not before.isalnum() else "close"


def _crosses(inside: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether a quotation reaches into the sentence from before it or out of it past its end,
    or covers the whole sentence (a quotation without its speaker)."""
    return any(
        a < start < b or a < end < b or (a <= start and end <= b)
        for a, b in inside
        if a < end and b > start
    )
