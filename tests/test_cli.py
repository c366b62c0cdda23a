import json
from pathlib import Path

from click.testing import CliRunner

from newsfuse.cli import cli
from tests.conftest import PROSE

BRIEF_KEYS = {
    "title",
    "summary",
    "sources",
    "quotes",
    "conflicts",
    "facts",
    "entities",
    "timeline",
    "problems",
}
SOURCE_KEYS = {
    "id",
    "path",
    "url",
    "title",
    "outlet",
    "published",
    "words_in",
    "words_kept",
    "flags",
    "duplicate_of",
    "spun_score",
}


def run(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)


def test_brief_markdown_of_the_seeds(seeds: Path) -> None:
    result = run("brief", str(seeds))
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("# ") and "## Sources" in out and "[1]" in out
    assert "Reblogged" not in out and "Photograph:" not in out


def test_brief_json_shape_and_determinism(seeds: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert (
        run("brief", str(seeds), "--words", "80", "--format", "json", "-o", str(a)).exit_code == 0
    )
    assert (
        run("brief", str(seeds), "--words", "80", "--format", "json", "-o", str(b)).exit_code == 0
    )
    assert a.read_bytes() == b.read_bytes()
    data = json.loads(a.read_text())
    assert set(data) == BRIEF_KEYS
    assert isinstance(data["title"], str) and data["summary"]
    ids = {s["id"] for s in data["sources"]}
    for s in data["sources"]:
        assert set(s) == SOURCE_KEYS
        assert isinstance(s["words_in"], int) and isinstance(s["flags"], list)
    for s in data["summary"]:
        assert set(s) == {"text", "source", "supported_by", "evidence"}
        assert s["source"] == s["supported_by"][0] and set(s["supported_by"]) <= ids
    assert sum(len(s["text"].split()) for s in data["summary"]) <= 80


def test_brief_stdin_with_a_file(tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("\n".join(PROSE[2:]), encoding="utf-8")
    result = run("brief", "-", str(other), "--format", "json", stdin="\n".join(PROSE[:3]))
    assert result.exit_code == 0
    assert [s["id"] for s in json.loads(result.output)["sources"]] == ["stdin", "other"]


def test_bad_inputs_are_reported_and_the_rest_briefed(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("\n".join(PROSE), encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(cli, ["brief", str(good), str(tmp_path / "empty.txt")])
    assert result.exit_code == 0
    assert "empty.txt: empty input" in result.stderr
    assert "Traceback" not in result.output


def test_exit_codes(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02" * 50)
    none = CliRunner().invoke(cli, ["brief", str(tmp_path / "bin.txt")])
    assert none.exit_code == 1 and "bin.txt: binary" in none.stderr and "no input" in none.stderr
    assert CliRunner().invoke(cli, ["brief"]).exit_code == 2
    assert CliRunner().invoke(cli, ["brief", "x.txt", "--format", "pdf"]).exit_code == 2
    bad_words = CliRunner().invoke(cli, ["brief", str(tmp_path), "--words", "0"])
    assert bad_words.exit_code == 2 and "--words" in bad_words.stderr


def test_clean_jsonl(seeds: Path) -> None:
    result = run("clean", str(seeds), "--format", "jsonl")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 5
    assert all(set(r) == {"id", "title", "outlet", "published", "text"} for r in rows)
    assert not any("Skip to content" in r["text"] for r in rows)


def test_help_on_every_command() -> None:
    for cmd in ([], ["brief"], ["clean"]):
        result = run(*cmd, "--help")
        assert result.exit_code == 0 and "Usage" in result.output


def test_all_copies_of_one_text(tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text("\n".join(PROSE), encoding="utf-8")
    result = run("brief", str(tmp_path), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert [(s["id"], s["duplicate_of"]) for s in data["sources"]] == [
        ("a", None),
        ("b", "a"),
        ("c", "a"),
    ]
    assert data["summary"] and all(s["supported_by"] == ["a"] for s in data["summary"])


def test_one_article_only(tmp_path: Path) -> None:
    (tmp_path / "only.txt").write_text("\n".join(PROSE), encoding="utf-8")
    result = run("brief", str(tmp_path / "only.txt"), "--words", "40")
    assert result.exit_code == 0 and "[1]" in result.output


def test_interrupt_exits_130_without_traceback(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr("newsfuse.readers.read_inputs", interrupted)
    result = CliRunner().invoke(cli, ["brief", str(tmp_path)])
    assert result.exit_code == 130 and "interrupted" in result.stderr


def test_seed_briefing_sections(seeds: Path) -> None:
    data = json.loads(run("brief", str(seeds), "--format", "json").output)
    spun = {s["id"] for s in data["sources"] if "spun" in s["flags"]}
    assert len(spun) == 1
    assert all(s["source"] not in spun for s in data["summary"])
    assert data["quotes"] and all(not set(q["sources"]) <= spun for q in data["quotes"])
    assert any(c["about"] == "people killed" for c in data["conflicts"])
    assert data["entities"] and data["timeline"]
    md = run("brief", str(seeds)).output
    assert "## Who said what" in md and "## Where sources differ" in md and "## Timeline" in md


def test_native_writes_to_stdout_do_not_corrupt_the_result() -> None:
    import subprocess
    import sys

    code = (
        "import os\n"
        "from newsfuse.cli.common import guard\n"
        "print(guard(lambda: (os.write(1, b'solver noise\\n'), 'RESULT')[1]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "RESULT\n" and "solver noise" in done.stderr


def test_same_output_across_processes_and_hash_seeds(seeds: Path) -> None:
    import os
    import subprocess
    import sys

    outs = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        cmd = [sys.executable, "-m", "newsfuse", "brief", str(seeds), "--format", "json"]
        outs.add(subprocess.run(cmd, capture_output=True, env=env, check=True).stdout)
    assert len(outs) == 1


def test_the_stories_listing_is_one_row_a_story_whatever_the_title(tmp_path: Path) -> None:
    text = "\n".join(PROSE)
    rows = [
        {"id": "a", "text": text, "title": "Budget\u202e passes"},  # a direction override
        {"id": "b", "text": text.replace("council", "board"), "title": "Vote \x1b[2J held"},
    ]
    src, db = tmp_path / "in.jsonl", str(tmp_path / "news.db")
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert run("ingest", str(src), "--db", db).exit_code == 0
    assert run("stories", "--db", db).exit_code == 0
    listed = run("stories", "--db", db, "--list", "--format", "text").output
    assert "\u202e" not in listed and "\x1b" not in listed
    assert "Budget\\u202e passes" in listed or "Vote \\x1b[2J held" in listed
