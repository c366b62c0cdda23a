"""Summarization benchmark: newsfuse against baselines on the same clusters, limit and scorer.

    python -m bench.summarization                       # everything (long: LexRank is slow)
    python -m bench.summarization --sets duc2002 --systems newsfuse,lexrank --limit 10
    python -m bench.summarization --score-only          # re-score the stored outputs

Outputs are stored per cluster in ``bench/out/<set>/<system>.jsonl`` (sentences and seconds),
so a run can be interrupted (Ctrl-C) and resumed, and scoring re-run without re-summarizing.
``--fresh`` recomputes the named systems. Progress goes to stderr, the results table (Markdown)
to stdout. See ``bench/summarization_score.py`` for the exact ROUGE flags.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress

from bench.summarization_data import SETS, BenchSet, Cluster
from bench.summarization_score import Scores, perl_flags, perl_rouge, py_rouge
from bench.summarization_systems import NEEDS_QUERY, SYSTEMS

OUT = Path(__file__).resolve().parent / "out"
ERR = Console(stderr=True)
SLOW = frozenset({"lexrank", "textrank"})  # what --slow-limit limits


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    sets = [SETS[s] for s in _names(args.sets, SETS)]
    systems = _names(args.systems, SYSTEMS)
    try:
        for bset in sets:
            clusters = bset.clusters(args.limit, args.skip)
            if not args.score_only:
                _run(bset, clusters, systems, args)
            print(_table(bset, clusters, systems, args.perl))
    except KeyboardInterrupt:
        ERR.print("interrupted: the outputs written so far are kept in bench/out/")
        return 130
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.summarization", description=__doc__)
    p.add_argument("--sets", default="all", help=f"comma-separated: {', '.join(SETS)}")
    p.add_argument("--systems", default="all", help=f"comma-separated: {', '.join(SYSTEMS)}")
    p.add_argument("--limit", type=int, default=None, help="first N clusters of each set")
    p.add_argument(
        "--skip",
        type=int,
        default=0,
        help="leave out the first N clusters of each set (--skip 58 on multinews-dev: the half "
        "that bench.train_lexicon does not train on)",
    )
    p.add_argument(
        "--slow-limit",
        type=int,
        default=None,
        help="run LexRank and TextRank on only the first N clusters (they are slow)",
    )
    p.add_argument("--fresh", action="store_true", help="recompute the named systems")
    p.add_argument("--score-only", action="store_true", help="score stored outputs only")
    p.add_argument("--no-perl", dest="perl", action="store_false", help="rouge-score only (fast)")
    return p


def _names(value: str, known: dict[str, Any]) -> list[str]:
    names = list(known) if value == "all" else [x.strip() for x in value.split(",") if x.strip()]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f"unknown name(s) {unknown}; known: {', '.join(known)}")
    return names


def _path(bset: BenchSet, system: str) -> Path:
    return OUT / bset.name / f"{system}.jsonl"


def _load(bset: BenchSet, system: str) -> dict[str, dict[str, Any]]:
    path = _path(bset, system)
    if not path.exists():
        return {}
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return {r["cluster"]: r for r in rows}


def _run(
    bset: BenchSet, clusters: list[Cluster], systems: list[str], args: argparse.Namespace
) -> None:
    """Run the systems on every cluster they have no stored output for. Systems take turns on
    each cluster, so their times are measured under the same machine load."""
    OUT.mkdir(exist_ok=True)
    (OUT / ".gitignore").write_text("*\n", encoding="utf-8")  # outputs are never committed
    (OUT / bset.name).mkdir(exist_ok=True)
    slow_ids = {c.id for c in clusters[: args.slow_limit]} if args.slow_limit else None
    todo: list[tuple[Cluster, str]] = []
    for name in systems:
        if name in NEEDS_QUERY and not any(c.query for c in clusters):
            continue
        done = _load(bset, name)
        if args.fresh:  # drop this run's clusters, keep the others
            ids = {c.id for c in clusters}
            kept = [json.dumps(r) + "\n" for k, r in done.items() if k not in ids]
            _path(bset, name).write_text("".join(kept), encoding="utf-8")
            done = {}
        for c in clusters:
            slow_skip = name in SLOW and slow_ids is not None and c.id not in slow_ids
            if c.id not in done and not slow_skip:
                todo.append((c, name))
    order = {c.id: n for n, c in enumerate(clusters)}
    todo.sort(key=lambda p: order[p[0].id])
    with Progress(console=ERR, transient=True) as progress:
        task = progress.add_task(f"{bset.name}", total=len(todo))
        for c, name in todo:
            t0 = time.perf_counter()
            sents = SYSTEMS[name](c, bset.words)
            seconds = time.perf_counter() - t0
            row = {"cluster": c.id, "sentences": sents, "seconds": seconds}
            with _path(bset, name).open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(row) + "\n")
            progress.advance(task)


def _table(bset: BenchSet, clusters: list[Cluster], systems: list[str], perl: bool) -> str:
    refs = {c.id: c.refs for c in clusters}
    ids = set(refs)
    rows: list[tuple[str, Scores, Scores | None, float | None]] = []
    for name in systems:
        out = {k: v for k, v in _load(bset, name).items() if k in ids}
        if not out:
            continue
        sums = {k: v["sentences"] for k, v in out.items()}
        secs = sum(v["seconds"] for v in out.values()) / len(out)
        official = perl_rouge(sums, refs, bset.words) if perl else None
        rows.append((name, py_rouge(sums, refs, bset.words), official, secs))
    for peer, by_cluster in sorted(bset.peer_summaries().items(), key=lambda p: int(p[0])):
        sums = {k: v.splitlines() for k, v in by_cluster.items() if k in ids}
        if sums:
            official = perl_rouge(sums, refs, bset.words) if perl else None
            rows.append((f"peer {peer}", py_rouge(sums, refs, bset.words), official, None))
    return _markdown(bset, len(clusters), rows, perl)


def _markdown(
    bset: BenchSet,
    n: int,
    rows: list[tuple[str, Scores, Scores | None, float | None]],
    perl: bool,
) -> str:
    flags = " ".join(perl_flags(bset.words))
    head = f"### {bset.name} ({n} clusters, {bset.words} words)\n\n"
    head += f"Official: `ROUGE-1.5.5.pl {flags}`; cross-check: rouge-score (Porter stemmer).\n\n"
    head += "| system | clusters | R-1 R | R-1 F | R-2 R | R-2 F | rs R-1 R | rs R-2 R "
    head += "| s/cluster |\n|---|---|---|---|---|---|---|---|---|\n"

    def key(row: tuple[str, Scores, Scores | None, float | None]) -> float:
        s = row[2] or row[1]
        return -s.r2_recall

    lines = []
    for name, py, official, secs in sorted(rows, key=key):
        o = official
        cells = (
            [
                f"{100 * o.r1_recall:.2f}",
                f"{100 * o.r1_f1:.2f}",
                f"{100 * o.r2_recall:.2f}",
                f"{100 * o.r2_f1:.2f}",
            ]
            if o
            else ["-"] * 4
        )
        t = f"{secs:.3f}" if secs is not None else "-"
        lines.append(
            f"| {name} | {py.clusters} | {' | '.join(cells)} | {100 * py.r1_recall:.2f} | "
            f"{100 * py.r2_recall:.2f} | {t} |"
        )
    return head + "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
