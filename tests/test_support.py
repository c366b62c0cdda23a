"""The support judge and the citations built on it: a source that reports a summary sentence in
other words is cited with its passage; a source about something else is not."""

from __future__ import annotations

from pathlib import Path

from newsfuse import align, pipeline, support
from newsfuse.clean import clean_articles
from newsfuse.config import Settings
from newsfuse.model import Article, Briefing, Sentence
from newsfuse.readers import read_inputs

FAST = Settings().with_flags(models=False)

# One event told by three outlets in different words, and an unrelated story.
FLOOD_A = (
    "Floodwaters swept through the river town of Marlow on Monday, forcing 300 residents "
    "from their homes.\n"
    "Emergency crews used boats to reach families trapped on the upper floors of houses.\n"
    "The regional governor Anna Keller declared a state of emergency for the whole valley.\n"
    "Forecasters warned that more rain was expected in the hills above the town this week."
)
FLOOD_B = (
    "Some 300 people in Marlow had to leave their houses on Monday as the river burst its "
    "banks and flooded the town.\n"
    "Rescuers in boats pulled families from upper floors, local officials said.\n"
    "Governor Anna Keller put the valley under a state of emergency late on Monday.\n"
    "Schools in the district will stay closed until the water recedes."
)
FLOOD_C = (
    "Residents of Marlow waded through flooded streets on Monday after the river overflowed, "
    "and about 300 of them were evacuated.\n"
    "Anna Keller, the governor, declared an emergency across the valley.\n"
    "Boats carried trapped families to safety from the upper floors of their homes.\n"
    "More rain is forecast for the hills this week, meteorologists said."
)
OTHER = (
    "The chess federation announced a new world championship format on Friday in Oslo.\n"
    "Players will face each other in twelve classical games and a rapid tiebreak.\n"
    "The federation president said the change would bring more spectators to the sport.\n"
    "The first match under the new rules will be played next spring in Madrid."
)


def _brief(*texts: tuple[str, str]) -> Briefing:
    arts = [Article(id=i, text=t, title=None) for i, t in texts]
    return pipeline.brief(arts, settings=FAST)


def test_paraphrased_reports_are_cited_with_their_passage() -> None:
    b = _brief(("a", FLOOD_A), ("b", FLOOD_B), ("c", FLOOD_C), ("x", OTHER))
    texts = {c.id: c.text for c in clean_articles([Article(i, t) for i, t in _inputs()])}
    flood = [s for s in b.summary if s.source in "abc"]
    assert flood
    assert any(len(set(s.supported_by) & set("abc")) >= 2 for s in flood)
    for s in b.summary:
        assert [e.source for e in s.evidence] == list(s.supported_by[1:])
        for e in s.evidence:
            assert texts[e.source][e.start : e.end] == e.text  # verbatim in the cited source
    assert all("x" not in s.supported_by for s in flood)


def _inputs() -> list[tuple[str, str]]:
    return [("a", FLOOD_A), ("b", FLOOD_B), ("c", FLOOD_C), ("x", OTHER)]


def test_judge_prefers_the_source_that_reports_the_sentence() -> None:
    sents = [
        Sentence(src, k, 0, len(t), t)
        for src, text in _inputs()
        for k, t in enumerate(text.splitlines())
    ]
    judge = support.Judge(align.index(sents))
    row = 2  # a: "The regional governor Anna Keller declared a state of emergency ..."
    answers = {x.source: x for x in judge.judge(row)}
    assert set(answers) == {"b", "c", "x"}
    assert answers["b"].accepted and answers["c"].accepted
    assert not answers["x"].accepted
    assert "emergency" in answers["b"].passage.text and "emergency" in answers["c"].passage.text
    assert answers["x"].probability < answers["b"].probability


def test_copies_never_count_as_independent_support() -> None:
    b = _brief(("a", FLOOD_A), ("a-copy", FLOOD_A), ("b", FLOOD_B))
    copies = {s.id for s in b.sources if s.duplicate_of}
    assert copies
    for s in b.summary:
        assert not set(s.supported_by[1:]) & copies
        assert not {e.source for e in s.evidence} & copies


def test_seed_sentences_cite_several_outlets(seeds: Path) -> None:
    arts = read_inputs([seeds]).articles
    b = pipeline.brief(list(arts), settings=FAST)
    copies = {s.id for s in b.sources if s.duplicate_of}
    several = [s for s in b.summary if len(set(s.supported_by) - copies) >= 2]
    assert 2 * len(several) >= len(b.summary)
    assert all(len(s.evidence) == len(s.supported_by) - 1 for s in b.summary)


def test_check_sorts_sources_into_support_differ_and_silent(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from newsfuse.cli import cli

    toll = "The storm killed 12 people in Marlow on Monday, the regional governor said.\n"
    other_toll = "Officials said 19 people were killed when the storm hit Marlow on Monday.\n"
    for name, text in (("a", toll + FLOOD_A), ("b", other_toll + FLOOD_B), ("x", OTHER)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    claim = "Governor Anna Keller declared a state of emergency in the valley."
    out = CliRunner().invoke(cli, ["check", claim, str(tmp_path), "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert {r["source"] for r in data["support"]} == {"a", "b"} and data["silent"] == ["x"]
    assert all("emergency" in r["text"] and 0 < r["score"] <= 1 for r in data["support"])
    toll_claim = "The storm killed 12 people in Marlow."
    data = json.loads(
        CliRunner().invoke(cli, ["check", toll_claim, str(tmp_path), "--format", "json"]).output
    )
    assert [r["source"] for r in data["support"]] == ["a"]
    assert [(r["source"], r["values"]) for r in data["differ"]] == [("b", ["19"])]
    nameless = "12 people were killed by the storm."  # no name to compare sources by
    data = json.loads(
        CliRunner().invoke(cli, ["check", nameless, str(tmp_path), "--format", "json"]).output
    )
    assert [r["source"] for r in data["support"]] == ["a"] and data["differ"]
    md = CliRunner().invoke(cli, ["check", toll_claim, str(tmp_path)]).output
    assert "## Different numbers (1)" in md and "**b** (19)" in md


def test_check_with_no_readable_input_exits_1(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newsfuse.cli import cli

    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", "anything at all", str(tmp_path / "empty.txt")])
    assert out.exit_code == 1 and "empty.txt" in out.stderr


def test_markdown_shows_how_many_outlets_report_each_sentence() -> None:
    b = _brief(("a", FLOOD_A), ("b", FLOOD_B), ("c", FLOOD_C))
    lines = [x for x in b.to_markdown().splitlines() if x.startswith("- ") and "outlet" in x]
    assert len(lines) == len(b.summary)
    for line, s in zip(lines, b.summary, strict=True):
        n = len(s.supported_by)
        assert line.endswith(f"*({n} outlet{'s' if n > 1 else ''})*")


def test_check_from_python() -> None:
    import newsfuse

    arts = [Article(i, t) for i, t in _inputs()]
    found = newsfuse.check("Anna Keller declared a state of emergency in the valley.", arts)
    assert isinstance(found, newsfuse.ClaimCheck)
    assert {r.source for r in found.support} >= {"a", "b"} and "x" in found.silent
