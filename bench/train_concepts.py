"""Train the concept-importance model (`newsfuse.concept_model`) on reference summaries.

    python -m bench.train_concepts                 # writes src/newsfuse/data/concepts.json
    python -m bench.train_concepts --out FILE      # elsewhere
    python -m bench.train_concepts --lexicon       # writes src/newsfuse/data/summary_words.json

Training clusters (and only these): every DUC 2002 cluster and the first half of Multi-News
dev (clusters 1-58 of 116, in file order). Everything else — DUC 2006, DUC 2007 main and
update, and the second half of Multi-News dev (`python -m bench.summarization --skip 58`) — is
held out for evaluation. For each cluster the candidate concepts are the recurring stemmed
bigrams that the summarizer weighs (`newsfuse.summarize.recurring`); a concept is a positive
when any reference summary of the cluster holds it. The model is an L2-regularised logistic
regression fitted by Newton's method (IRLS) on standardised features, in NumPy.
``--lexicon`` fits the per-stem prior the summarizer uses by default instead
(`newsfuse.concept_model.Lexicon.fit`), from the same clusters and labels.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.summarization_data import SETS, Cluster
from newsfuse import concept_model, segment
from newsfuse.clean import clean_articles
from newsfuse.model import Article, Sentence
from newsfuse.summarize import Settings, concepts, recurring, trim

DATA = Path(__file__).resolve().parents[1] / "src" / "newsfuse" / "data"
OUT = DATA / "concepts.json"
LEXICON = DATA / "summary_words.json"
TRAIN = (("duc2002", None), ("multinews-dev", 58))  # (set, first N clusters; None = all)
L2 = 1.0  # ridge penalty on the standardised coefficients


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.train_concepts", description=__doc__)
    p.add_argument("--out", type=Path, default=None, help=f"default {OUT} or {LEXICON}")
    p.add_argument("--lexicon", action="store_true", help="fit the lexicon, not the model")
    args = p.parse_args(argv)
    if args.lexicon:
        return _lexicon(args.out or LEXICON)
    args.out = args.out or OUT
    rows, labels = [], []
    for name, limit in TRAIN:
        for cluster in SETS[name].clusters(limit):
            x, y = cluster_rows(cluster)
            rows.append(x)
            labels.append(y)
    x, y = np.vstack(rows), np.concatenate(labels)
    model = fit(x, y)
    args.out.write_text(model.to_json(), encoding="utf-8")
    print(f"{len(y)} concepts, {int(y.sum())} in a reference ({y.mean():.1%}); wrote {args.out}")
    for name, c in zip(concept_model.FEATURES, model.coef, strict=True):
        print(f"{name:>15} {c:+.3f}")
    return 0


def _lexicon(out: Path) -> int:
    labelled = [
        _Prepared.of(cluster).labels
        for name, limit in TRAIN
        for cluster in SETS[name].clusters(limit)
    ]
    lexicon = concept_model.Lexicon.fit(labelled)
    out.write_text(lexicon.to_json(), encoding="utf-8")
    print(f"{len(labelled)} clusters, {len(lexicon.log_ratio)} stems; wrote {out}")
    return 0


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A training cluster as the summarizer sees it, with its labelled candidate concepts."""

    sentences: list[Sentence]
    sent_concepts: list[set[str]]
    titles: list[str]
    labels: dict[str, bool]  # candidate concept -> does a reference hold it (sorted keys)

    @classmethod
    def of(cls, cluster: Cluster) -> _Prepared:
        articles = [Article(id=d.id, text=d.text, title=d.title) for d in cluster.docs]
        cleaned = clean_articles(articles)
        sentences = [trim(s) for a in cleaned for s in segment.split(a.text, a.id)]
        sent_concepts = [concepts(s.text) for s in sentences]
        names = sorted(recurring(sent_concepts, sentences, Settings()))
        gold = set().union(*(concepts(r) for r in cluster.refs))
        titles = [a.article.title for a in cleaned if a.article.title]
        return cls(sentences, sent_concepts, titles, {c: c in gold for c in names})


def cluster_rows(cluster: Cluster) -> tuple[np.ndarray, np.ndarray]:
    """The features and labels of a cluster's candidate concepts."""
    c = _Prepared.of(cluster)
    x = concept_model.features(list(c.labels), c.sent_concepts, c.sentences, c.titles)
    return x, np.array(list(c.labels.values()), dtype=np.float64)


def fit(x: np.ndarray, y: np.ndarray, iterations: int = 25) -> concept_model.Model:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.eye(z.shape[1]) * L2
    penalty[-1, -1] = 0.0  # the intercept is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (p - y) + penalty @ w
        hess = (z * (p * (1 - p))[:, None]).T @ z + penalty
        w -= np.linalg.solve(hess, grad)
    return concept_model.Model(
        tuple(float(v) for v in w[:-1]),
        float(w[-1]),
        tuple(float(v) for v in mean),
        tuple(float(v) for v in scale),
    )


if __name__ == "__main__":
    raise SystemExit(main())
