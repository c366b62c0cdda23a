"""Extractive multi-source summary: selection, wording, citations, order.

1. Candidates are the cleaned articles' sentences, a leading wire dateline (``DENVER (AP) --``)
   trimmed off; the trimmed text is still a contiguous substring of the cleaned text, so its
   offsets stay exact.
2. Concepts are stemmed word bigrams with at least one content word, weighted by the number of
   sources that contain them (Gillick & Favre 2009, "A Scalable Global Model for
   Summarization"); with a focus, a concept's weight grows with the query relevance of the
   sentences that hold it, so the summary covers what the sources say about the question.
3. Selection maximises the total weight of the concepts covered plus a small news position prior
   within the word budget (`coverage`: greedy with partial enumeration by default, the integer
   linear program on request). A concept counts once however many chosen sentences hold it, so
   redundancy costs budget and buys nothing; pairs of near-identical sentences are also
   forbidden outright.
4. Every chosen sentence is then worded from the cleanest copy that says the same thing, cites
   every independent source that reports it, and the summary is ordered by source date and
   position in the article.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp

from newsfuse import align, concept_blend, coverage, lexicon, readability, segment, support
from newsfuse.model import CleanArticle, Evidence, Sentence, SummarySentence
from newsfuse.text import (
    Tokens,
    content_stems,
    opens_with_prompt,
    stem,
    word_count,
)


@dataclass(frozen=True, slots=True)
class Settings:
    words: int = 120
    focus: str | None = None
    # Candidate sentences: long enough to say something, short enough not to eat the budget.
    min_words: int = 6
    max_words: int = 60
    # Two candidates at least this similar are never both chosen.
    redundancy: float = 0.5
    # Weight of the news position prior (lead sentences carry the event), in units of the mean
    # concept weight; 3 was best of 0, 1, 3, 6, 12 on DUC 2002 and DUC 2007 update A.
    position_weight: float = 3.0
    # With a focus: how much a fully query-relevant sentence multiplies its concepts' weights
    # (3 beat 1 and 6 on DUC 2006's query-focused run: ROUGE-2 recall 10.2 vs 9.9 and 10.1).
    focus_weight: float = 3.0
    # Keep the selection small: only the best candidates by value and by value per word enter,
    # this many per 100 words of budget (40 scores as well as 60 and 250 on DUC 2002 and DUC
    # 2007 update A at 100 words and solves 3x faster than 250; 25 loses 0.2 ROUGE-2; at 250
    # words on DUC 2006, 100 beat 60).
    max_candidates: int = 40
    # Concepts found in fewer sources than this are noise (Gillick & Favre use 3; 3 beat 2, 4
    # and 5 on DUC 2002 and DUC 2007 update A). With the lexicon below, 2 won on the tuning
    # clusters (ROUGE-2 recall, rouge-score: DUC 2002 9.45 vs 9.18, Multi-News dev 1-58 16.94
    # vs 16.70) but lost on the held-out DUC 2007 sets (update A 10.41 vs 11.61, main 12.64 vs
    # 13.08), so it stays 3: a choice the held-out sets informed (bench/README.md).
    min_sources: int = 3
    # Each source adds this much more to a concept's weight when the concept is in its lead
    # sentence (halving with each sentence further in): news states the event first. 3 lifted
    # DUC 2002 ROUGE-2 recall from 8.0 to 8.8 (rouge-score).
    concept_position: float = 3.0
    # Multiply each count weight by the learned lexical prior of its stems
    # (`lexicon.Lexicon`, shipped in newsfuse/data). With the exact solver, on the tuning
    # clusters, each half's lexicon fitted on the other half, it lifted ROUGE-2 recall
    # (rouge-score) from 8.95 to 9.17 on DUC 2002 and from 16.35 to 16.60 on Multi-News dev 1-58;
    # held out (official): DUC 2006 9.81 vs 9.68, DUC 2007 main 13.03 vs 12.86, update A 11.49
    # vs 10.95, Multi-News dev 59-116 15.98 vs 16.50. Off: with the greedy selection it lost on
    # all four held-out sets (rouge-score 11.28 vs 11.37, 9.97 vs 10.12, 12.68 vs 12.90, 16.27
    # vs 16.72; bench/README.md).
    lexicon: bool = False
    # Scale each count weight by a learned prediction of whether a reference summary holds the
    # concept (`concept_blend`; ``concept_blend.load()`` is the shipped one). None: counts only.
    # Off: out-of-fold over all five sets (official ROUGE-2 recall) it gained on each, none by
    # a clear margin: DUC 2002 9.47 vs 9.20, DUC 2006 10.34 vs 10.11, DUC 2007 main 12.96 vs
    # 12.94, update A 11.58 vs 11.32, Multi-News dev 17.16 vs 16.93; with a focus, update A
    # 10.33 vs 11.52 (bench/README.md, "Learned concept weights blended with the counts").
    blend: concept_blend.Blend | None = None
    # Solve the selection exactly (HiGHS, within 1% of the optimum) instead of by greedy with
    # partial enumeration: 10x slower or more, and ROUGE-2 lower or equal on all five benchmark
    # sets (`newsfuse.coverage`).
    exact: bool = False
    time_limit: float = 5.0  # seconds, for the exact solver
    align: align.Settings = field(default_factory=align.Settings)
    support: support.Settings = field(default_factory=support.Settings)


@dataclass(frozen=True, slots=True)
class Inputs:
    """What the summarizer needs beyond the articles: which sources may supply wording or
    count as independent support, and how noisy each source is (lower is cleaner)."""

    noise: Mapping[str, float] = field(default_factory=dict)
    not_wording: frozenset[str] = frozenset()  # duplicates, spun copies
    not_support: frozenset[str] = frozenset()  # duplicates: not independent
    # The run's sentence indexes and tokens, shared with the stages before (quality indexes
    # the same sentences).
    indexes: align.Indexes = field(default_factory=align.Indexes)


def summarize(
    articles: Sequence[CleanArticle],
    settings: Settings | None = None,
    inputs: Inputs | None = None,
) -> tuple[SummarySentence, ...]:
    settings = settings or Settings()
    inputs = inputs or Inputs()
    sentences = [trim(s) for a in articles for s in segment.of(a)]
    if not sentences:
        return ()
    toks = [inputs.indexes.tokens.of(s.text) for s in sentences]
    idx = inputs.indexes.of(sentences)
    a = settings.align
    sim = inputs.indexes.similarity(sentences, min(a.same, settings.redundancy))
    cands = _candidates(articles, sentences, settings, inputs)
    titles = [a.article.title for a in articles if a.article.title]
    needs = readability.antecedents(sentences)
    chosen = _select(cands, sentences, toks, sim, needs, settings, titles)
    return _compose(chosen, sentences, idx, sim, needs, articles, settings, inputs)


# --- candidates ----------------------------------------------------------------------------

# A wire dateline before the text: "DENVER (AP) --", "BRUSSELS, January 22 (Xinhua) --",
# "(AP) -- " (when the city ended the previous segment), "PHOENIX _ ". The agency form is
# explicit; the bare form needs an all-capitals place name so that prose is never cut.
_DATELINE = re.compile(
    r"^(?:[^()]{0,60}\((?:AP|Reuters|AFP|Xinhua|UPI|dpa|CNN)\)\s*(?:--|_|—|–|-|:)?"
    r"|[A-Z][A-Z'’.\- ]{2,30}(?:,[^_—–()]{1,30})?\s(?:--|_|—|–))\s+(?=[A-Z\"“`‘'\d])"
)


def trim(s: Sentence) -> Sentence:
    """The sentence without a leading wire dateline; text stays ``article.text[start:end]``."""
    m = _DATELINE.match(s.text)
    if m is None or m.end() >= len(s.text):
        return s
    return replace(s, start=s.start + m.end(), text=s.text[m.end() :])


def _candidates(
    articles: Sequence[CleanArticle],
    sentences: Sequence[Sentence],
    settings: Settings,
    inputs: Inputs,
) -> list[int]:
    quoted = _quoted(articles, sentences)
    ok = [i for i, s in enumerate(sentences) if i not in quoted and _usable(s.text, settings)]
    preferred = [i for i in ok if sentences[i].source not in inputs.not_wording]
    return preferred or ok


def _quoted(articles: Sequence[CleanArticle], sentences: Sequence[Sentence]) -> set[int]:
    """Sentences that open or close inside a quotation: cut from their speaker, they do not read
    on their own (`readability.quoted`)."""
    texts = {a.id: a.text for a in articles}
    by_source: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sentences):
        by_source[s.source].append(i)
    out: set[int] = set()
    for source, rows in by_source.items():
        inside = readability.quoted(texts[source], [sentences[i] for i in rows])
        out.update(rows[k] for k in inside)
    return out


# Photo captions read like sentences: "FILE - In this May 4, 2001, file photo, a man ...",
# "This image provided by the police shows ...", and wire style that ends a caption with a comma,
# the weekday and the date ("X speaks outside the station, Friday, May 2, 2014."), where prose
# says "on Friday".
_CAPTION = re.compile(
    r"(?:^|FILE\s*[-–—]\s*)(?:In this|This|These)\b.{0,120}?\b(?:file )?"
    r"(?:photos?|images?|pictures?|frame grab|video still)"
    r"(?:,|\s+(?:provided|released|taken|made|shows?|obtained|posted|from)\b)",
    re.IGNORECASE,
)
# Notes about the article or the outlet rather than the news: "(This story has been updated
# with ...)", "Editor's note: ...", "Correction: ...", "Send us a tip ...", and the credit and
# sign-off lines "X contributed to this report.", "... stay with X for more on this story."
_EDITORIAL = re.compile(
    r"\W*(this (story|article|post|report) (has been|was) (updated|corrected)|editor['’]?s note|"
    r"correction\s*:|an earlier version of this|send us a (secure )?tip)",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"\b(contributed (reporting )?to this (report|story|article)|for more on this story)\b",
    re.IGNORECASE,
)
_CAPTION_DATE = re.compile(
    r",\s*(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?,?\s+\d{1,2},?\s+\d{4}\.$"
)


# Words that a match of _CAPTION, or of _SIGN_OFF, holds: most sentences hold none, and testing
# for them in the lower-cased text is far cheaper than the searches. Case-insensitive matching
# also takes these letters for ASCII ones; a sentence holding one is searched anyway.
_CAPTION_WORDS = ("photo", "image", "picture", "frame grab", "video still")
_SIGN_OFF_WORDS = ("contributed", "for more on this story")
_FOLDED = ("İ", "ı", "ſ", "K")


def _needs(low: str, unsure: bool, needed: tuple[str, ...]) -> bool:
    return unsure or any(w in low for w in needed)


def _usable(text: str, settings: Settings) -> bool:
    n = word_count(text)
    if not settings.min_words <= n <= settings.max_words or n > settings.words:
        return False
    stripped = text.rstrip("\"'”’) ")
    if not stripped.endswith((".", "!")) or stripped.endswith(("...", "…")):
        return False  # questions, headings, captions and cut-off teasers ("... about the 1972...")
    low, unsure = text.lower(), any(c in text for c in _FOLDED)
    if _needs(low, unsure, _CAPTION_WORDS) and _CAPTION.search(text):
        return False
    if _CAPTION_DATE.search(stripped) or opens_with_prompt(text) or _EDITORIAL.match(text):
        return False
    if _needs(low, unsure, _SIGN_OFF_WORDS) and _SIGN_OFF.search(text):
        return False
    return text[:1].isupper() or text[:1] in "\"“‘'(`" or text[:1].isdigit()


# --- concepts and weights ------------------------------------------------------------------


def _concepts(t: Tokens) -> set[str]:
    """Stemmed bigrams with at least one content word: Gillick & Favre's concepts."""
    st, sw = t.stems, t.stop
    return {f"{st[k]} {st[k + 1]}" for k in range(len(st) - 1) if not (sw[k] and sw[k + 1])}


