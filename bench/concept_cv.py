"""Learned concept weights blended with the count weights, measured out-of-fold on every set.

    python -m bench.concept_cv --min-sources 2 --binary --variants none,shallow:0.75,within:1
    python -m bench.concept_cv --min-sources 2 --binary --focus --write --variants within:1
    python -m bench.summarization --sets all --systems newsfuse,newsfuse-oof --score-only
    python -m bench.concept_cv --paired newsfuse,newsfuse-oof     # per set: gain, s.e., halves
    python -m bench.concept_cv --min-sources 2 --binary --ship within:1   # the shipped file

Every cluster of DUC 2002, DUC 2006, DUC 2007 main, DUC 2007 update (subset A) and Multi-News
dev is assigned to one of ``--folds`` folds by its topic (a DUC 2007 topic's main and update
clusters share one fold: the update documents are also in the main topic), and is summarised
with a model trained on the other folds only — the regressor, its standardisation and the
lexical prior it reads as a feature (`newsfuse.lexicon.Lexicon`). So every ROUGE number
printed is out-of-fold. Targets: per candidate concept (the bigrams `summarize.recurring`
weighs, in ``--min-sources`` sources), the share of the cluster's reference summaries holding
it, or with ``--binary`` whether any does. Rows are weighted so that each cluster counts the
same. Variants are ``KIND:STRENGTH`` (``none`` = the count weights alone): ``linear`` is ridge
regression (NumPy), ``within`` ridge fitted on features and targets centred within each
cluster, ``trees`` and ``shallow`` gradient-boosted trees (sklearn's
HistGradientBoostingRegressor, exported to `newsfuse.concept_blend.Trees`, NumPy at run time).
ROUGE here is rouge-score's ROUGE-2 recall (Porter stemmer, cut to the word limit, mean over
references), the inner-loop scorer of bench/README.md; ``--write`` stores the last variant's
out-of-fold summaries as the ``newsfuse-oof`` systems for the official scorer.
"""

from __future__ import annotations

import argparse
import json
import pickle
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol, TypeVar

import numpy as np

from bench.summarization_data import SETS, Cluster
from newsfuse import concept_blend, segment
from newsfuse.clean import clean_articles
from newsfuse.lexicon import Lexicon
from newsfuse.model import Article, CleanArticle
from newsfuse.summarize import Settings, concepts, recurring, summarize, trim
from newsfuse.text import Tokens

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
CACHE = OUT / "concept_cv.pkl"
SHIP = ROOT / "src" / "newsfuse" / "data" / "concept_blend.json"
ALL_SETS = ("duc2002", "duc2006", "duc2007_main", "duc2007_update_A", "multinews-dev")
LEX = concept_blend.FEATURES.index("lexicon")
RANK_LEX = concept_blend.FEATURES.index("rank_lexicon")
L2 = 1.0  # ridge penalty on the standardised coefficients


@dataclass(frozen=True, slots=True)
class Prepared:
    """One cluster as the summarizer sees it, with its candidate concepts' features and
    targets (the lexicon column left at 0: it depends on the fold)."""

    set: str
    cluster: Cluster
    words: int
    articles: list[CleanArticle]
    names: list[str]
    x: np.ndarray
    y: np.ndarray  # share of references holding each concept

    @property
    def topic(self) -> str:
        return topic(self.cluster)

    @property
    def labels(self) -> dict[str, bool]:
        return {c: bool(v > 0) for c, v in zip(self.names, self.y, strict=True)}


def prepare(name: str, cluster: Cluster, min_sources: int = 3) -> Prepared:
    docs = cluster.docs
    articles = [
        Article(id=d.id, text=d.text, title=d.title, published=d.date[:10] or None) for d in docs
    ]
    cleaned = clean_articles(articles)
    sentences = [trim(s) for a in cleaned for s in segment.of(a)]
    toks = [Tokens.of(s.text) for s in sentences]
    sent_concepts = [concepts(s.text) for s in sentences]
    counts = recurring(sent_concepts, sentences, Settings(min_sources=min_sources))
    names = sorted(counts)
    titles = [Tokens.of(a.article.title) for a in cleaned if a.article.title]
    x = concept_blend.features(names, sent_concepts, sentences, toks, titles, counts, {})
    refs = [concepts(r) for r in cluster.refs]
    y = np.array([sum(c in r for r in refs) / len(refs) for c in names])
    return Prepared(name, cluster, SETS[name].words, cleaned, names, x, y)


