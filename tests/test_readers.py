import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfuse.readers import read_inputs

PAGE = """<!doctype html><html><head><title>Council passes budget | City Paper</title>
<meta property="og:site_name" content="City Paper">
<meta property="article:published_time" content="2021-03-04T10:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<script>var tracking = "ignore me";</script>
<article><h1>Council passes budget</h1>
<p>The city council approved the new budget on Tuesday after a debate about schools.</p>
<p>Officials said the plan would add funding for teachers and repair several buildings.</p>
<p>Critics argued that the council had ignored the cost of road repairs in the poorer districts.</p>
</article><footer>Copyright 2021 City Paper. All rights reserved.</footer></body></html>"""


def write(tmp: Path, name: str, data: str | bytes) -> Path:
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_text_title_from_headline_first_line(tmp_path: Path) -> None:
    p = write(
        tmp_path, "story.txt", "Council Passes Budget After Long Debate\n\nThe council voted."
    )
    (a,) = read_inputs([p]).articles
    assert (a.id, a.title, a.text) == (
        "story",
        "Council Passes Budget After Long Debate",
        "The council voted.",
    )
    assert a.path == str(p)


def test_text_first_line_that_is_not_a_headline_stays_in_the_body(tmp_path: Path) -> None:
    p = write(tmp_path, "s.txt", "This notice is older than\nThe council voted on Tuesday.")
    (a,) = read_inputs([p]).articles
    assert a.title is None and a.text.startswith("This notice")


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    (a,) = read_inputs([write(tmp_path, "page.html", PAGE)]).articles
    assert a.id == "page"
    assert "approved the new budget" in a.text and "tracking" not in a.text and "Home" not in a.text
    assert a.title == "Council passes budget"
    assert a.outlet == "City Paper"
    assert a.published == "2021-03-04"


def test_html_without_article_text_is_a_problem(tmp_path: Path) -> None:
    result = read_inputs(
        [write(tmp_path, "empty.html", "<html><body><script>var x = 1;</script></body></html>")]
    )
    assert not result.articles
    assert "empty.html" in str(result.problems[0]) and "no article text" in str(result.problems[0])


def test_hostile_html_does_not_crash(tmp_path: Path) -> None:
    hostile = "<html>" + "<div>" * 5000 + "<p>text</p>" + "<script>alert(1)</script>" * 100
    result = read_inputs([write(tmp_path, "bad.htm", hostile)])
    assert len(result.articles) + len(result.problems) == 1


def test_jsonl_fields_unknown_keys_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "id": "x1",
                "title": "T",
                "text": "Body one.",
                "outlet": "O",
                "published": "2020-01-02",
                "url": "http://e.com/1",
                "extra": [1],
            }
        ),
        "not json",
        json.dumps({"id": "x2", "html": PAGE}),
        json.dumps({"id": "x3"}),
        json.dumps({"text": "No id here."}),
    ]
    result = read_inputs([write(tmp_path, "feed.jsonl", "\n".join(lines))])
    ids = [a.id for a in result.articles]
    assert ids == ["x1", "x2", "feed-5"]
    first = result.articles[0]
    assert (first.title, first.outlet, first.published, first.url) == (
        "T",
        "O",
        "2020-01-02",
        "http://e.com/1",
    )
    assert "approved the new budget" in result.articles[1].text
    problems = [str(p) for p in result.problems]
    assert any("feed.jsonl:2" in p and "not JSON" in p for p in problems)
    assert any("feed.jsonl:4" in p and "neither" in p for p in problems)


def test_titles_and_outlets_are_one_line(tmp_path: Path) -> None:
    row = {
        "id": "a",
        "text": "Body.",
        "title": "Line one\n  Line\ttwo ",
        "outlet": "\r\nThe\nPaper",
    }
    blank = {"id": "b", "text": "Body.", "title": " \n\t"}
    result = read_inputs([write(tmp_path, "f.jsonl", f"{json.dumps(row)}\n{json.dumps(blank)}")])
    assert [(a.title, a.outlet) for a in result.articles] == [
        ("Line one Line two", "The Paper"),
        (None, None),
    ]


def test_directory_is_read_recursively_by_extension(tmp_path: Path) -> None:
    write(tmp_path, "d/a.txt", "Alpha text here.")
    write(tmp_path, "d/sub/b.html", PAGE)
    write(tmp_path, "d/notes.csv", "x,y")
    write(tmp_path, "d/.hidden/c.txt", "Hidden.")
    result = read_inputs([tmp_path / "d"])
    assert [a.id for a in result.articles] == ["a", "b"]
    assert not result.problems


def test_stdin(tmp_path: Path) -> None:
    result = read_inputs(["-"], stdin=io.BytesIO(b"Headline Of The Story Today\nBody text."))
    (a,) = result.articles
    assert (a.id, a.title) == ("stdin", "Headline Of The Story Today")


def test_clashing_ids_stay_unique(tmp_path: Path) -> None:
    result = read_inputs([write(tmp_path, "x.txt", "One."), write(tmp_path, "y/x.txt", "Two.")])
    assert [a.id for a in result.articles] == ["x", "x-2"]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b" \n\n\t", "empty"),
        ("bin.txt", bytes(range(256)) * 10, "binary"),
        ("table.csv", b"a,b", "unsupported extension"),
    ],
)
def test_bad_inputs_are_named_and_others_still_read(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    good = write(tmp_path, "good.txt", "A fine sentence.")
    result = read_inputs([write(tmp_path, name, data), good])
    assert [a.id for a in result.articles] == ["good"]
    (problem,) = result.problems
    assert name in str(problem) and reason in str(problem)


def test_missing_file_and_huge_file(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(51 * 2**20)
    result = read_inputs([tmp_path / "nope.txt", huge])
    messages = [str(p) for p in result.problems]
    assert "nope.txt: no such file" in messages[0]
    assert "huge.txt" in messages[1] and "larger than 50 MB" in messages[1]


def test_legacy_and_mixed_encodings(tmp_path: Path) -> None:
    latin = write(
        tmp_path, "latin.txt", "Caf\xe9 owners in S\xe3o Paulo said prices rose.".encode("cp1252")
    )
    mixed = write(
        tmp_path, "mixed.txt", "Café in Zürich.\n".encode() + "Na\xefve caf\xe9.".encode("cp1252")
    )
    utf16 = write(tmp_path, "u16.txt", "Ünïcode text here.".encode("utf-16"))
    texts = {a.id: a.text for a in read_inputs([latin, mixed, utf16]).articles}
    assert "Café" in texts["latin"] and "São" in texts["latin"]
    assert "Zürich" in texts["mixed"] and "Naïve café" in texts["mixed"]
    assert texts["u16"] == "Ünïcode text here."


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_bytes_give_an_article_or_a_named_problem(tmp_path: Path, data: bytes) -> None:
    result = read_inputs([write(tmp_path, "any.txt", data)])
    assert len(result.articles) + len(result.problems) == 1
    for problem in result.problems:
        assert "any.txt" in str(problem)