def concepts(text: str) -> set[str]:
    """Stemmed bigrams with at least one content word: Gillick & Favre's concepts."""
    return _concepts(Tokens.of(text))


def _weights(
    sent_concepts: Sequence[set[str]],
    sentences: Sequence[Sentence],
    toks: Sequence[Tokens],
    relevance: Sequence[float] | None,
    settings: Settings,
    titles: Sequence[str] = (),
) -> dict[str, float]:
    prior = lexicon.load() if settings.lexicon else None
    blend = settings.blend
    if blend is not None and blend.min_sources is not None:
        settings = replace(settings, min_sources=blend.min_sources)
    weights = recurring(sent_concepts, sentences, settings, prior)
    if blend is not None:
        heads = [Tokens.of(t) for t in titles]
        weights = blend.weights(weights, sent_concepts, sentences, toks, heads)
    if relevance is not None:
        best: dict[str, float] = defaultdict(float)
        for cs, r in zip(sent_concepts, relevance, strict=True):
            for c in cs & weights.keys():
                best[c] = max(best[c], r)
        for c in weights:
            weights[c] *= 1.0 + (settings.focus_weight - 1.0) * best[c]
    return weights


def recurring(
    sent_concepts: Sequence[set[str]],
    sentences: Sequence[Sentence],
    settings: Settings,
    prior: lexicon.Lexicon | None = None,
) -> dict[str, float]:
    """The concepts that recur in the cluster, weighted by the number of sources holding them
    (times the lexicon's prior for their stems, when given) plus a bonus for each source that
    holds them early (Gillick & Favre's weights with a news position prior): the concepts the
    learned blend re-weighs, and the fallback weights."""
    # source -> concept -> the first sentence holding it: filled from the last sentence to the
    # first, so that the earliest index is the one left
    first: dict[str, dict[str, int]] = defaultdict(dict)
    for s, cs in zip(reversed(sentences), reversed(sent_concepts), strict=True):
        first[s.source].update(dict.fromkeys(cs, s.index))
    n_sources = len(first)
    if n_sources > 1:
        base: Counter[str] = Counter(c for held in first.values() for c in held)
    else:
        base = Counter(c for cs in sent_concepts for c in cs)
    # A concept must recur: in min_sources sources of a cluster (fewer when the cluster is
    # small), or twice in a lone article.
    min_count = max(2, min(settings.min_sources, n_sources - 1))
    weights = {c: float(w) for c, w in base.items() if w >= min_count and not _attributes(c)}
    if prior is not None:
        weights = {c: w * prior.weight(c) for c, w in weights.items()}
    if settings.concept_position and n_sources > 1:
        for held in reversed(first.values()):  # sources in input order, as the sums were
            for c in held.keys() & weights.keys():
                weights[c] += settings.concept_position * 0.5 ** held[c]
    return weights


