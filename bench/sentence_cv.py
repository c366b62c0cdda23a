"""Learned sentence importance in the summary selection, measured out-of-fold on every set.

    python -m bench.sentence_cv --correlations --variants none,oracle-o/bonus:3,shallow-p/mult:0.5
    python -m bench.sentence_cv --focus --write --variants shallow-p/mult:0.5
    python -m bench.summarization --sets all --systems newsfuse,newsfuse-oof --score-only
    python -m bench.concept_cv --paired newsfuse,newsfuse-oof

Sentence regression (Ouyang et al. 2011; Cao et al. 2015; part of Hong & Nenkova 2014): a model
predicts, from features of one candidate sentence of a cluster, how much of the reference
summaries it holds, and the prediction enters the concept-coverage selection. Folds, the
per-cluster weighting, the rouge-score inner loop, ``--write`` and ``--paired`` are
`bench.concept_cv`'s: every cluster is summarised with a model trained on the other folds only.

Rows: the candidates `summarize` would consider (usable, not inside a quotation), one row of
`FEATURES` each. Targets: ``r`` the sentence's ROUGE-2 recall against the cluster's references
(rouge-score's tokens and stems, mean over references), ``p`` its bigram precision (share of
its bigrams found in any reference), ``o`` whether a greedy ROUGE-2 oracle summary takes it,
``c`` that minus whether the default selection takes it (a correction of the default); upper
case ``R``, ``P``: as ranks within the cluster. Variants are ``MODEL-TARGET/USE:ARG`` or
``none``. MODEL is ``ridge`` (NumPy), ``within`` (ridge on features and targets centred within
each cluster), ``shallow`` / ``trees`` (gradient-boosted trees, `bench.concept_cv.trees`,
exported to `newsfuse.concept_blend.Trees`) or ``oracle`` (the true target: a ceiling, not a
system). The prediction is min-max scaled within the cluster's candidates to ``q`` in [0, 1].
USE is ``bonus:W`` (each sentence's bonus, the position prior, gains ``W x mean concept weight
x q``), ``swap:W`` (the same bonus in place of the position prior), ``mult:S`` (each concept
weight times ``1 - S + S x`` the best ``q`` of the candidates holding it) or ``pool:F`` (only
the top share ``F`` of the candidates by ``q`` may be chosen).
"""

from __future__ import annotations

import argparse
import itertools
import math
import pickle
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from bench import concept_cv
from bench.concept_cv import ALL_SETS, OUT, evaluate, fold_of, print_row
from bench.summarization_data import SETS, Cluster
from newsfuse import align, concept_blend, readability, segment
from newsfuse import summarize as sm
from newsfuse.clean import clean_articles
from newsfuse.model import Article, CleanArticle, Sentence
from newsfuse.summarize import Settings, summarize, trim
from newsfuse.text import Tokens, content_stems, word_count, words

CACHE = OUT / "sentence_cv.pkl"

FEATURES = (
    "lead",  # 0.5 ** index in its article
    "log_index",  # log(1 + index)
    "relative",  # index / sentences in its article
    "first",  # the article's first sentence
    "article_date",  # its article's date rank among the sources (0 earliest, 1 latest)
    "article_order",  # its article's place in the input / sources
    "article_length",  # log(1 + sentences in its article)
    "log_words",  # log of its length in words
    "weight_sum",  # sum of the count weights of its concepts, over the cluster's mean weight
    "weight_mean",  # their mean (0 without any)
    "weight_max",  # the largest
    "weighted",  # how many of its concepts carry a count weight
    "density",  # weight_sum per word
    "bigram_share",  # mean over all its concepts of the share of sources holding each
    "support_05",  # share of the other sources with a sentence at cosine >= 0.5 to it
    "support_02",  # the same at >= 0.2
    "max_other",  # its best cosine to another source's sentence
    "copies",  # log(1 + sentences at >= 0.7 to it)
    "centroid",  # cosine to the cluster's content-stem centroid
    "lead_mean",  # mean TF-IDF cosine to the other sources' lead sentences
    "lead_max",  # the best of them
    "title",  # best share of a title's content stems it holds
    "numbers",  # log(1 + tokens with a digit)
    "capitals",  # share of its words after the first that are capitalised
    "quote",  # holds a quotation mark
    "points_back",  # opens by leaning on the sentence before ("But", "He")
    "said",  # holds an attribution verb
    "log_sources",  # log(1 + sources in the cluster)
    "log_sentences",  # log(1 + sentences in the cluster)
    "rank_weight",  # within-cluster ranks (0 lowest, 1 highest) of the columns in _RANKED
    "rank_density",
    "rank_centroid",
    "rank_support",
    "rank_other",
)
_RANKED = ("weight_sum", "density", "centroid", "support_02", "max_other")
_SAID = frozenset({"said", "says", "say", "told", "tells", "according"})
_QUOTES = frozenset('"“”‘’`')


