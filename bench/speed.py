"""Seconds per cluster for a whole briefing (clean, assess, summarize, facts, quotes, entities,
timeline), on the DUC and Multi-News dev clusters, after model load.

    python -m bench.speed [--sets duc2002,multinews-dev] [--limit N] [--no-models] [--no-lexrank]
    python -m bench.speed --large 100,300,1000 [--no-models]

``--no-models`` times the fast path (names without spaCy). Unless ``--no-lexrank``, sumy's
LexRank summary of the same cluster at the same word budget (the summarization benchmark's
baseline) is timed in the same run, taking turns with the briefing cluster by cluster, so that
the ratio is measured under the same machine load. ``--large`` briefs one big story
made of the first N documents of DUC 2006 and DUC 2007 main (topics mixed: the worst case for
the pairwise stages), each size in a fresh process, and reports seconds and peak memory.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.progress import track

from bench.summarization_data import Cluster, Doc
from bench.summarization_systems import SYSTEMS
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
    parser.add_argument("--large", default="", help="sizes of one big story, e.g. 100,300")
    parser.add_argument("--no-lexrank", dest="lexrank", action="store_false")
    args = parser.parse_args()
    settings = Settings().with_flags(models=not args.no_models)
    if args.large:
        large([int(n) for n in args.large.split(",")], settings)
        return
    warm = load("duc2002", 1)[0]
    brief_articles(warm, settings)  # warm-up: imports and model load
    _load_word_frequencies()
    if args.lexrank:
        _lexrank(warm, settings.summarize.words)
    print(
        "| data | clusters | docs/cluster | s/cluster mean | median | p95 | s per 10 docs "
        "| CPU s/cluster | LexRank s/cluster | LexRank / briefing | same, CPU time |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    try:
        for name in args.sets.split(","):
            _row(name, load(name, args.limit), settings, args.lexrank)
    except KeyboardInterrupt:
        console.print("interrupted; rows above are complete sets")


def _load_word_frequencies() -> None:
    """Load wordfreq's table (0.2-0.3 s, once per process) before timing, like the model: the
    spun-copy check reads it only when two sources share a reworded sentence, so the warm-up
    cluster may not load it, and the first cluster that does paid for the load."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return
    zipf_frequency("the", "en")


def _row(name: str, clusters: list[list[Article]], settings: Settings, lexrank: bool) -> None:
    times, cpu, docs, lex, lex_cpu = [], [], [], [], []
    for arts in track(clusters, description=name, console=console):
        wall, used = _timed(lambda arts=arts: brief_articles(arts, settings))
        times.append(wall)
        cpu.append(used)
        docs.append(len(arts))
        if lexrank:
            wall, used = _timed(lambda arts=arts: _lexrank(arts, settings.summarize.words))
            lex.append(wall)
            lex_cpu.append(used)
    per10 = sum(times) / sum(docs) * 10
    p95 = sorted(times)[int(0.95 * (len(times) - 1))]
    mean = statistics.mean(times)
    lex_cells = "- | - | -"
    if lex:
        ratio, ratio_cpu = sum(lex) / sum(times), sum(lex_cpu) / sum(cpu)
        lex_cells = f"{statistics.mean(lex):.3f} | {ratio:.1f}x | {ratio_cpu:.1f}x"
    print(
        f"| {name} | {len(times)} | {statistics.mean(docs):.1f} | {mean:.3f} | "
        f"{statistics.median(times):.3f} | {p95:.3f} | {per10:.3f} | "
        f"{statistics.mean(cpu):.3f} | {lex_cells} |",
        flush=True,
    )


def _timed(work: Callable[[], object]) -> tuple[float, float]:
    """Wall seconds and this process's CPU seconds for ``work()``; the CPU time is the fairer
    comparison on a machine that other jobs load."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def _lexrank(arts: list[Article], words: int) -> list[str]:
    """sumy's LexRank summary of the cluster (as `bench.summarization` runs it)."""
    docs = tuple(Doc(a.id, a.title, "", a.text) for a in arts)
    return SYSTEMS["lexrank"](Cluster("speed", docs, (), None), words)


def large(sizes: list[int], settings: Settings) -> None:
    """One story of N documents per size, each briefed in a child process (peak memory is the
    child's; sizes run in increasing order because the children's peak only grows)."""
    print("| documents | sentences | seconds | peak MB |")
    print("|---|---|---|---|")
    pool = [a for name in ("duc2006", "duc2007_main") for c in load(name, None) for a in c]
    ctx = multiprocessing.get_context("spawn")
    for n in sorted(sizes):
        queue = ctx.Queue()
        child = ctx.Process(target=_brief_timed, args=(pool[:n], settings, queue))
        child.start()
        seconds, sentences = queue.get()
        child.join()
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        print(f"| {min(n, len(pool))} | {sentences:,} | {seconds:.1f} | {peak:,} |", flush=True)


def _brief_timed(
    arts: list[Article], settings: Settings, queue: multiprocessing.Queue[tuple[float, int]]
) -> None:
    from newsfuse import segment

    start = time.perf_counter()
    briefing = brief_articles(arts, settings)
    seconds = time.perf_counter() - start
    assert briefing.summary
    queue.put((seconds, sum(len(segment.split(a.text, a.id)) for a in arts)))


if __name__ == "__main__":
    main()