def load_all(fresh: bool, min_sources: int = 3) -> list[Prepared]:
    cache = CACHE.with_suffix(f".{min_sources}.pkl")
    if cache.exists() and not fresh:
        with cache.open("rb") as fh:
            return [Prepared(*row) for row in pickle.load(fh)]
    out = [prepare(name, c, min_sources) for name in ALL_SETS for c in SETS[name].clusters()]
    cache.parent.mkdir(parents=True, exist_ok=True)
    with cache.open("wb") as fh:
        # plain tuples: the class is __main__'s when run with -m
        pickle.dump([tuple(getattr(p, f) for f in Prepared.__slots__) for p in out], fh)
    return out


def topic(cluster: Cluster) -> str:
    return cluster.id.split("-")[0]  # D0703A-A is topic D0703A of DUC 2007 main


class Evaluated(Protocol):
    """What `evaluate` needs of a prepared cluster (`Prepared` here, `bench.sentence_cv`'s)."""

    @property
    def set(self) -> str: ...
    @property
    def cluster(self) -> Cluster: ...
    @property
    def words(self) -> int: ...


E = TypeVar("E", bound=Evaluated)


def fold_of(p: Evaluated, folds: int) -> int:
    return zlib.crc32(topic(p.cluster).encode()) % folds


# --- training --------------------------------------------------------------------------------


def with_lexicon(p: Prepared, lexicon: Lexicon) -> np.ndarray:
    x = p.x.copy()
    x[:, LEX] = [sum(lexicon.log_ratio.get(w, 0.0) for w in c.split(" ")) for c in p.names]
    x[:, RANK_LEX] = concept_blend._ranks(x[:, [LEX]])[:, 0]
    return x


def train(
    clusters: Sequence[Prepared], kind: str, binary: bool = False
) -> tuple[concept_blend.Regressor, dict[str, float]]:
    lexicon = Lexicon.fit([p.labels for p in clusters])
    x = np.vstack([with_lexicon(p, lexicon) for p in clusters])
    y = np.concatenate([p.y > 0 if binary else p.y for p in clusters]).astype(np.float64)
    w = np.concatenate([np.full(len(p.y), 1.0 / max(1, len(p.y))) for p in clusters])
    w *= len(w) / w.sum()
    if kind == "within":
        return within(clusters, lexicon, binary), dict(lexicon.log_ratio)
    reg = ridge(x, y, w) if kind == "linear" else trees(x, y, w, shallow=kind == "shallow")
    return reg, dict(lexicon.log_ratio)


