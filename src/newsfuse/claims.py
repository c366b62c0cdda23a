"""A journalist's question: which of these sources report this claim, which give different
numbers for it, and which are silent?

The claim joins the sources' sentences in one TF-IDF space (`align`), and the support judge
(`support`) answers for each source, with its best passage. A source whose sentences give a
quantity the claim also gives, about the same thing, with a value that cannot hold at the same
time ("89 killed" against the claim's "86 killed"; `facts.contradicts`) *differs*, whether or
not it otherwise reports the claim; one the judge accepts *supports*; the rest are *silent*.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsfuse import align, facts, segment, support
from newsfuse.errors import InputError
from newsfuse.model import ClaimCheck, ClaimReport, CleanArticle, Sentence

_CLAIM = "\x00claim"  # the claim's source id in the shared index: never an article id


@dataclass(frozen=True, slots=True)
class Settings:
    support: support.Settings = field(default_factory=support.Settings)
    facts: facts.Settings = field(default_factory=facts.Settings)


def check(
    claim: str, articles: Sequence[CleanArticle], settings: Settings | None = None
) -> ClaimCheck:
    settings = settings or Settings()
    claim = " ".join(claim.split())
    if not claim:
        raise InputError("claim", "the claim is empty; give the sentence to check")
    sentences = [Sentence(_CLAIM, 0, 0, len(claim), claim)]
    sentences += [s for a in articles for s in segment.of(a)]
    judge = support.Judge(align.index(sentences), settings.support)
    answers = {x.source: x for x in judge.judge(0, alone=True)}
    quantities = facts.mentions_in(claim, _CLAIM, settings.facts)
    by_source: dict[str, list[Sentence]] = defaultdict(list)
    for s in sentences[1:]:
        by_source[s.source].append(s)
    supporting, differing, silent = [], [], []
    for a in articles:
        other = _differing(quantities, by_source[a.id], settings.facts)
        answer = answers.get(a.id)
        if other is not None:
            differing.append(_report(other[0], answer, other[1]))
        elif answer is not None and answer.accepted:
            supporting.append(_report(answer.passage, answer, ()))
        else:
            silent.append(a.id)
    supporting.sort(key=lambda r: -r.score)
    return ClaimCheck(claim, tuple(supporting), tuple(differing), tuple(silent))


def _differing(
    quantities: Sequence[facts.Mention], sentences: Sequence[Sentence], settings: facts.Settings
) -> tuple[Sentence, tuple[str, ...]] | None:
    """The first of one source's ``sentences`` whose quantities contradict the claim's, with
    them."""
    if not quantities:
        return None
    for s in sentences:
        found = facts.mentions_in(s.text, s.source, settings)
        values = [
            m.text for m in found if any(facts.contradicts(q, m, settings) for q in quantities)
        ]
        if values:
            return s, tuple(dict.fromkeys(values))
    return None


def _report(
    passage: Sentence, answer: support.Support | None, values: tuple[str, ...]
) -> ClaimReport:
    score = answer.probability if answer is not None else 0.0
    return ClaimReport(passage.source, passage.text, score, values)
