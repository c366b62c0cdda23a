"""Fuzz the readers and the cleaner: ``python -m bench.fuzz [--n 10000] [--seed 0]``.

For each reader (text, HTML, JSON Lines, WARC; RSS feeds are parsed for their links) it
decodes, reads and cleans ``n`` generated inputs (bench/hostile.py: mutated seed documents,
random bytes, foreign encodings), then the named hostile cases at full size. Any exception
other than the reader's one-line `InputError` is a bug and is printed with the input's seed;
the slowest input shows that nothing hangs. ``--briefings N`` then runs N whole briefings
(every stage, JSON, Markdown and HTML) of generated clusters of news-like text full of odd
tokens (``--models`` for the spaCy path).
"""

from __future__ import annotations

import argparse
import random
import time
import traceback

from bench.hostile import cases, generated, odd_cluster, run_reader
from newsfuse.config import Settings
from newsfuse.pipeline import brief_articles
from newsfuse.writers import html


def fuzz(fmt: str, n: int, seed: int) -> None:
    start = time.perf_counter()
    ok = problems = crashes = 0
    slowest = 0.0
    for i, data in enumerate(generated(fmt, n, seed)):
        try:
            out = run_reader(fmt, data)
        except Exception:
            crashes += 1
            print(f"CRASH {fmt} seed={seed} input={i}\n{traceback.format_exc()}")
            continue
        ok += out.articles > 0
        problems += out.articles == 0
        slowest = max(slowest, out.seconds)
    mean = (time.perf_counter() - start) / max(1, n) * 1000
    print(f"| {fmt} | {n} | {ok} | {problems} | {crashes} | {slowest:.2f} | {mean:.1f} |")


def briefings(n: int, seed: int, models: bool) -> None:
    """Whole briefings (every stage and the three writers) of ``n`` clusters of odd text."""
    settings = Settings().with_flags(models=models)
    rng = random.Random(seed)
    crashes, slowest = 0, 0.0
    start = time.process_time()
    for i in range(n):
        cluster = odd_cluster(rng)
        began = time.process_time()
        try:
            briefing = brief_articles(cluster, settings)
            briefing.to_json(), briefing.to_markdown(), html.render(briefing)
        except Exception:
            crashes += 1
            print(f"CRASH briefing seed={seed} cluster={i}\n{traceback.format_exc()}")
        slowest = max(slowest, time.process_time() - began)
    mean = (time.process_time() - start) / max(1, n) * 1000
    path = "spaCy" if models else "fast"
    print(f"| briefings ({path}) | {n} | {crashes} | {slowest:.2f} | {mean:.1f} |")


def named(scale: int) -> None:
    print("\n| case | format | bytes | articles | problems | seconds |\n|---|---|---|---|---|---|")
    for name, (fmt, data) in cases(scale).items():
        try:
            out = run_reader(fmt, data, name)
        except Exception:
            print(f"CRASH {name}\n{traceback.format_exc()}")
            continue
        print(
            f"| {name} | {fmt} | {len(data):,} | {out.articles} | {out.problems}"
            f" | {out.seconds:.2f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000, help="inputs per reader")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scale", type=int, default=5, help="size factor of the named cases")
    parser.add_argument("--briefings", type=int, default=0, help="whole briefings to fuzz")
    parser.add_argument("--models", action="store_true", help="briefings on the spaCy path")
    args = parser.parse_args()
    print("| reader | inputs | read | refused (one line) | crashes | slowest s | mean ms |")
    print("|---|---|---|---|---|---|---|")
    for fmt in ("text", "html", "jsonl", "warc", "feed"):
        fuzz(fmt, args.n, args.seed)
    named(args.scale)
    if args.briefings:
        print(
            "\n| what | clusters | crashes | slowest CPU s | mean CPU ms |\n|---|---|---|---|---|"
        )
        briefings(args.briefings, args.seed, args.models)


if __name__ == "__main__":
    main()