def ridge(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> concept_blend.Linear:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    penalty = np.eye(z.shape[1]) * L2
    penalty[-1, -1] = 0.0
    coef = np.linalg.solve((z * w[:, None]).T @ z + penalty, (z * w[:, None]).T @ y)
    return concept_blend.Linear(
        tuple(float(v) for v in coef[:-1]),
        float(coef[-1]),
        tuple(float(v) for v in mean),
        tuple(float(v) for v in scale),
    )


def within(clusters: Sequence[Prepared], lexicon: Lexicon, binary: bool) -> concept_blend.Linear:
    """Ridge on features and targets centred within each cluster (`centred_ridge`)."""
    xs = [with_lexicon(p, lexicon) for p in clusters if len(p.y)]
    ys = [(p.y > 0 if binary else p.y).astype(np.float64) for p in clusters if len(p.y)]
    return centred_ridge(xs, ys)


def centred_ridge(xs: Sequence[np.ndarray], ys: Sequence[np.ndarray]) -> concept_blend.Linear:
    """Ridge on features and targets centred within each cluster (one array of rows each): only
    how the rows of one cluster differ from each other is learned (what the selection sees),
    not how clusters differ; each cluster counts the same. The intercept is the mean target,
    so predictions stay on the target's scale."""
    x = np.vstack(xs)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.vstack([(a - a.mean(axis=0)) / scale for a in xs])
    y = np.concatenate([b - b.mean() for b in ys])
    w = np.concatenate([np.full(len(b), 1.0 / len(b)) for b in ys])
    w *= len(w) / w.sum()
    coef = np.linalg.solve((z * w[:, None]).T @ z + np.eye(z.shape[1]) * L2, (z * w[:, None]).T @ y)
    return concept_blend.Linear(
        tuple(float(v) for v in coef),
        float(np.concatenate(ys).mean()),
        tuple(float(v) for v in mean),
        tuple(float(v) for v in scale),
    )


def trees(x: np.ndarray, y: np.ndarray, w: np.ndarray, shallow: bool) -> concept_blend.Trees:
    """Gradient-boosted regression trees: 150 of up to 15 leaves, or (``shallow``) 60 of depth
    3, fast enough to run on every cluster."""
    from sklearn.ensemble import HistGradientBoostingRegressor

    size = {"max_iter": 60, "learning_rate": 0.12, "max_depth": 3} if shallow else {}
    params = {"max_iter": 150, "learning_rate": 0.05, "max_leaf_nodes": 15} | size
    model = HistGradientBoostingRegressor(min_samples_leaf=100, random_state=0, **params)
    model.fit(x, y, sample_weight=w)
    nodes = [pred.nodes for it in model._predictors for pred in it]
    width = max(len(n) for n in nodes)

    def pad(field: str, dtype: type) -> np.ndarray:
        out = np.zeros((len(nodes), width), dtype=dtype)
        for k, n in enumerate(nodes):
            out[k, : len(n)] = n[field]
        return out

    leaf = pad("is_leaf", bool)
    leaf[:, :] |= np.arange(width)[None, :] >= np.array([len(n) for n in nodes])[:, None]
    return concept_blend.Trees(
        feature=pad("feature_idx", np.int64),
        threshold=pad("num_threshold", np.float64),
        left=pad("left", np.int64),
        right=pad("right", np.int64),
        value=pad("value", np.float64),
        leaf=leaf,
        baseline=float(np.ravel(model._baseline_prediction)[0]),
    )


# --- evaluation ------------------------------------------------------------------------------


def rouge2(p: Evaluated, summary: Sequence[str], scorer: object) -> float:
    return _r2(p.cluster, summary, p.words, scorer)


def run(
    data: Sequence[Prepared],
    blends: dict[int, concept_blend.Blend | None],
    folds: int,
    focus: bool,
    scorer: object,
    write: bool = False,
) -> dict[str, float]:
    """Mean ROUGE-2 recall per set, each cluster summarised with its fold's blend."""

    def summarise(p: Prepared, settings: Settings) -> list[str]:
        blend = blends[fold_of(p, folds)]
        return [s.text for s in summarize(p.articles, replace(settings, blend=blend))]

    return evaluate(data, summarise, focus, scorer, write)


def evaluate(
    data: Sequence[E],
    summarise: Callable[[E, Settings], list[str]],
    focus: bool,
    scorer: object,
    write: bool = False,
) -> dict[str, float]:
    """Mean ROUGE-2 recall per set of ``summarise(cluster, settings)`` (the settings carry the
    word limit and, with ``focus``, the query; clusters without one are left out); with
    ``write``, each summary is also stored as ``bench/out/<set>/newsfuse-oof[-focus].jsonl``
    for `bench.summarization --score-only`."""
    per_set: dict[str, list[float]] = {}
    system = "newsfuse-oof-focus" if focus else "newsfuse-oof"
    if write:
        for name in {p.set for p in data}:
            (OUT / name).mkdir(parents=True, exist_ok=True)
            (OUT / name / f"{system}.jsonl").write_text("", encoding="utf-8")
    for p in data:
        if focus and p.cluster.query is None:
            continue
        settings = Settings(words=p.words, focus=p.cluster.query if focus else None)
        t0 = time.perf_counter()
        texts = summarise(p, settings)
        if write:
            row = {"cluster": p.cluster.id, "sentences": texts, "seconds": time.perf_counter() - t0}
            with (OUT / p.set / f"{system}.jsonl").open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(row) + "\n")
        per_set.setdefault(p.set, []).append(rouge2(p, texts, scorer))
    return {k: 100 * float(np.mean(v)) for k, v in per_set.items()}


