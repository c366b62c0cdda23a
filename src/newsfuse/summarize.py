"""Extractive multi-source summary: selection, wording, citations, order.

Selection is the concept-coverage ILP of Gillick & Favre (2009, "A Scalable Global Model for
Summarization"): concepts are stemmed word bigrams, weighted by the number of sources that
contain them; choose sentences that maximise the total weight of the concepts they cover within
the word budget. A concept counts once however many chosen sentences hold it, so redundancy
costs budget and buys nothing; pairs of near-identical sentences are also forbidden outright.
Solved exactly with HiGHS (highspy); a greedy ratio rule is the fallback.

Every chosen sentence is then worded from the cleanest copy that says the same thing, cites
every independent source that reports it, and the summary is ordered by source date and
position in the article.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from newsfuse import align, segment
from newsfuse.model import CleanArticle, Sentence, SummarySentence
from newsfuse.text import STOP_WORDS, all_stems, bigrams, content_stems, word_count, words


@dataclass(frozen=True, slots=True)
class Settings:
    words: int = 120
    focus: str | None = None
    # Candidate sentences: long enough to say something, short enough not to eat the budget.
    min_words: int = 6
    max_words: int = 60
    # Two candidates at least this similar are never both chosen.
    redundancy: float = 0.5
    # Weight of the news position prior (lead sentences carry the event), in concept units.
    position_weight: float = 1.0
    # Weight multiplier for concepts that share a stem with the focus query.
    focus_weight: float = 3.0
    # Keep the ILP small: only the best candidates by total concept weight enter it.
    max_candidates: int = 250
    time_limit: float = 5.0
    align: align.Settings = field(default_factory=align.Settings)


@dataclass(frozen=True, slots=True)
class Inputs:
    """What the summarizer needs beyond the articles: which sources may supply wording or
    count as independent support, and how noisy each source is (lower is cleaner)."""

    noise: Mapping[str, float] = field(default_factory=dict)
    not_wording: frozenset[str] = frozenset()  # duplicates, spun copies
    not_support: frozenset[str] = frozenset()  # duplicates: not independent


def summarize(
    articles: Sequence[CleanArticle],
    settings: Settings | None = None,
    inputs: Inputs | None = None,
) -> tuple[SummarySentence, ...]:
    settings = settings or Settings()
    inputs = inputs or Inputs()
    sentences = [s for a in articles for s in segment.split(a.text, a.id)]
    if not sentences:
        return ()
    idx = align.index(sentences)
    sim = idx.similarity()
    cands = _candidates(sentences, settings, inputs)
    chosen = _select(cands, sentences, sim, settings, articles)
    return _compose(chosen, sentences, idx, sim, articles, settings, inputs)


def _candidates(sentences: Sequence[Sentence], settings: Settings, inputs: Inputs) -> list[int]:
    ok = [i for i, s in enumerate(sentences) if _usable(s.text, settings)]
    preferred = [i for i in ok if sentences[i].source not in inputs.not_wording]
    return preferred or ok


def _usable(text: str, settings: Settings) -> bool:
    n = word_count(text)
    if not settings.min_words <= n <= settings.max_words or n > settings.words:
        return False
    stripped = text.rstrip("\"'”’) ")
    if not stripped.endswith((".", "!", "…")):
        return False  # questions, headings and captions do not make summary sentences
    return text[:1].isupper() or text[:1] in "\"“‘'(" or text[:1].isdigit()


# --- selection -----------------------------------------------------------------------------


def concepts(text: str) -> set[str]:
    """Stemmed bigrams with at least one content word: Gillick & Favre's concepts."""
    toks = [t.lower() for t in words(text)]
    stems = all_stems(text)
    out = set()
    for (a, b), (ta, tb) in zip(bigrams(stems), bigrams(toks), strict=True):
        if ta in STOP_WORDS and tb in STOP_WORDS:
            continue
        out.add(f"{a} {b}")
    return out


def _weights(
    sentences: Sequence[Sentence], articles: Sequence[CleanArticle], settings: Settings
) -> dict[str, float]:
    by_source: dict[str, set[str]] = defaultdict(set)
    tf: Counter[str] = Counter()
    for s in sentences:
        cs = concepts(s.text)
        by_source[s.source] |= cs
        tf.update(cs)
    df: Counter[str] = Counter(c for cs in by_source.values() for c in cs)
    n_sources = len(by_source)
    # A concept must recur: in two sources of a cluster, or twice in a lone article.
    min_count = 2
    base = df if n_sources > 1 else tf
    weights = {c: float(w) for c, w in base.items() if w >= min_count}
    if settings.focus:
        query = set(content_stems(settings.focus))
        for c in weights:
            if query & set(c.split()):
                weights[c] *= settings.focus_weight
    return weights


