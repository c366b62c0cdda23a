"""Kill -9 at random points of ``newsfuse ingest`` and ``newsfuse stories --db``, run again,
and compare the store with one a clean run built: ``python -m bench.crash [--kills 50]``.

Also runs two ingests into one store at once. Prints how many kills landed mid-run and
whether every store matched (rows, story assignments, ``PRAGMA integrity_check``).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.hostile import PROSE

_SRC = Path(__file__).resolve().parents[1] / "src"
_TOPICS = ("harbour", "election", "flood", "budget", "strike", "festival", "bridge", "vaccine")


def make_feed(folder: Path, n: int, seed: int = 0) -> Path:
    """``n`` small articles on a few topics, as text files and JSON Lines."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        topic = _TOPICS[i % len(_TOPICS)]
        lines = [p.replace("pier", f"{topic} pier") for p in rng.sample(PROSE, 4)]
        title = f"{topic.title()} report number {i} from the {rng.choice(_TOPICS)} desk"
        (folder / f"{i:05d}.txt").write_text(title + "\n\n" + "\n".join(lines) + "\n")
    return folder


def newsfuse(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(_SRC)}
    return subprocess.Popen(
        [sys.executable, "-m", "newsfuse", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def run(*args: str) -> tuple[int, str]:
    proc = newsfuse(*args)
    _, err = proc.communicate(timeout=600)
    return proc.returncode, err.decode()


def kill_after(delay: float, *args: str) -> bool:
    """Start a command and SIGKILL it after ``delay`` s; True when it was still running."""
    with newsfuse(*args) as proc:
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        return False


def snapshot(db: Path) -> tuple[str, list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Integrity check result, every article row, every story assignment."""
    con = sqlite3.connect(db)
    try:
        check = con.execute("PRAGMA integrity_check").fetchone()[0]
        rows = con.execute("SELECT * FROM articles ORDER BY seq").fetchall()
        assigned = con.execute("SELECT seq, story FROM assignments ORDER BY seq").fetchall()
    finally:
        con.close()
    return str(check), rows, assigned


def killed_then_finished(
    feed: Path, db: Path, delays: dict[str, list[float]], batch: int = 7
) -> int:
    """Ingest and group ``feed`` into ``db``, killing each command once per delay, then
    finish both. Returns how many kills hit a running process."""
    ingest = ("ingest", str(feed), "--db", str(db), "--batch-size", str(batch))
    stories = ("stories", "--db", str(db))
    hits = 0
    for command in (ingest, stories):
        for delay in delays[command[0]]:
            hits += kill_after(delay, *command)
        code, err = run(*command)
        assert code == 0, err
    return hits


def clean_run(feed: Path, db: Path, batch: int = 7) -> dict[str, float]:
    """Ingest and group ``feed`` into ``db``; seconds each command took."""
    took = {}
    for command in (
        ("ingest", str(feed), "--db", str(db), "--batch-size", str(batch)),
        ("stories", "--db", str(db)),
    ):
        start = time.perf_counter()
        code, err = run(*command)
        assert code == 0, err
        took[command[0]] = time.perf_counter() - start
    return took


def random_delays(took: dict[str, float], kills: int, rng: random.Random) -> dict[str, list[float]]:
    """Kill points spread over each command's whole run, start-up included, so that kills
    land in imports, reading, mid-transaction and between batches."""
    return {k: [rng.uniform(0.1, 1.1 * t) for _ in range(kills)] for k, t in took.items()}


def concurrent_ingest(a: Path, b: Path, db: Path) -> tuple[int, int]:
    """Two processes ingest ``a`` and ``b`` into ``db`` at once; their exit codes."""
    procs = [newsfuse("ingest", str(x), "--db", str(db), "--batch-size", "3") for x in (a, b)]
    for proc in procs:
        proc.communicate(timeout=600)
    return procs[0].returncode, procs[1].returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=50, help="kills per command")
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        feed = make_feed(root / "feed", args.articles)
        took = clean_run(feed, root / "clean.db")
        expected = snapshot(root / "clean.db")
        hits = killed_then_finished(feed, root / "killed.db", random_delays(took, args.kills, rng))
        got = snapshot(root / "killed.db")
        print(f"clean run: {args.articles} articles; seconds per command: {took}")
        print(f"kills: {2 * args.kills}, of which {hits} hit a running process")
        print(f"integrity_check: {got[0]}; articles equal: {got[1] == expected[1]}", end="")
        print(f" ({len(got[1])}); assignments equal: {got[2] == expected[2]} ({len(got[2])})")
        half = make_feed(root / "other", args.articles, seed=1)
        codes = concurrent_ingest(feed, half, root / "both.db")
        both = snapshot(root / "both.db")
        union = {r[1] for r in expected[1]} | {r[1] for r in snapshot_rows(half, root)}
        print(f"two ingests at once: exit codes {codes}; rows {len(both[1])}; expected", end="")
        print(f" {len(union)}; integrity_check: {both[0]}")


def snapshot_rows(feed: Path, root: Path) -> list[tuple[object, ...]]:
    db = root / f"{feed.name}-alone.db"
    assert run("ingest", str(feed), "--db", str(db))[0] == 0
    return snapshot(db)[1]


if __name__ == "__main__":
    main()