def paired(a: str, b: str, scorer: object) -> None:
    """Per set, system b's ROUGE-2 recall minus system a's from their stored outputs
    (``bench/out/<set>/<system>.jsonl``): the mean difference over clusters, its standard
    error, and the mean over the odd and the even clusters (the noise between halves)."""
    for name in ALL_SETS:
        rows = [_stored(name, system) for system in (a, b)]
        clusters = [c for c in SETS[name].clusters() if all(c.id in r for r in rows)]
        if not clusters:
            continue
        words = SETS[name].words
        diff = np.array(
            [
                _r2(c, rows[1][c.id], words, scorer) - _r2(c, rows[0][c.id], words, scorer)
                for c in clusters
            ]
        )
        se = diff.std(ddof=1) / np.sqrt(len(diff)) if len(diff) > 1 else 0.0
        half = [100 * diff[k::2].mean() for k in (0, 1)]
        print(
            f"{name:>17} {len(diff):>3} clusters: {b} - {a} = {100 * diff.mean():+.2f} "
            f"(s.e. {100 * se:.2f}; halves {half[0]:+.2f} / {half[1]:+.2f})"
        )


def _stored(name: str, system: str) -> dict[str, list[str]]:
    path = OUT / name / f"{system}.jsonl"
    if not path.exists():
        return {}
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return {r["cluster"]: r["sentences"] for r in rows}


def _r2(cluster: Cluster, summary: Sequence[str], words: int, scorer: object) -> float:
    cand = " ".join(" ".join(summary).split()[:words])
    scores = [scorer.score(r, cand)["rouge2"].recall for r in cluster.refs]  # type: ignore[attr-defined]
    return sum(scores) / len(scores)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.concept_cv", description=__doc__)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--fresh", action="store_true", help="re-read and re-clean the clusters")
    ap.add_argument("--variants", default="none,linear:0.5,linear:1,trees:0.5,trees:1")
    ap.add_argument("--focus", action="store_true", help="with each query set's focus too")
    ap.add_argument("--binary", action="store_true", help="target: any reference holds it")
    ap.add_argument("--min-sources", type=int, default=3, help="the concepts the model weighs")
    ap.add_argument("--write", action="store_true", help="store the last variant's summaries")
    ap.add_argument("--paired", default=None, help="A,B: compare two systems' stored outputs")
    ap.add_argument("--ship", default=None, help="KIND:STRENGTH to train on all and write")
    args = ap.parse_args(argv)
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge2"], use_stemmer=True)
    if args.paired:
        paired(*args.paired.split(","), scorer)
        return 0
    t0 = time.perf_counter()
    data = load_all(args.fresh, args.min_sources)
    ms = args.min_sources
    print(f"{len(data)} clusters prepared in {time.perf_counter() - t0:.0f} s")
    if args.ship:
        kind, strength = args.ship.split(":")
        reg, lex = train(data, kind, args.binary)
        SHIP.write_text(
            concept_blend.Blend(reg, lex, float(strength), min_sources=ms).to_json(),
            encoding="utf-8",
        )
        print(f"trained on all {len(data)} clusters; wrote {SHIP} ({SHIP.stat().st_size} bytes)")
        return 0
    fitted: dict[str, dict[int, tuple[concept_blend.Regressor, dict[str, float]]]] = {}
    for variant in args.variants.split(","):
        kind, _, strength = variant.partition(":")
        blends: dict[int, concept_blend.Blend | None] = {}
        for f in range(args.folds):
            if kind == "none":
                blends[f] = None
                continue
            if f not in fitted.setdefault(kind, {}):
                fitted[kind][f] = train(
                    [p for p in data if fold_of(p, args.folds) != f], kind, args.binary
                )
            reg, lex = fitted[kind][f]
            blends[f] = concept_blend.Blend(reg, lex, float(strength), min_sources=ms)
        t0 = time.perf_counter()
        for focus in (False, True) if args.focus else (False,):
            scores = run(data, blends, args.folds, focus, scorer, args.write)
            print_row(f"{variant:>12}", focus, scores, time.perf_counter() - t0)
    return 0


def print_row(variant: str, focus: bool, scores: dict[str, float], took: float) -> None:
    """One variant's out-of-fold ROUGE per set and their mean, on one line."""
    cells = "  ".join(f"{k} {v:.2f}" for k, v in scores.items())
    mean = np.mean(list(scores.values()))
    tag = "focus" if focus else "generic"
    print(f"{variant} {tag:>7}  {cells}  mean {mean:.2f}  ({took:.0f} s)", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
