"""Seconds per cluster for a whole briefing (clean, assess, summarize, facts, quotes, entities,
timeline), on the DUC and Multi-News dev clusters, after model load.

    python -m bench.speed [--sets duc2002,multinews-dev] [--limit N] [--no-models]

``--no-models`` times the fast path (names without spaCy).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from rich.console import Console
from rich.progress import track

from newsfuse.config import Settings
from newsfuse.model import Article
from newsfuse.pipeline import brief_articles

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "summarization"
SETS = ("duc2002", "duc2006", "duc2007_main", "duc2007_update", "multinews-dev")
console = Console(stderr=True)


def load(name: str, limit: int | None) -> list[list[Article]]:
    out = []
    with (DATA / name / "clusters.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            c = json.loads(line)
            out.append(
                [
                    Article(id=d["id"], text=d["text"], title=d.get("title") or None)
                    for d in c["docs"]
                ]
            )
            if limit and len(out) >= limit:
                break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--no-models", action="store_true", help="time the fast path")
    args = parser.parse_args()
    settings = Settings().with_flags(models=not args.no_models)
    brief_articles(load("duc2002", 1)[0], settings)  # warm-up: imports and model load
    print("| data | clusters | docs/cluster | s/cluster mean | median | p95 | s per 10 docs |")
    print("|---|---|---|---|---|---|---|")
    try:
        for name in args.sets.split(","):
            clusters = load(name, args.limit)
            times, docs = [], []
            for arts in track(clusters, description=name, console=console):
                start = time.perf_counter()
                brief_articles(arts, settings)
                times.append(time.perf_counter() - start)
                docs.append(len(arts))
            per10 = sum(times) / sum(docs) * 10
            p95 = sorted(times)[int(0.95 * (len(times) - 1))]
            print(
                f"| {name} | {len(times)} | {statistics.mean(docs):.1f} | "
                f"{statistics.mean(times):.3f} | {statistics.median(times):.3f} | {p95:.3f} | "
                f"{per10:.3f} |"
            )
    except KeyboardInterrupt:
        console.print("interrupted; rows above are complete sets")


if __name__ == "__main__":
    main()
