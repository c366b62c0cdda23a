"""Story clustering at scale: articles per second and peak memory, end to end (read JSON Lines,
vectorize, assign), in this process or on a local Dask cluster.

    python -m bench.scale --sizes 10000,100000 --runners local,dask
    python -m bench.scale --sizes 1000000 --runners dask

The corpus is generated at run time by resampling real documents from ../shared/data (every
summarization cluster and WikiRef220): each article is a copy of a random document with about
a fifth of its paragraphs dropped, so that copies are near-duplicates, not identical. It is
written once to a temporary JSON Lines file (never committed) and each size reads a prefix of
it. Peak memory is the highest sum of resident memory over this process and its children
(the Dask workers), sampled every 0.2 s.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import psutil

from newsfuse.model import Article
from newsfuse.stories import Run, assign_stories
from newsfuse.stories import dask as dask_runner

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def pool() -> list[dict[str, str | None]]:
    docs = []
    for path in sorted((DATA / "summarization").glob("*/clusters*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                for d in json.loads(line)["docs"]:
                    docs.append({"title": d.get("title"), "text": d["text"], "date": d.get("date")})
    with (DATA / "clustering" / "wikiref220" / "wikiref220.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            docs.append({"title": None, "text": json.loads(line)["text"], "date": None})
    return docs


def generate(path: Path, n: int, seed: int = 7) -> None:
    rng, docs = random.Random(seed), pool()
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            d = docs[rng.randrange(len(docs))]
            paras = [p for p in d["text"].split("\n") if p.strip()] or [d["text"]]
            kept = [p for p in paras if rng.random() > 0.2] or paras[:1]
            record = {"id": f"r{i}", "title": d["title"], "text": "\n".join(kept)}
            record["published"] = d["date"]
            out.write(json.dumps(record) + "\n")


def read(path: Path, n: int) -> Iterator[Article]:
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= n:
                return
            r = json.loads(line)
            yield Article(r["id"], r["text"], r["title"], published=r["published"])


class PeakMemory:
    """Highest resident memory of this process tree, sampled in a thread."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(0.2):
            total = 0
            for p in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):  # a worker may exit between the calls
                    total += p.memory_info().rss
            self.peak = max(self.peak, total)


def measure(path: Path, n: int, runner: str, workers: int) -> dict[str, float | int | str]:
    run = Run()
    if runner == "dask":
        settings = dask_runner.Settings(workers=workers)
        run = Run(runner=partial(dask_runner.cluster, settings=settings))
    stories: set[int] = set()
    start = time.perf_counter()
    cpu0 = sum(os.times()[:4])
    with PeakMemory() as mem:
        for done, s in enumerate(assign_stories(read(path, n), run), start=1):
            stories.add(s)
            if done % 100_000 == 0:
                print(
                    f"  {runner} {done:,} articles, {time.perf_counter() - start:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )
    secs = time.perf_counter() - start
    cores = workers if runner == "dask" else 1
    return {
        "runner": runner if runner == "local" else f"dask x{workers}",
        "articles": n,
        "seconds": round(secs, 1),
        "articles/s": round(n / secs),
        "articles/s/core": round(n / secs / cores),
        "peak MB": round(mem.peak / 2**20),
        "stories": len(stories),
        # os.times() counts reaped children too: the Dask workers, once the cluster is closed
        "cpu s": round(sum(os.times()[:4]) - cpu0, 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--runners", default="local,dask")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "nf_scale.jsonl")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    if not args.corpus.exists() or sum(1 for _ in args.corpus.open()) < max(sizes):
        print(f"generating {max(sizes):,} articles into {args.corpus}", file=sys.stderr)
        generate(args.corpus, max(sizes))
    runners = args.runners.split(",")
    rows = [measure(args.corpus, n, r, args.workers) for n in sizes for r in runners]
    print("| " + " | ".join(rows[0]) + " |")
    print("|" + "---|" * len(rows[0]))
    for row in rows:
        cells = (f"{v:,}" if isinstance(v, int) else str(v) for v in row.values())
        print("| " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
