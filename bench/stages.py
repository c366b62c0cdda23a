"""Where a briefing's CPU time goes, stage by stage, against LexRank in the same run.

    python -m bench.stages multinews-dev            # every cluster of the set, fast path
    python -m bench.stages duc2007_update --limit 10 --models

Each stage's function is wrapped with a `time.process_time` counter for the run (the selection
inside the summary separately), the garbage collector is off so that its pauses do not land
in whichever stage allocates when one falls due, and the first cluster is run once untimed
(imports, caches, the table of places). Printed: CPU ms a cluster for the whole briefing,
sumy LexRank's summary (as `bench.speed` runs it) and each stage; in brackets, per 100 ms of
LexRank's time in the same run, which is what `bench.speed`'s ratio compares.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from bench.speed import _lexrank, load
from newsfuse import coverage, entities, facts, pipeline, quality, quotes, timeline
from newsfuse import summarize as summarize_module
from newsfuse.config import Settings

# (module, function, label): the functions `pipeline.brief_articles` calls for each stage.
STAGES: tuple[tuple[Any, str, str], ...] = (
    (pipeline, "clean_articles", "clean"),
    (quality, "assess", "quality"),
    (summarize_module, "summarize", "summarize"),
    (coverage, "solve", "  of which the selection"),
    (entities, "find_mentions", "names"),
    (entities, "resolve", "merged names"),
    (quotes, "extract", "quotes"),
    (facts, "extract", "facts"),
    (timeline, "extract", "timeline"),
)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.stages", description=__doc__)
    p.add_argument("set", help="duc2002, duc2007_update, multinews-dev, ...")
    p.add_argument("--limit", type=int, default=None, help="first N clusters")
    p.add_argument("--models", action="store_true", help="the spaCy path, not the fast path")
    args = p.parse_args(argv)
    spent: dict[str, float] = defaultdict(float)
    for module, name, label in STAGES:
        setattr(module, name, _timed(getattr(module, name), label, spent))
    settings = Settings().with_flags(models=args.models)
    clusters = load(args.set, args.limit)
    pipeline.brief_articles(clusters[0], settings)
    _lexrank(clusters[0], 120)
    spent.clear()
    gc.disable()
    briefing = lexrank = 0.0
    for cluster in clusters:
        t = time.process_time()
        pipeline.brief_articles(cluster, settings)
        briefing += time.process_time() - t
        t = time.process_time()
        _lexrank(cluster, 120)
        lexrank += time.process_time() - t
    gc.enable()
    n = len(clusters)
    print(f"{args.set}: {n} clusters, CPU ms a cluster (per 100 ms of LexRank's)")
    print(f"{'whole briefing':>26} {1000 * briefing / n:7.1f} ({100 * briefing / lexrank:.1f})")
    print(f"{'LexRank':>26} {1000 * lexrank / n:7.1f}   ratio {lexrank / briefing:.2f}x")
    for _, _, label in STAGES:
        ms = 1000 * spent[label] / n
        print(f"{label:>26} {ms:7.1f} ({100 * spent[label] / lexrank:.1f})")
    return 0


def _timed(f: Callable[..., Any], label: str, spent: dict[str, float]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        t = time.process_time()
        try:
            return f(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - t

    return timed


if __name__ == "__main__":
    raise SystemExit(main())