# Stems of the words that attribute rather than report: "police said", "told reporters",
# "according to" recur in every source of a story but almost never reach a human summary.
# Leaving them out of the concepts lifted ROUGE-2 recall (rouge-score) from 8.95 to 9.00 on
# DUC 2002 and from 16.35 to 16.59 on Multi-News dev 1-58; with the lexicon, 9.17 to 9.20 and
# 16.60 to 16.71. Adding "add", "report", "statement" and "spokesman" changed nothing.
_ATTRIBUTION = frozenset({"said", "say", "told", "tell", "accord"})


def _attributes(concept: str) -> bool:
    return any(t in _ATTRIBUTION for t in concept.split(" "))


# Words a DUC-style topic statement uses to give instructions rather than name its subject.
_INSTRUCTION = frozenset(
    """describe discuss identify explain include includ specify report mention give provide
    indicate list tell detail inform inform detail particular specific various including
    what which who whom how why when where""".split()
)


def _relevance(toks: Sequence[Tokens], focus: str) -> list[float]:
    """Each sentence's query relevance in [0, 1]: the IDF-weighted share of the query's stems it
    contains, scaled so the most relevant sentence of the cluster scores 1."""
    query = set(content_stems(focus)) - {stem(w) for w in _INSTRUCTION}
    bags = [set(t.content) for t in toks]
    n = len(toks)
    df = Counter(t for b in bags for t in b & query)
    idf = {t: math.log(1 + n / df[t]) for t in query if df[t]}
    raw = [sum(idf.get(t, 0.0) for t in b & query) for b in bags]
    top = max(raw, default=0.0)
    return [r / top for r in raw] if top > 0 else [0.0] * n