@dataclass(frozen=True, slots=True)
class Prepared:
    """One cluster as the summarizer sees it: its candidates (positions in summarize's list of
    trimmed sentences), their features and targets (columns: ROUGE-2 recall, precision, taken
    by the oracle)."""

    set: str
    cluster: Cluster
    words: int
    articles: Sequence[CleanArticle]
    n_sentences: int
    cands: np.ndarray
    x: np.ndarray
    y: np.ndarray


def prepare(name: str, cluster: Cluster, tokenize: Callable[[str], list[str]]) -> Prepared:
    docs = cluster.docs
    articles = [
        Article(id=d.id, text=d.text, title=d.title, published=d.date[:10] or None) for d in docs
    ]
    cleaned = clean_articles(articles)
    words_ = SETS[name].words
    sentences = [trim(s) for a in cleaned for s in segment.of(a)]
    cands = sm._candidates(cleaned, sentences, Settings(words=words_), sm.Inputs())
    x = features(cleaned, sentences, cands)
    refs = [Counter(_grams(tokenize(r))) for r in cluster.refs]
    grams = [Counter(_grams(tokenize(sentences[i].text))) for i in cands]
    y = np.array([_targets(g, refs) for g in grams]).reshape(-1, 2)
    lengths = [word_count(sentences[i].text) for i in cands]
    y = np.column_stack([y, _oracle(grams, lengths, refs, words_)])
    return Prepared(name, cluster, words_, cleaned, len(sentences), np.asarray(cands), x, y)


def _oracle(
    grams: Sequence[Counter[tuple[str, str]]],
    lengths: Sequence[int],
    refs: Sequence[Counter[tuple[str, str]]],
    budget: int,
) -> np.ndarray:
    """1 for the sentences a greedy ROUGE-2 oracle takes (best recall gain per word first,
    within the budget), else 0: importance net of redundancy (Ren et al. 2016)."""
    chosen = np.zeros(len(grams))
    summary: Counter[tuple[str, str]] = Counter()
    sizes = [max(1, sum(r.values())) for r in refs]
    used = 0

    def gain(g: Counter[tuple[str, str]]) -> float:
        return sum(
            sum(min(summary[b] + n, r[b]) - min(summary[b], r[b]) for b, n in g.items() if b in r)
            / size
            for r, size in zip(refs, sizes, strict=True)
        )

    while True:
        gains = [
            gain(g) / max(1, n) if not chosen[k] and used + n <= budget else 0.0
            for k, (g, n) in enumerate(zip(grams, lengths, strict=True))
        ]
        k = int(np.argmax(gains)) if gains else 0
        if not gains or gains[k] <= 0:
            return chosen
        chosen[k] = 1.0
        summary += grams[k]
        used += lengths[k]


def _grams(tokens: list[str]) -> list[tuple[str, str]]:
    return list(itertools.pairwise(tokens))


def _targets(
    grams: Counter[tuple[str, str]], refs: Sequence[Counter[tuple[str, str]]]
) -> tuple[float, float]:
    recall = [sum((grams & r).values()) / max(1, sum(r.values())) for r in refs]
    union = set().union(*refs) if refs else set()
    precision = sum(n for g, n in grams.items() if g in union) / max(1, sum(grams.values()))
    return 100 * sum(recall) / max(1, len(recall)), precision


