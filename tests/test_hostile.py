"""Every reader and the cleaner survive hostile input: a result or a one-line problem naming
the input, never a traceback, never a hang; the other inputs are still briefed.

CI-sized runs of the fuzz benchmark (``python -m bench.fuzz`` runs 10,000 inputs a reader)."""

from __future__ import annotations

import faulthandler
import io
import json
import os
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bench.hostile import cases, generated, html_seed, odd_cluster, run_reader, text_seed
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfuse.clean import clean_articles
from newsfuse.cli import cli
from newsfuse.config import Settings
from newsfuse.model import Article
from newsfuse.pipeline import brief_articles
from newsfuse.readers import read_inputs
from newsfuse.readers.decode import MAX_BYTES
from newsfuse.writers import html

REGRESSION = Path(__file__).parent / "regression"


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """A hang fails the run (with every thread's stack) instead of stalling CI."""
    faulthandler.dump_traceback_later(240, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.mark.parametrize(
    ("fmt", "n"), [("text", 400), ("html", 80), ("jsonl", 300), ("warc", 150), ("feed", 300)]
)
def test_mutated_and_random_inputs_are_read_or_refused(fmt: str, n: int) -> None:
    run_reader(fmt, text_seed() if fmt == "text" else html_seed(), clean=True)  # warm up
    times = sorted(run_reader(fmt, data).seconds for data in generated(fmt, n, seed=1))
    # The first page with a loose date makes dateparser (under trafilatura) compile its 200
    # locales, once per process: 7-15 s here. Every other input takes well under a second.
    assert times[-2] < 5.0 and times[-1] < 40.0


@pytest.mark.parametrize("name", sorted(cases()))
def test_named_hostile_case_is_read_or_refused_quickly(name: str) -> None:
    fmt, data = cases()[name]
    out = run_reader(fmt, data, name)
    assert out.articles + out.problems >= 1
    assert out.seconds < 15.0  # linear stages read these ~100 KB inputs in well under a second


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=4096), fmt=st.sampled_from(["text", "html", "jsonl"]))
def test_any_bytes(data: bytes, fmt: str) -> None:
    run_reader(fmt, data)


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
_field = st.sampled_from(["id", "title", "text", "html", "url", "outlet", "published"])


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.dictionaries(_field, _json, max_size=7), max_size=5), crlf=st.booleans())
def test_json_lines_of_any_shape(rows: list[dict[str, object]], crlf: bool) -> None:
    data = "".join(json.dumps(r) + ("\r\n" if crlf else "\n") for r in rows).encode()
    out = run_reader("jsonl", data)
    assert out.articles <= len(rows)


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=3000))
def test_cleaner_takes_any_text(text: str) -> None:
    (cleaned,) = clean_articles([Article(id="x", text=text)])
    assert cleaned.words_kept <= cleaned.words_in or "&" in text  # "&amp;" decodes to a word
    assert cleaned.text.isprintable() or "\n" in cleaned.text or not cleaned.text