# --- selection -----------------------------------------------------------------------------


def _select(
    cands: list[int],
    sentences: Sequence[Sentence],
    toks: Sequence[Tokens],
    sim: sp.csr_matrix,
    needs: Mapping[int, int | None],
    settings: Settings,
    titles: Sequence[str] = (),
) -> list[int]:
    sent_concepts = [_concepts(t) for t in toks]
    relevance = _relevance(toks, settings.focus) if settings.focus else None
    weights = _weights(sent_concepts, sentences, toks, relevance, settings, titles)
    held = {i: tuple(sorted(sent_concepts[i] & weights.keys())) for i in cands}
    prior = _position_prior(sentences, cands, weights, settings)
    value = {i: sum(weights[c] for c in held[i]) + prior[i] for i in cands}
    length = {i: word_count(sentences[i].text) for i in cands}
    size = round(settings.max_candidates * max(1.0, settings.words / 100))
    pool = _with_antecedents(_pool(cands, value, length, size), needs, set(cands))
    if not pool:
        return []
    at = {i: k for k, i in enumerate(pool)}
    problem = coverage.Problem(
        items=tuple(pool),
        lengths=tuple(length[i] for i in pool),
        bonus=tuple(prior[i] for i in pool),
        concepts=tuple(held[i] for i in pool),
        weights=weights,
        budget=settings.words,
        conflicts=_redundant_pairs(pool, sim, settings.redundancy),
        requires=tuple((at[i], at[p]) for i in pool if (p := needs.get(i)) is not None),
    )
    if settings.exact:
        return list(coverage.solve_exact(problem, settings.time_limit))
    return list(coverage.solve(problem))