def features(
    articles: Sequence[CleanArticle], sentences: Sequence[Sentence], cands: Sequence[int]
) -> np.ndarray:
    """One row of `FEATURES` per candidate."""
    toks = [Tokens.of(s.text) for s in sentences]
    sent_concepts = [sm._concepts(t) for t in toks]
    weights = sm.recurring(sent_concepts, sentences, Settings())
    # exact sums (fsum) over sorted concepts: the same features whatever the hash seed
    mean_w = math.fsum(weights.values()) / len(weights) if weights else 1.0
    share = _source_share(sent_concepts, sentences)
    idx = align.Indexes().of(sentences)
    sim = idx.similarity(0.2)
    lead = _lead_cosines(idx.matrix, sentences)
    src = [s.source for s in sentences]
    n_src = len(set(src))
    per_article = Counter(src)
    order = {a.id: k for k, a in enumerate(articles)}
    by_date = sorted(articles, key=lambda a: (a.article.published or "9999", order[a.id]))
    date_rank = {a.id: k / max(1, len(articles) - 1) for k, a in enumerate(by_date)}
    cos = concept_blend._centroid_cosines(concept_blend._Stems.of(toks), len(toks))
    titles = [set(content_stems(a.article.title)) for a in articles if a.article.title]
    needs = readability.antecedents(sentences)
    rows = []
    for i in cands:
        s, t = sentences[i], toks[i]
        held = [weights[c] / mean_w for c in sorted(sent_concepts[i]) if c in weights]
        n = max(1, word_count(s.text))
        other, sup5, sup2, copies = _support(sim, i, src, n_src)
        ws = [w for w in words(s.text)]
        stems = set(t.content)
        rows.append(
            [
                0.5**s.index,
                math.log1p(s.index),
                s.index / per_article[s.source],
                float(s.index == 0),
                date_rank[s.source],
                order[s.source] / max(1, len(articles) - 1),
                math.log1p(per_article[s.source]),
                math.log(n),
                math.fsum(held),
                math.fsum(held) / len(held) if held else 0.0,
                max(held, default=0.0),
                len(held),
                math.fsum(held) / n,
                math.fsum(share[c] for c in sent_concepts[i]) / max(1, len(sent_concepts[i])),
                sup5,
                sup2,
                other,
                copies,
                float(cos[i]),
                *lead[i],
                max((len(stems & h) / len(h) for h in titles if h), default=0.0),
                math.log1p(sum(any(ch.isdigit() for ch in w) for w in ws)),
                sum(w[:1].isupper() for w in ws[1:]) / max(1, len(ws) - 1),
                float(any(ch in _QUOTES for ch in s.text)),
                float(i in needs),
                float(any(w.lower() in _SAID for w in ws)),
                math.log1p(n_src),
                math.log1p(len(sentences)),
            ]
        )
    out = np.asarray(rows, dtype=np.float64).reshape(len(cands), len(FEATURES) - len(_RANKED))
    ranked = out[:, [FEATURES.index(f) for f in _RANKED]]
    return np.hstack([out, concept_blend._ranks(ranked)])


def _lead_cosines(matrix: sp.csr_matrix, sentences: Sequence[Sentence]) -> np.ndarray:
    """Per sentence: mean and best cosine to the lead sentences of the other sources."""
    leads = [k for k, s in enumerate(sentences) if s.index == 0]
    cos = np.asarray((matrix @ matrix[leads].T).todense()).reshape(len(sentences), len(leads))
    lead_src = np.array([sentences[k].source for k in leads])
    other = np.array([s.source for s in sentences])[:, None] != lead_src[None, :]
    n = np.maximum(other.sum(axis=1), 1)
    masked = np.where(other, cos, 0.0)
    return np.column_stack([masked.sum(axis=1) / n, masked.max(axis=1, initial=0.0)])


def _source_share(
    sent_concepts: Sequence[set[str]], sentences: Sequence[Sentence]
) -> dict[str, float]:
    holders: dict[str, set[str]] = {}
    for cs, s in zip(sent_concepts, sentences, strict=True):
        for c in cs:
            holders.setdefault(c, set()).add(s.source)
    n = max(1, len({s.source for s in sentences}))
    return {c: len(h) / n for c, h in holders.items()}


def _support(
    sim: sp.csr_matrix, i: int, src: Sequence[str], n_src: int
) -> tuple[float, float, float, float]:
    row = sim.getrow(i)
    best: dict[str, float] = {}
    copies = 0
    for j, v in zip(row.indices, row.data, strict=True):
        copies += v >= 0.7 and j != i
        if src[j] != src[i]:
            best[src[j]] = max(best.get(src[j], 0.0), float(v))
    others = max(1, n_src - 1)
    return (
        max(best.values(), default=0.0),
        sum(v >= 0.5 for v in best.values()) / others,
        len(best) / others,
        math.log1p(copies),
    )