@pytest.mark.parametrize("path", sorted(REGRESSION.glob("*.*[tl]")), ids=lambda p: p.name)
def test_regression_input_is_briefed_quickly(path: Path) -> None:
    start = time.perf_counter()
    result = CliRunner().invoke(cli, ["brief", "--no-models", "--format", "json", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        json.loads(result.stdout)
    else:
        assert result.exit_code == 1 and str(path) in result.stderr
    assert time.perf_counter() - start < 30.0


def _hostile_folder(root: Path) -> Path:
    folder = root / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_bytes(text_seed())
    for name, (fmt, data) in cases().items():
        ext = {"text": "txt", "html": "html", "jsonl": "jsonl"}[fmt]
        (folder / f"{name}.{ext}").write_bytes(data[:60_000])
    (folder / "-leading dash.txt").write_bytes(b"\x00\x01binary")
    (folder / "spaces and ünïcode.txt").write_bytes(b"")
    (folder / os.fsdecode(b"bad-\xff-name.txt")).write_bytes(text_seed().replace(b"pier", b"quay"))
    os.mkfifo(folder / "pipe.txt")
    (folder / "dangling.txt").symlink_to(root / "nowhere.txt")
    (folder / "sub" / "loop").symlink_to(folder)
    return folder


def test_a_folder_of_hostile_files_next_to_one_good_article(tmp_path: Path) -> None:
    folder = _hostile_folder(tmp_path)
    result = CliRunner().invoke(cli, ["brief", "--no-models", "--format", "json", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    brief = json.loads(result.stdout)
    paths = {s["path"] for s in brief["sources"]}
    assert str(folder / "good.txt") in paths
    assert any("bad-\ufffd-name.txt" in p for p in paths)  # a name that is not UTF-8
    skipped = [x for x in result.stderr.splitlines() if x.startswith("newsfuse: skipped")]
    for name in ("pipe.txt", "dangling.txt", "-leading dash.txt", "spaces and ünïcode.txt"):
        assert any(name in x for x in skipped), name


def test_a_named_pipe_given_by_name_is_refused_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "feed.txt")
    good = tmp_path / "good.txt"
    good.write_bytes(text_seed())
    result = CliRunner().invoke(cli, ["clean", str(tmp_path / "feed.txt"), str(good)])
    assert result.exit_code == 0
    assert "feed.txt: not a regular file" in result.stderr


class _Endless(io.RawIOBase):
    """A stream that never ends (``yes | newsfuse brief -``); counts what was read."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = min(len(buffer), 1 << 20)
        buffer[:n] = b"y\n" * (n // 2) + b"y" * (n % 2)
        self.given += n
        return n


def test_an_endless_stdin_is_refused_after_the_size_limit() -> None:
    stream = _Endless()
    result = read_inputs(["-"], stdin=io.BufferedReader(stream))
    (problem,) = result.problems
    assert "larger than 50 MB" in str(problem) and str(problem).startswith("-:")
    assert stream.given <= MAX_BYTES + 2**20


def test_whole_briefings_of_odd_text_run_to_the_end() -> None:
    """Every stage and writer on clusters full of folded letters, direction marks, odd
    digits and quotation marks (bench.fuzz --briefings does thousands)."""
    rng = random.Random(3)
    settings = Settings().with_flags(models=False)
    for _ in range(60):
        briefing = brief_articles(odd_cluster(rng), settings)
        briefing.to_json(), briefing.to_markdown(), html.render(briefing)


def test_direction_overrides_cannot_reorder_a_shared_briefing(tmp_path: Path) -> None:
    """A right-to-left override in an id, a URL, a title, an outlet or the text would make the
    page show words in another order than the source holds them: none reaches any output, and
    a file of nothing but such controls is refused as empty."""
    body = (
        "The council approved the \u202ebudget\u202c on Tuesday after a long debate about "
        "roads.\nThe mayor said the \u2067vote\u2069 was close and that more work remains."
    )
    articles = [
        Article(
            id=f"a\u202e{k}",
            text=body,
            title="Budget \u202ewon\u202c vote",
            outlet="\u202dDaily",
            url=f"https://example.com/\u202e{k}",
        )
        for k in range(3)
    ]
    assert articles[0].text.startswith("The council approved the budget on Tuesday")
    briefing = brief_articles(articles, Settings().with_flags(models=False))
    outputs = briefing.to_json(), briefing.to_markdown(), html.render(briefing)
    for out in outputs:
        assert not any(c in out for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2069")
    assert "Budget won vote" in outputs[1] and "approved the budget on Tuesday" in outputs[1]
    controls = tmp_path / "controls.txt"
    controls.write_text("\u202e\u2066 \u202c\n", encoding="utf-8")
    (problem,) = read_inputs([controls]).problems
    assert "empty input" in str(problem)
