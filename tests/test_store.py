"""The SQLite store: content-hash identity, WAL, and nothing lost or doubled when an ingest is
killed (a real subprocess, SIGKILL and SIGINT) and run again."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsfuse.store import Settings, Store, content_hash
from tests.conftest import PROSE, article


def test_ingest_is_idempotent(tmp_path: Path) -> None:
    arts = [article(f"a{i}", f"{PROSE[i % 5]} Item {i}.") for i in range(10)]
    with Store(tmp_path / "news.db") as store:
        first = store.ingest(arts, Settings(batch_size=3))
        again = store.ingest(arts)
        assert (first.added, first.skipped) == (10, 0)
        assert (again.added, again.skipped) == (0, 10)
        assert store.count() == 10


def test_identity_is_the_content_not_the_id(tmp_path: Path) -> None:
    with Store(tmp_path / "news.db") as store:
        store.ingest([article("x", "Same text."), article("y", "Same   text.")])
        assert store.count() == 1  # whitespace differences do not make a new article
        assert content_hash(article("x", "a")) != content_hash(article("x", "b"))


def test_store_uses_wal_and_keeps_fields(tmp_path: Path) -> None:
    a = article("a", "Body.", title="T", url="u", outlet="o", published="2024-01-02", path="p")
    with Store(tmp_path / "news.db") as store:
        assert store.journal_mode() == "wal"
        store.ingest([a])
        assert [s.article for s in store.articles()] == [a]


def test_missing_store_is_an_input_error(tmp_path: Path) -> None:
    from newsfuse.errors import InputError

    with pytest.raises(InputError, match="no such store"):
        Store(tmp_path / "none.db", create=False)


def _write_inputs(folder: Path, files: int, per_file: int) -> int:
    folder.mkdir()
    for f in range(files):
        with (folder / f"feed{f:03d}.jsonl").open("w") as fh:
            for i in range(per_file):
                text = f"{PROSE[i % 5]} Report {f}-{i} from the council."
                fh.write(json.dumps({"id": f"{f}-{i}", "title": f"T {f} {i}", "text": text}))
                fh.write("\n")
    return files * per_file


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as con:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # the schema is not there yet


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_killed_ingest_loses_nothing_and_rerun_completes(tmp_path: Path, sig: int) -> None:
    total = _write_inputs(tmp_path / "feeds", files=40, per_file=500)
    db = tmp_path / "news.db"
    cmd = [sys.executable, "-m", "newsfuse", "ingest", str(tmp_path / "feeds"), "--db", str(db)]
    proc = subprocess.Popen(
        [*cmd, "--batch-size", "10"],
        stderr=subprocess.DEVNULL,
        # A shell starts background jobs with SIGINT ignored, and the child would inherit that
        # (Python then installs no Ctrl-C handler): give it the default, as in a terminal.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 30
    while _count(db) < 200 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(sig)
    proc.wait(timeout=30)
    at_kill = _count(db)
    assert 0 < at_kill < total, "the ingest was not stopped mid-run"
    if sig == signal.SIGINT:
        assert proc.returncode == 130
    assert at_kill % 10 == 0  # whole batches only: the one in flight was rolled back

    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True)
    assert f"{total - at_kill} added, {at_kill} already stored" in rerun.stderr
    with sqlite3.connect(db) as con:
        ids = [r[0] for r in con.execute("SELECT id FROM articles")]
    assert len(ids) == len(set(ids)) == total


def test_assignments_after_the_saved_state_are_redone(tmp_path: Path) -> None:
    """A stories run stopped between its last save and its end leaves assignments the saved
    index does not know; loading the state drops them so the next run redoes them."""
    with Store(tmp_path / "news.db") as store:
        store.ingest([article(f"a{i}", f"Text {i}.") for i in range(4)])
        store.assign([(1, 0), (2, 0)])
        store.save_state("stories", b"state", last_seq=2)
        store.assign([(3, 1), (4, 1)])  # then the run was killed
        assert store.load_state("stories") == (b"state", 2)
        assert sum(s.size for s in store.stories()) == 2


def test_a_story_is_titled_by_its_first_headline_not_a_wire_slug(tmp_path: Path) -> None:
    with Store(tmp_path / "news.db") as store:
        store.ingest(
            [
                article("a", "Text one.", title="$Adv26"),
                article("b", "Text two.", title="Storm Closes the Old Harbour Bridge"),
            ]
        )
        store.assign([(1, 0), (2, 0)])
        (story,) = store.stories()
    assert story.title == "Storm Closes the Old Harbour Bridge"
