"""Fit the per-stem summary-word prior (`newsfuse.lexicon.Lexicon`) on reference summaries.

    python -m bench.train_lexicon              # writes src/newsfuse/data/summary_words.json
    python -m bench.train_lexicon --out FILE   # elsewhere

Training clusters (and only these): every DUC 2002 cluster and the first half of Multi-News
dev (clusters 1-58 of 116, in file order). Everything else — DUC 2006, DUC 2007 main and
update, and the second half of Multi-News dev (`python -m bench.summarization --skip 58`) — is
held out for evaluation. For each cluster the candidate concepts are the recurring stemmed
bigrams that the summarizer weighs (`newsfuse.summarize.recurring`); a concept is a positive
when any reference summary of the cluster holds it. (Until commit cdb3f52 its predecessor,
``bench.train_concepts``, also trained a logistic concept model, opt-in as
``Settings(learned=True)``; the blend of `newsfuse.concept_blend` replaced it, scoring as well
or better on every set.)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.summarization_data import SETS, Cluster
from newsfuse import lexicon, segment
from newsfuse.clean import clean_articles
from newsfuse.model import Article
from newsfuse.summarize import Settings, concepts, recurring, trim

OUT = Path(__file__).resolve().parents[1] / "src" / "newsfuse" / "data" / "summary_words.json"
TRAIN = (("duc2002", None), ("multinews-dev", 58))  # (set, first N clusters; None = all)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.train_lexicon", description=__doc__)
    p.add_argument("--out", type=Path, default=OUT, help=f"default {OUT}")
    args = p.parse_args(argv)
    labelled = [labels(cluster) for name, limit in TRAIN for cluster in SETS[name].clusters(limit)]
    fitted = lexicon.Lexicon.fit(labelled)
    args.out.write_text(fitted.to_json(), encoding="utf-8")
    print(f"{len(labelled)} clusters, {len(fitted.log_ratio)} stems; wrote {args.out}")
    return 0


def labels(cluster: Cluster) -> dict[str, bool]:
    """A cluster's candidate concepts (sorted), each labelled with whether a reference holds it."""
    articles = [Article(id=d.id, text=d.text, title=d.title) for d in cluster.docs]
    cleaned = clean_articles(articles)
    sentences = [trim(s) for a in cleaned for s in segment.split(a.text, a.id)]
    sent_concepts = [concepts(s.text) for s in sentences]
    names = sorted(recurring(sent_concepts, sentences, Settings()))
    gold = set().union(*(concepts(r) for r in cluster.refs))
    return {c: c in gold for c in names}


if __name__ == "__main__":
    raise SystemExit(main())
