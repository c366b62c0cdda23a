"""Story clustering quality: newsfuse's online clustering against a scikit-learn baseline
(TF-IDF + average-link agglomerative clustering on cosine distance), B-cubed P/R/F1.

    python -m bench.clustering                  # every set below
    python -m bench.clustering --sets pooled,ecbplus-dev

Sets (read from ../shared/data at run time):

* ``pooled``: every document of every cluster of summarization/* pooled, each cluster a story.
  A document listed in several clusters (DUC 2002 lists 34 twice; every DUC 2007 update
  document is also in a DUC 2007 main topic, whose A/B/C subsets are time slices of it) is
  kept once, with the first cluster that lists it (files in name order).
* ``tuning``: the DUC 2002 + Multi-News part of ``pooled``, the set the settings are tuned on;
  the other sets show how far that carries.
* ``ecbplus-train``, ``ecbplus-dev``, ``ecbplus``: events/ecbplus-traindev, topics 1-22, 23-25
  and all; each seminal event a story, two look-alike events per topic (file order, body text
  only: the documents have no title and no date field).
* ``googlenews``: clustering/googlenews-ts, title + snippet (already lower-cased and stemmed).
* ``wikiref``: clustering/wikiref220, each topic a story (noise topics included as stories).

Baselines: ``agglo@0.9`` cuts the dendrogram at one cosine distance for every set (0.9 was the
best of 0.7/0.8/0.85/0.9 on ``pooled``); ``agglo@k`` is told the true number of stories, an
oracle no streaming system has. newsfuse runs with its default settings, in input order.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from newsfuse.model import Article
from newsfuse.stories import assign_stories
from newsfuse.stories.metrics import bcubed

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
Loaded = tuple[list[Article], list[str]]


def pooled() -> Loaded:
    arts, gold, seen = [], [], set()
    for path in sorted((DATA / "summarization").glob("*/clusters*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                c = json.loads(line)
                for d in c["docs"]:
                    if d["id"] in seen:
                        continue
                    seen.add(d["id"])
                    title, date = d.get("title") or None, d.get("date") or None
                    arts.append(Article(d["id"], d["text"], title, published=date))
                    gold.append(f"{path.parent.name}/{c['id']}")
    return arts, gold


def tuning() -> Loaded:
    """The DUC 2002 + Multi-News part of ``pooled``: what the default settings were tuned on
    (it has few dated documents, so it cannot judge the time penalty)."""
    arts, gold = pooled()
    keep = [i for i, g in enumerate(gold) if g.split("/")[0] in ("duc2002", "multinews-dev")]
    return [arts[i] for i in keep], [gold[i] for i in keep]


def ecbplus(split: str | None = None) -> Loaded:
    """ECB+ topics 1-25 (events/ecbplus-traindev), each seminal event a story: two look-alike
    events per topic. ``split`` "train" (topics 1-22, what settings may be fit on) or "dev"
    (23-25, to choose between them); None for all. The documents carry no title and no date."""
    path = DATA / "events" / "ecbplus-traindev" / "docs.jsonl"
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    rows = [r for r in rows if split is None or r["split"] == split]
    return [Article(r["doc_id"], r["text"]) for r in rows], [r["event_cluster"] for r in rows]


def googlenews() -> Loaded:
    path = DATA / "clustering" / "googlenews-ts" / "GoogleNews-TS.jsonl"
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    arts = [Article(str(i), r["text"]) for i, r in enumerate(rows)]
    return arts, [str(r["cluster"]) for r in rows]


def wikiref() -> Loaded:
    path = DATA / "clustering" / "wikiref220" / "wikiref220.jsonl"
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    return [Article(r["file"], r["text"]) for r in rows], [r["topic"] for r in rows]


SETS: dict[str, Callable[[], Loaded]] = {
    "pooled": pooled,
    "tuning": tuning,
    "ecbplus-train": lambda: ecbplus("train"),
    "ecbplus-dev": lambda: ecbplus("dev"),
    "ecbplus": ecbplus,
    "googlenews": googlenews,
    "wikiref": wikiref,
}


def baseline(arts: list[Article], k: int | None) -> list[int]:
    texts = [f"{a.title or ''}\n{a.text}" for a in arts]
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=2).fit_transform(texts)
    dist = 1.0 - (x @ x.T).toarray()
    np.clip(dist, 0.0, 2.0, out=dist)
    model = AgglomerativeClustering(
        n_clusters=k,
        distance_threshold=None if k else 0.9,
        metric="precomputed",
        linkage="average",
    )
    return [int(v) for v in model.fit_predict(dist)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default=",".join(SETS))
    args = ap.parse_args(argv)
    print("| set | docs | stories | system | found | B3 precision | B3 recall | B3 F1 | seconds |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in args.sets.split(","):
        arts, gold = SETS[name]()
        k = len(set(gold))
        systems: dict[str, Callable[[list[Article]], list[int]]] = {
            "newsfuse": lambda a: list(assign_stories(a)),
            "agglo@0.9": lambda a: baseline(a, None),
            "agglo@k": lambda a: baseline(a, k),  # noqa: B023 (called in this iteration)
        }
        for system, run in systems.items():
            start = time.perf_counter()
            pred = run(arts)
            secs = time.perf_counter() - start
            s = bcubed(pred, gold)
            print(
                f"| {name} | {len(arts):,} | {len(set(gold))} | {system} | {len(set(pred)):,} "
                f"| {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {secs:.1f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