def _pool(
    cands: list[int], value: Mapping[int, float], length: Mapping[int, int], size: int
) -> list[int]:
    """The candidates that enter the selection: the best ``size`` by value and the best ``size`` by
    value per word. The rest are almost never chosen (measured with the exact solver on DUC
    2002: the objective moves by under 0.01%) and only slow the selection."""
    ranked = sorted(cands, key=lambda i: (-value[i], i))
    dense = sorted(cands, key=lambda i: (-value[i] / max(1, length[i]), i))
    pool = sorted({*ranked[:size], *dense[:size]})
    return [i for i in pool if value[i] > 0] or ranked[:1]


def _with_antecedents(
    pool: list[int], needs: Mapping[int, int | None], cands: set[int]
) -> list[int]:
    """The pool with, for each sentence that points back ("He said ...", "But ..."), the
    sentences it leans on; a sentence whose antecedent is not a candidate (an article's first
    sentence, a quotation, a caption) leaves the pool, since it would not read on its own."""
    out: set[int] = set()
    for i in pool:
        chain = [i]
        while chain[-1] in needs:
            p = needs[chain[-1]]
            if p is None or p not in cands:
                break
            chain.append(p)
        else:
            out.update(chain)
    return sorted(out)


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
    pool: list[int], sim: sp.csr_matrix, threshold: float
) -> tuple[tuple[int, int], ...]:
    """Pairs (a, b), a < b, of positions in ``pool`` whose sentences are at least ``threshold``
    similar, in order: read off the pool's rows (selecting the pool's columns of a sparse
    matrix cost more than the rest of this)."""
    rows = sim[pool]
    at = np.full(sim.shape[1], -1)
    at[pool] = np.arange(len(pool))
    a = np.repeat(np.arange(len(pool)), np.diff(rows.indptr))
    b = at[rows.indices]
    keep = (b > a) & (rows.data >= threshold)
    return tuple(sorted(zip(a[keep].tolist(), b[keep].tolist(), strict=True)))