def load_all(fresh: bool) -> list[Prepared]:
    if CACHE.exists() and not fresh:
        with CACHE.open("rb") as fh:
            return [Prepared(*row) for row in pickle.load(fh)]
    from rouge_score import tokenizers

    tok = tokenizers.DefaultTokenizer(use_stemmer=True)
    out = []
    for name in ALL_SETS:
        for c in SETS[name].clusters():
            out.append(prepare(name, c, tok.tokenize))
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    with CACHE.open("wb") as fh:
        pickle.dump([tuple(getattr(p, f) for f in Prepared.__slots__) for p in out], fh)
    return out


# --- training --------------------------------------------------------------------------------

# The targets' columns in `Prepared.y`; upper case: as ranks within the cluster.
TARGETS = {"r": 0, "p": 1, "R": 0, "P": 1, "o": 2, "c": 3}


def target(p: Prepared, name: str) -> np.ndarray:
    y = p.y[:, TARGETS[name]]
    if name.isupper():
        ranked: np.ndarray = concept_blend._ranks(y[:, None])[:, 0]
        return ranked
    return y


def with_default(p: Prepared) -> Prepared:
    """``p`` with a fourth target column: the oracle's choice minus the default selection's
    (1: a sentence the default misses, -1: one it takes in vain)."""
    got: list[list[int]] = []
    original = sm._select

    def spy(*args: Any) -> list[int]:
        out: list[int] = original(*args)
        got.append(out)
        return out

    sm._select = spy  # type: ignore[assignment]
    try:
        summarize(p.articles, Settings(words=p.words))
    finally:
        sm._select = original
    taken = set(got[0]) if got else set()
    default = np.array([float(i in taken) for i in p.cands.tolist()])
    return replace(p, y=np.column_stack([p.y[:, :3], p.y[:, 2] - default]))


def train(clusters: Sequence[Prepared], kind: str, name: str) -> concept_blend.Regressor:
    used = [p for p in clusters if len(p.cands) > 1]
    if kind == "within":
        return concept_cv.centred_ridge([p.x for p in used], [target(p, name) for p in used])
    x = np.vstack([p.x for p in used])
    y = np.concatenate([target(p, name) for p in used])
    w = np.concatenate([np.full(len(p.cands), 1.0 / len(p.cands)) for p in used])
    w *= len(w) / w.sum()
    if kind == "ridge":
        return concept_cv.ridge(x, y, w)
    return concept_cv.trees(x, y, w, shallow=kind == "shallow")


def scaled(values: np.ndarray) -> np.ndarray:
    """Min-max scaled to [0, 1] (all 0.5 when flat, empty when empty)."""
    if len(values) == 0:
        return np.zeros(0)
    lo, hi = float(values.min()), float(values.max())
    if hi - lo <= 1e-12:
        return np.full(len(values), 0.5)
    out: np.ndarray = (values - lo) / (hi - lo)
    return out


# --- use in the selection --------------------------------------------------------------------

_PRIOR, _WEIGHTS, _CANDIDATES = sm._position_prior, sm._weights, sm._candidates


@contextmanager
def patched(use: str, arg: float, q: Mapping[int, float]) -> Iterator[None]:
    """`summarize` with the scaled predictions ``q`` (by position in its sentence list) used as
    ``use`` says, for the duration."""

    def prior(
        sentences: Sequence[Sentence], cands: list[int], weights: Any, st: Any
    ) -> dict[int, float]:
        base = _PRIOR(sentences, cands, weights, st)
        scale = float(np.mean(list(weights.values()))) if weights else 1.0
        keep = 0.0 if use == "swap" else 1.0
        return {i: keep * base[i] + arg * scale * q.get(i, 0.0) for i in cands}

    def weights(sent_concepts: Sequence[set[str]], *rest: Any) -> dict[str, float]:
        out = _WEIGHTS(sent_concepts, *rest)
        best: dict[str, float] = {}
        for i, v in q.items():
            for c in sent_concepts[i] & out.keys():
                best[c] = max(best.get(c, 0.0), v)
        return {c: w * (1 - arg + arg * best.get(c, 0.0)) for c, w in out.items()}

    def candidates(*args: Any) -> list[int]:
        out = _CANDIDATES(*args)
        cut = np.quantile(list(q.values()), 1 - arg) if q else 0.0
        return [i for i in out if q.get(i, 1.0) >= cut] or out

    name, fn = {
        "bonus": ("_position_prior", prior),
        "swap": ("_position_prior", prior),
        "mult": ("_weights", weights),
        "pool": ("_candidates", candidates),
    }[use]
    original = getattr(sm, name)
    setattr(sm, name, fn)
    try:
        yield
    finally:
        setattr(sm, name, original)