def _select(
    cands: list[int],
    sentences: Sequence[Sentence],
    sim: np.ndarray,
    settings: Settings,
    articles: Sequence[CleanArticle],
) -> list[int]:
    weights = _weights(sentences, articles, settings)
    sent_concepts = {i: concepts(sentences[i].text) & weights.keys() for i in cands}
    lengths = {i: word_count(sentences[i].text) for i in cands}
    prior = _position_prior(sentences, cands, weights, settings)
    value = {i: sum(weights[c] for c in sent_concepts[i]) + prior[i] for i in cands}
    pool = sorted(cands, key=lambda i: (-value[i], i))[: settings.max_candidates]
    pool = [i for i in pool if value[i] > 0] or pool[:1]
    if not pool:
        return []
    from newsfuse import ilp

    problem = ilp.Problem(
        items=tuple(pool),
        lengths=tuple(lengths[i] for i in pool),
        bonus=tuple(prior[i] for i in pool),
        concepts=tuple(tuple(sorted(sent_concepts[i])) for i in pool),
        weights=weights,
        budget=settings.words,
        conflicts=_redundant_pairs(pool, sim, settings.redundancy),
    )
    return list(ilp.solve(problem, settings.time_limit))


def _position_prior(
    sentences: Sequence[Sentence],
    cands: list[int],
    weights: Mapping[str, float],
    settings: Settings,
) -> dict[int, float]:
    """News puts the event first: a bonus that halves with each sentence into the article,
    scaled to the mean concept weight so it breaks ties rather than overrides coverage."""
    scale = float(np.mean(list(weights.values()))) if weights else 1.0
    return {i: settings.position_weight * scale * 0.5 ** sentences[i].index for i in cands}


def _redundant_pairs(
    pool: list[int], sim: np.ndarray, threshold: float
) -> tuple[tuple[int, int], ...]:
    sub = sim[np.ix_(pool, pool)]
    a, b = np.nonzero(np.triu(sub >= threshold, k=1))
    return tuple((int(x), int(y)) for x, y in zip(a, b, strict=True))


# --- wording, citations, order -------------------------------------------------------------


def _compose(
    chosen: list[int],
    sentences: Sequence[Sentence],
    idx: align.SentenceIndex,
    sim: np.ndarray,
    articles: Sequence[CleanArticle],
    settings: Settings,
    inputs: Inputs,
) -> tuple[SummarySentence, ...]:
    order = {a.id: n for n, a in enumerate(articles)}
    dates = {a.id: a.article.published or "9999" for a in articles}
    length = Counter(s.source for s in sentences)
    out = []
    for i in chosen:
        j = _cleanest_copy(i, sentences, sim, settings, inputs)
        s = sentences[j]
        others = set(align.supporters(j, idx, sim, settings.align.support))
        others |= set(align.supporters(i, idx, sim, settings.align.support))
        others.add(sentences[i].source)
        others.discard(s.source)
        cited = [s.source, *sorted(others - inputs.not_support, key=order.__getitem__)]
        out.append((dates[s.source], s.index / max(1, length[s.source]), order[s.source], s, cited))
    out.sort(key=lambda row: row[:3])
    return tuple(
        SummarySentence(s.text, s.source, s.start, s.end, tuple(cited)) for *_, s, cited in out
    )


def _cleanest_copy(
    i: int,
    sentences: Sequence[Sentence],
    sim: np.ndarray,
    settings: Settings,
    inputs: Inputs,
) -> int:
    """Among the copies of sentence i (including itself), the one from the cleanest source."""
    copies = [int(j) for j in np.flatnonzero(sim[i] >= settings.align.same)]
    copies = [j for j in copies if sentences[j].source not in inputs.not_wording] or [i]
    budget_ok = [
        j for j in copies if word_count(sentences[j].text) <= word_count(sentences[i].text)
    ]
    return min(budget_ok or [i], key=lambda j: (inputs.noise.get(sentences[j].source, 0.0), j != i))