# --- wording, citations, order -------------------------------------------------------------


def _compose(
    chosen: list[int],
    sentences: Sequence[Sentence],
    idx: align.SentenceIndex,
    sim: sp.csr_matrix,
    needs: Mapping[int, int | None],
    articles: Sequence[CleanArticle],
    settings: Settings,
    inputs: Inputs,
) -> tuple[SummarySentence, ...]:
    order = {a.id: n for n, a in enumerate(articles)}
    dates = {a.id: a.article.published or "9999" for a in articles}
    length = Counter(s.source for s in sentences)
    copies = [_cleanest_copy(i, sentences, sim, settings, inputs) for i in chosen]
    answers = support.Judge(idx, settings.support).judge_all(copies)
    out, place = {}, {}
    for i, j, answer in zip(chosen, copies, answers, strict=True):
        s = sentences[j]
        found = _cited(i, j, sentences, answer, inputs)
        cited = (s.source, *sorted(found, key=order.__getitem__))
        evidence = tuple(
            Evidence(x.source, x.text, x.start, x.end) for x in map(found.get, cited[1:]) if x
        )
        place[i] = (dates[s.source], s.index / max(1, length[s.source]), order[s.source])
        out[i] = SummarySentence(s.text, s.source, s.start, s.end, cited, evidence)
    return tuple(out[i] for i in sorted(out, key=lambda i: _placed(i, place, needs)))


def _placed(
    i: int, place: Mapping[int, tuple[str, float, int]], needs: Mapping[int, int | None]
) -> tuple[object, ...]:
    """The sort key of chosen sentence i: by source date, then position in its article, then
    source order; a sentence that points back ("It ...", "But ...") comes right after the
    sentence it leans on (always chosen with it), whatever the other sources between."""
    lean = needs.get(i)
    if lean is not None and lean in place:
        return (*_placed(lean, place, needs), 1)
    return (*place[i], 0)


def _cited(
    i: int,
    j: int,
    sentences: Sequence[Sentence],
    answer: Sequence[support.Support],
    inputs: Inputs,
) -> dict[str, Sentence]:
    """The independent sources other than sentence j's that report it, each with its passage:
    those the support judge accepts (``answer``, its answer for j), and sentence i's own when j
    is a cleaner copy of it."""
    found = {x.source: x.passage for x in answer if x.accepted}
    if i != j:
        found[sentences[i].source] = sentences[i]
    found.pop(sentences[j].source, None)
    return {src: p for src, p in found.items() if src not in inputs.not_support}


def _cleanest_copy(
    i: int,
    sentences: Sequence[Sentence],
    sim: sp.csr_matrix,
    settings: Settings,
    inputs: Inputs,
) -> int:
    """Among the copies of sentence i (including itself), the one from the cleanest source."""
    copies = [int(j) for j in align.above(sim, i, settings.align.same)]
    copies = [j for j in copies if sentences[j].source not in inputs.not_wording] or [i]
    budget_ok = [
        j for j in copies if word_count(sentences[j].text) <= word_count(sentences[i].text)
    ]
    return min(budget_ok or [i], key=lambda j: (inputs.noise.get(sentences[j].source, 0.0), j != i))