def summariser(
    variant: str, data: Sequence[Prepared], folds: int, cache: dict[tuple[str, int], Any]
) -> Callable[[Prepared, Settings], list[str]]:
    """How the variant summarises a cluster: the fold's model's scaled predictions, used."""
    if variant == "none":
        return lambda p, st: [s.text for s in summarize(p.articles, st)]
    model, _, how = variant.partition("/")
    kind, _, name = model.partition("-")
    use, _, arg = how.partition(":")

    def summarise(p: Prepared, st: Settings) -> list[str]:
        if kind == "oracle":
            pred = target(p, name)
        else:
            f = fold_of(p, folds)
            key = (model, f)
            if key not in cache:
                cache[key] = train([o for o in data if fold_of(o, folds) != f], kind, name)
            pred = cache[key].predict(p.x)
        q = dict(zip(p.cands.tolist(), scaled(np.asarray(pred)).tolist(), strict=True))
        with patched(use, float(arg), q):
            return [s.text for s in summarize(p.articles, st)]

    return summarise


def correlations(data: Sequence[Prepared], folds: int, cache: dict[tuple[str, int], Any]) -> None:
    """Out-of-fold, per set: mean within-cluster Spearman correlation of each model's prediction
    with the recall target, against the position prior's and the concept weight sum's."""
    cols = {k: FEATURES.index(k) for k in ("lead", "weight_sum", "density", "lead_mean")}
    for name, group in itertools.groupby(data, key=lambda p: p.set):
        rows: dict[str, list[float]] = {}
        for p in group:
            if len(p.cands) < 3:
                continue
            f = fold_of(p, folds)
            preds = {k: p.x[:, c] for k, c in cols.items()}
            for model in ("within-r", "shallow-r", "within-p", "shallow-P"):
                key = (model, f)
                if key not in cache:
                    kind, name_ = model.split("-")
                    rest = [o for o in data if fold_of(o, folds) != f]
                    cache[key] = train(rest, kind, name_)
                preds[model] = cache[key].predict(p.x)
            for k, v in preds.items():
                rows.setdefault(k, []).append(_spearman(v, p.y[:, 0]))
                rows.setdefault(k + "~p", []).append(_spearman(v, p.y[:, 1]))
        cells = "  ".join(f"{k} {np.nanmean(v):.3f}" for k, v in rows.items())
        print(f"{name:>17}  spearman with recall (~p: precision): {cells}", flush=True)


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    ra = concept_blend._ranks(a[:, None])[:, 0]
    rb = concept_blend._ranks(b[:, None])[:, 0]
    if ra.std() == 0 or rb.std() == 0:
        return float("nan")
    return float(np.corrcoef(ra, rb)[0, 1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.sentence_cv", description=__doc__)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--fresh", action="store_true", help="re-read and re-clean the clusters")
    ap.add_argument("--variants", default="none,oracle-r/bonus:3,within-r/bonus:3")
    ap.add_argument("--sets", default=",".join(ALL_SETS))
    ap.add_argument("--focus", action="store_true", help="with each query set's focus too")
    ap.add_argument("--write", action="store_true", help="store the last variant's summaries")
    ap.add_argument("--correlations", action="store_true", help="rank quality, out-of-fold")
    args = ap.parse_args(argv)
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge2"], use_stemmer=True)
    t0 = time.perf_counter()
    everything = load_all(args.fresh)
    if any(v.partition("/")[0].endswith("-c") for v in args.variants.split(",")):
        everything = [with_default(p) for p in everything]
    sets = set(args.sets.split(","))
    data = [p for p in everything if p.set in sets]
    print(f"{len(data)} clusters prepared in {time.perf_counter() - t0:.0f} s", flush=True)
    cache: dict[tuple[str, int], Any] = {}
    if args.correlations:
        correlations(everything, args.folds, cache)
    for variant in args.variants.split(","):
        summarise = summariser(variant, everything, args.folds, cache)
        for focus in (False, True) if args.focus else (False,):
            t0 = time.perf_counter()
            scores = evaluate(data, summarise, focus, scorer, args.write)
            print_row(f"{variant:>22}", focus, scores, time.perf_counter() - t0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
