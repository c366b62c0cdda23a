"""How often the briefing's entity labels agree with spaCy reading each article whole.

    python -m bench.entity_labels                      # 30 DUC 2002 + 40 Multi-News dev
    python -m bench.entity_labels --duc 59 --multinews 116
    python -m bench.entity_labels --splits             # "X of Y" names split, 205 clusters

No hand-labelled entity set ships with the benchmark data, so the reference is silver: the
label that spaCy's small English recogniser gives a name most often when it reads every
article whole (its own entities, before any of newsfuse's trimming, splitting, merging or
inference; the run stops if spaCy is not installed). For each path (fast: no model; model:
the recogniser on each article's first sentences, the capitalised-span path elsewhere) it
prints, over the top-10 entities of every cluster that the reference names too, the share with
the same label, and the confusions (reference -> path). Needs the ``all`` extra.
"""

from __future__ import annotations

import argparse
import itertools
import re
from collections import Counter

from bench.speed import load
from newsfuse import entities
from newsfuse.clean import clean_articles
from newsfuse.model import CleanArticle
from newsfuse.nlp import spacy_pipeline as models

_OF = re.compile(" of ")  # runs join across "of" alone: two names with it between were split
PATHS = {
    "fast": entities.Settings(use_model=False, limit=10),
    "model": entities.Settings(use_model=True, limit=10),
}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.entity_labels", description=__doc__)
    p.add_argument("--duc", type=int, default=30, help="DUC 2002 clusters (first N)")
    p.add_argument("--multinews", type=int, default=40, help="Multi-News dev clusters")
    p.add_argument("--splits", action="store_true", help="count names split at 'of' instead")
    args = p.parse_args(argv)
    if args.splits:
        return splits()
    if not models.available():
        raise SystemExit("the reference needs spaCy: pip install -e '.[all]'")
    clusters = [
        clean_articles(c)
        for name, n in (("duc2002", args.duc), ("multinews-dev", args.multinews))
        for c in load(name, n)
    ]
    silver = [reference(c) for c in clusters]
    print(f"{len(clusters)} clusters; reference: spaCy reading every article whole")
    print("| path | top-10 entities | named by the reference | same label | share |")
    print("|---|---|---|---|---|")
    for path, settings in PATHS.items():
        row, confusions = agreement(clusters, silver, settings)
        print(f"| {path} | {row[0]} | {row[1]} | {row[2]} | {row[2] / max(1, row[1]):.3f} |")
        print(f"  confusions: {dict(confusions.most_common())}")
    return 0


def splits() -> int:
    """Adjacent fast-path mentions with "of" between them ("Bob Dole" "of" "Kansas"): the
    names `entities` split, which it would otherwise have read as one."""
    pairs: Counter[str] = Counter()
    sets = (("duc2002", 59), ("duc2007_update", 30), ("multinews-dev", 116))
    clusters = [clean_articles(c) for name, n in sets for c in load(name, n)]
    for cluster in clusters:
        found = entities.find_mentions(cluster, PATHS["fast"])
        for article, mentions in zip(cluster, found, strict=True):
            for a, b in itertools.pairwise(mentions):
                if _OF.fullmatch(article.text, a.end, b.start):
                    pairs[f"{a.text} | {b.text}"] += 1
    print(f"{sum(pairs.values())} split pairs ({len(pairs)} distinct) in {len(clusters)} clusters")
    for pair, n in pairs.most_common():
        print(f"{n:>3}  {pair}")
    return 0


def reference(cluster: tuple[CleanArticle, ...]) -> dict[str, str]:
    """Each name spaCy finds reading the articles whole, with the label it gave it most often."""
    votes: dict[str, Counter[str]] = {}
    for doc in models.parse_texts([a.text for a in cluster]):
        for ent in doc.ents:
            label = entities.SPACY_LABELS.get(ent.label_)
            if label is not None:
                votes.setdefault(ent.text, Counter())[label] += 1
    return {name: v.most_common(1)[0][0] for name, v in votes.items()}


def agreement(
    clusters: list[tuple[CleanArticle, ...]],
    silver: list[dict[str, str]],
    settings: entities.Settings,
) -> tuple[tuple[int, int, int], Counter[str]]:
    total = named = same = 0
    confusions: Counter[str] = Counter()
    for cluster, reference in zip(clusters, silver, strict=True):
        for e in entities.extract(cluster, settings):
            total += 1
            if e.name not in reference:
                continue
            named += 1
            same += e.label == reference[e.name]
            if e.label != reference[e.name]:
                confusions[f"{reference[e.name]}->{e.label}"] += 1
    return (total, named, same), confusions


if __name__ == "__main__":
    raise SystemExit(main())
