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
    feed: Path,
    db: Path,
    delays: dict[str, list[float]],
    batch: int = 7,
    partial: list[tuple[str, tuple[int, int]]] | None = None,
) -> int:
    """Ingest and group ``feed`` into ``db``, killing each command once per delay, then
    finish both. Returns how many kills hit a running process; ``partial`` receives the
    (articles, assignments) left after each kill."""
    partial = [] if partial is None else partial
    ingest = ("ingest", *_files(feed), "--db", str(db), "--batch-size", str(batch))
    stories = ("stories", "--db", str(db))
    hits = 0
    for command in (ingest, stories):
        for delay in delays[command[0]]:
            hits += kill_after(delay, *command)
            partial.append((command[0], _rows(db)))
        code, err = run(*command)
        assert code == 0, err
    return hits


def _rows(db: Path) -> tuple[int, int]:
    """Articles and assignments in ``db`` (0, 0 before it exists)."""
    if not db.exists():
        return 0, 0
    con = sqlite3.connect(db)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        if "assignments" not in tables:
            return 0, 0
        return (
            con.execute("SELECT count(*) FROM articles").fetchone()[0],
            con.execute("SELECT count(*) FROM assignments").fetchone()[0],
        )
    finally:
        con.close()


def _files(feed: Path) -> list[str]:
    """The feed's files as separate inputs: ``ingest`` reads and stores one input at a time,
    so the writes spread over the whole run instead of coming last."""
    return sorted(str(p) for p in feed.iterdir())


def clean_run(feed: Path, db: Path, batch: int = 7) -> dict[str, float]:
    """Ingest and group ``feed`` into ``db``; seconds each command took."""
    took = {}
    for command in (
        ("ingest", *_files(feed), "--db", str(db), "--batch-size", str(batch)),
        ("stories", "--db", str(db)),
    ):
        start = time.perf_counter()
        code, err = run(*command)
        assert code == 0, err
        took[command[0]] = time.perf_counter() - start
    return took


def random_delays(took: dict[str, float], kills: int, rng: random.Random) -> dict[str, list[float]]:
    """Kill points over each command's run: a few in start-up, most in the later part where it
    reads and writes (imports take the first second or two), so that kills land in imports,
    reading, mid-transaction and between batches."""
    return {k: [rng.uniform(0.3 * t, 1.1 * t) for _ in range(kills)] for k, t in took.items()}


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
        delays = random_delays(took, args.kills, rng)
        left: list[tuple[str, tuple[int, int]]] = []
        hits = killed_then_finished(feed, root / "killed.db", delays, partial=left)
        n = args.articles
        mid_ingest = sum(k == "ingest" and 0 < c[0] < n for k, c in left)
        mid_stories = sum(k == "stories" and 0 < c[1] < n for k, c in left)
        print(f"kills that left a partial store: ingest {mid_ingest}, stories {mid_stories}")
        print(f"rows left after each kill: {[c for _, c in left]}")
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
