"""Fuzz the readers and the cleaner: ``python -m bench.fuzz [--n 10000] [--seed 0]``.

For each reader (text, HTML, JSON Lines, WARC; RSS feeds are parsed for their links) it
decodes, reads and cleans ``n`` generated inputs (bench/hostile.py: mutated seed documents,
random bytes, foreign encodings), then the named hostile cases at full size. Any exception
other than the reader's one-line `InputError` is a bug and is printed with the input's seed;
the slowest input shows that nothing hangs.
"""

from __future__ import annotations

import argparse
import time
import traceback

from bench.hostile import cases, generated, run_reader


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
    took = time.perf_counter() - start
    print(
        f"| {fmt} | {n} | {ok} | {problems} | {crashes} | {slowest:.2f} | {took / n * 1000:.1f} |"
    )


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
    args = parser.parse_args()
    print("| reader | inputs | read | refused (one line) | crashes | slowest s | mean ms |")
    print("|---|---|---|---|---|---|---|")
    for fmt in ("text", "html", "jsonl", "warc", "feed"):
        fuzz(fmt, args.n, args.seed)
    named(args.scale)


if __name__ == "__main__":
    main()
