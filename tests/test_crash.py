"""Nothing lost when the process dies, when two processes write at once, or at the edges: a
full disk, a locked, read-only or damaged store, an unwritable output. Each edge gives one
line naming the file, a non-zero exit, and leaves the store as it was."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from bench.crash import (
    clean_run,
    concurrent_ingest,
    killed_then_finished,
    make_feed,
    random_delays,
    snapshot,
)
from click.testing import CliRunner

from newsfuse.cli import cli
from newsfuse.errors import StageError
from newsfuse.store import Store
from tests.conftest import article, load_clusters


def test_kill_9_at_random_points_then_rerun_equals_a_clean_run(tmp_path: Path) -> None:
    feed = make_feed(tmp_path / "feed", 150)
    took = clean_run(feed, tmp_path / "clean.db")
    expected = snapshot(tmp_path / "clean.db")
    delays = random_delays(took, 4, random.Random(13))
    killed_then_finished(feed, tmp_path / "killed.db", delays)
    check, rows, assigned = snapshot(tmp_path / "killed.db")
    assert check == "ok"
    assert rows == expected[1] and len(rows) == 150
    assert assigned == expected[2]


def test_two_ingests_into_one_store_at_once_both_finish(tmp_path: Path) -> None:
    a = make_feed(tmp_path / "a", 60)
    b = make_feed(tmp_path / "b", 60, seed=1)  # same names, different texts: all distinct
    (tmp_path / "b" / "00000.txt").write_bytes((a / "00000.txt").read_bytes())  # one shared
    assert concurrent_ingest(a, b, tmp_path / "both.db") == (0, 0)
    check, rows, _ = snapshot(tmp_path / "both.db")
    assert check == "ok"
    assert len(rows) == 119 and len({r[1] for r in rows}) == 119  # nothing lost, nothing twice


def _store_with_articles(path: Path, n: int = 3) -> Path:
    with Store(path) as store:
        store.ingest(
            [article(f"a{i}", f"Text number {i} of the store, long enough.") for i in range(n)]
        )
    return path


def _ingest(db: Path, tmp_path: Path) -> tuple[int, str]:
    src = tmp_path / "new.txt"
    src.write_text("A new article arrives\n\nIt has a sentence of its own to store today.\n")
    result = CliRunner().invoke(cli, ["ingest", str(src), "--db", str(db)])
    return result.exit_code, result.stderr


def test_a_full_disk_is_one_line_and_keeps_committed_batches(tmp_path: Path) -> None:
    db = _store_with_articles(tmp_path / "news.db")
    before = snapshot(db)
    with Store(db) as store:
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count={pages}")  # the disk is full from here
        big = [article(f"b{i}", f"Fresh text {i} " * 400) for i in range(20)]
        with pytest.raises(StageError, match="disk is full") as err:
            store.ingest(big)
    assert str(db) in str(err.value) and "\n" not in str(err.value)
    assert snapshot(db) == before


def test_a_locked_store_is_one_line_after_waiting(tmp_path: Path) -> None:
    db = _store_with_articles(tmp_path / "news.db")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with Store(db, busy=0.3) as store, pytest.raises(StageError, match="locked"):
            store.ingest([article("late", "A late article that must wait for the lock.")])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(snapshot(db)[1]) == 3


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_store_is_one_line_and_exit_1(tmp_path: Path, damage: str) -> None:
    db = _store_with_articles(tmp_path / "news.db", 400)
    data = db.read_bytes()
    db.write_bytes(os.urandom(8192) if damage == "garbage" else data[: len(data) // 3])
    for args in (
        ["stories", "--db", str(db)],
        ["stories", "--db", str(db), "--list"],
        ["brief", "--db", str(db), "--story", "1"],
    ):
        result = CliRunner().invoke(cli, args)
        lines = result.stderr.strip().splitlines()
        assert result.exit_code == 1, (args, result.output)
        assert len(lines) == 1 and str(db) in lines[0], (args, result.stderr)
        assert "Traceback" not in result.output


def test_a_read_only_store_is_one_line(tmp_path: Path) -> None:
    db = _store_with_articles(tmp_path / "news.db")
    src = tmp_path / "new.txt"
    src.write_text("A new article arrives\n\nIt has a sentence of its own to store today.\n")
    db.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        done = subprocess.run(
            [*_as_a_user(), sys.executable, "-m", "newsfuse", "ingest", str(src), "--db", str(db)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
            check=False,
        )
    finally:
        tmp_path.chmod(0o755)
    assert done.returncode == 1 and "read-only" in done.stderr and str(db) in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def _as_a_user() -> list[str]:
    """The command prefix that makes file permissions hold: root (as CI runs) overrides them,
    so the command runs without the capabilities that let it."""
    if os.geteuid() != 0:
        return []
    drop = "-dac_override,-dac_read_search"
    return ["setpriv", f"--bounding-set={drop}", f"--inh-caps={drop}"]


def test_a_store_in_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    code, err = _ingest(tmp_path / "no" / "such" / "news.db", tmp_path)
    assert code == 1 and "cannot open" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("command", ["brief", "clean", "stories"])
def test_an_unwritable_output_path_is_one_line(tmp_path: Path, command: str) -> None:
    src = tmp_path / "a.txt"
    src.write_text("Council approves budget\n\n" + "The council approved the budget today. " * 5)
    out = tmp_path / "missing" / "out.json"
    args = [command, str(src), "-o", str(out)] + (["--no-models"] if command == "brief" else [])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert str(out) in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_stories_stopped_between_checkpoints_resume_to_a_clean_runs_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsfuse import stories

    monkeypatch.setattr(stories, "CHECKPOINT", 20)  # save the index every other chunk
    arts = [
        article(d["id"], d["text"], title=d.get("title") or None)
        for c in load_clusters("duc2002", 8)
        for d in c["docs"]
    ]
    run = stories.Run(chunk_size=10)
    with Store(tmp_path / "clean.db") as store:
        store.ingest(arts)
        stories.update_store(store, run)
        expected = store._db.execute("SELECT * FROM assignments ORDER BY seq").fetchall()

    with Store(tmp_path / "stopped.db") as store:
        store.ingest(arts)
        # stopped after the third chunk: 30 assigned, the index saved at 20
        with pytest.raises(KeyboardInterrupt):
            stories.update_store(store, run, _stop_after(3))
        assert store._db.execute("SELECT count(*) FROM assignments").fetchone() == (30,)
        assert store.load_state(stories.STATE)[1] == 20  # and the 10 past it are dropped:
        assert store._db.execute("SELECT count(*) FROM assignments").fetchone() == (20,)
        stories.update_store(store, run)
        resumed = store._db.execute("SELECT * FROM assignments ORDER BY seq").fetchall()
    assert len(expected) == len(arts) > 40 and resumed == expected


def _stop_after(chunks: int) -> Callable[[int], None]:
    """A progress callback that interrupts the run (as Ctrl-C would) after ``chunks`` chunks."""
    done: list[int] = []

    def tick(n: int) -> None:
        done.append(n)
        if len(done) == chunks:
            raise KeyboardInterrupt

    return tick
