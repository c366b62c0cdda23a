"""The HTTP service, in process (TestClient) and over a real loopback socket (uvicorn)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from newsfuse.cli import cli
from newsfuse.readers import read_inputs
from newsfuse.server import Settings, create_app
from tests.conftest import PROSE
from tests.live import serving

OTHER = (
    "The council approved the budget on Tuesday after a debate that lasted into the night.",
    "The plan adds money for teachers and for repairs to old school buildings, officials said.",
    "The mayor said she would sign the measure this week.",
    "Opponents said 12 districts were left out, while the clerk counted 14 districts.",
)


def articles() -> list[dict[str, Any]]:
    return [
        {"id": "a", "title": "Council approves city budget", "text": "\n".join(PROSE),
         "outlet": "Daily <b>Post</b>", "published": "2024-03-05", "url": "https://ex.org/a"},
        {"id": "b", "title": "Budget passes after long debate", "text": "\n".join(OTHER),
         "outlet": "Evening News", "published": "2024-03-06"},
    ]  # fmt: skip


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=tmp_path / "news.db", max_body=200_000))) as c:
        yield c


def test_ready(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_brief_is_what_the_cli_writes_for_the_same_json_lines(client: TestClient) -> None:
    body = articles()
    lines = "".join(json.dumps(a) + "\n" for a in body)
    cli_out = CliRunner().invoke(cli, ["brief", "-", "--format", "json", "--words", "40"], lines)
    assert cli_out.exit_code == 0, cli_out.output
    answer = client.post("/api/brief", json={"articles": body, "words": 40})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.text == cli_out.stdout


def test_check_is_what_the_cli_writes(client: TestClient) -> None:
    body = articles()
    claim = "The mayor said she would sign the measure this week."
    lines = "".join(json.dumps(a) + "\n" for a in body)
    cli_out = CliRunner().invoke(cli, ["check", claim, "-", "--format", "json"], lines)
    assert cli_out.exit_code == 0, cli_out.output
    answer = client.post("/api/check", json={"articles": body, "claim": claim})
    assert answer.status_code == 200 and answer.text == cli_out.stdout
    assert json.loads(answer.text)["support"]
    assert client.post("/api/check", json={"articles": body, "claim": ""}).status_code == 422


def test_brief_as_html_when_asked(client: TestClient) -> None:
    answer = client.post(
        "/api/brief", json={"articles": articles()}, headers={"accept": "text/html"}
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in answer.headers["content-security-policy"]
    assert "Daily &lt;b&gt;Post&lt;/b&gt;" in answer.text


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        (b"{", 400, "malformed JSON"),
        (b"", 422, "the body is empty"),
        (b"[]", 422, "body: Input should be a valid dictionary"),
        (b'{"articles": []}', 422, "articles: List should have at least 1 item"),
        (b'{"articles": [{"text": 3}]}', 422, "articles.0.text: Input should be a valid string"),
        (
            b'{"articles": [{"title": "t"}]}',
            422,
            "articles[0]: has neither 'text' nor 'html' as a string",
        ),
        (b'{"articles": [{"text": "x"}], "words": 0}', 422, "words: Input should be greater"),
        (b'{"articles": [{"text": "x"}], "extra": 1}', 422, "extra: Extra inputs"),
        (b'{"articles": [{"text": "  "}]}', 422, "articles[0]: has neither"),
    ],
)
def test_bad_requests_get_one_line(
    client: TestClient, body: bytes, status: int, detail: str
) -> None:
    answer = client.post("/api/brief", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == status
    assert answer.json()["detail"].startswith(detail)
    assert "\n" not in answer.json()["detail"]


def test_a_body_that_is_not_json_is_refused(client: TestClient) -> None:
    answer = client.post("/api/brief", content=b"text", headers={"content-type": "text/plain"})
    assert answer.status_code == 415


def test_bodies_over_the_limit_are_refused_declared_or_streamed(client: TestClient) -> None:
    big = json.dumps({"articles": [{"text": "word " * 50_000}]}).encode()
    declared = client.post("/api/brief", content=big, headers={"content-type": "application/json"})
    assert declared.status_code == 413

    def chunks() -> Iterator[bytes]:
        yield from (big[i : i + 8192] for i in range(0, len(big), 8192))

    streamed = client.post(
        "/api/brief", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413
    assert "larger than 200000 bytes" in streamed.json()["detail"]


def test_unknown_routes_and_methods(client: TestClient) -> None:
    assert client.get("/api/nothing").status_code == 404
    assert client.get("/api/brief").status_code == 405
    assert client.get("/docs").status_code == 404  # no page that loads from a CDN
    assert client.get("/api/stories/x/brief").status_code == 422
    assert client.get("/api/stories?limit=0").status_code == 422


def test_openapi_lists_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    api = {
        "/api/brief",
        "/api/check",
        "/api/articles",
        "/api/stories",
        "/api/stories/{story}/brief",
    }
    assert api <= set(paths)


def test_articles_are_stored_once_and_grouped_into_stories(client: TestClient) -> None:
    body = {"articles": [*articles(), {"id": "bad", "title": "no text"}]}
    first = client.post("/api/articles", json=body).json()
    assert first == {
        "added": 2,
        "known": 0,
        "rejected": [{"index": 2, "error": "has neither 'text' nor 'html' as a string"}],
    }
    again = client.post("/api/articles", json=body).json()
    assert (again["added"], again["known"]) == (0, 2)
    stories = client.get("/api/stories").json()
    assert sum(s["size"] for s in stories) == 2
    sizes = [s["size"] for s in stories]
    assert sizes == sorted(sizes, reverse=True)
    assert set(stories[0]) == {"id", "size", "title", "first", "last", "names"}
    assert client.get("/api/stories?offset=1&limit=1").json() == stories[1:2]


def test_a_story_is_briefed_as_json_or_html(client: TestClient) -> None:
    client.post("/api/articles", json={"articles": articles()})
    story = client.get("/api/stories").json()[0]
    as_json = client.get(f"/api/stories/{story['id']}/brief")
    assert {s["id"] for s in as_json.json()["sources"]} <= {"a", "b"}
    as_html = client.get(f"/api/stories/{story['id']}/brief", headers={"accept": "text/html"})
    assert as_html.headers["content-type"].startswith("text/html")
    missing = client.get("/api/stories/12345/brief")
    assert (missing.status_code, missing.json()) == (404, {"detail": "no story 12345"})


def test_the_page_lists_the_stories(client: TestClient) -> None:
    client.post("/api/articles", json={"articles": articles()})
    page = client.get("/")
    assert page.status_code == 200
    assert "/api/stories/0/brief" in page.text
    assert "script-src 'sha256-" in page.headers["content-security-policy"]


def test_fifty_concurrent_clients_are_all_answered(tmp_path: Path) -> None:
    """Over a real socket: briefings run off the event loop, so a health check is answered
    while they queue, and every one of 50 simultaneous posts gets its briefing."""
    body = {"articles": [{"id": "a", "text": "\n".join(PROSE)}, {"id": "b", "text": OTHER[0]}]}
    with serving(create_app(Settings(db=tmp_path / "news.db"))) as base:

        def post(_: int) -> int:
            return httpx.post(f"{base}/api/brief", json=body, timeout=120).status_code

        with ThreadPoolExecutor(50) as pool:
            answers = pool.map(post, range(50))
            health = httpx.get(f"{base}/healthz", timeout=5)
            codes = list(answers)
    assert health.status_code == 200
    assert codes == [200] * 50


def test_a_file_is_read_as_the_command_line_reads_it(client: TestClient, tmp_path: Path) -> None:
    text = "Council approves the city budget\n" + "\n".join(PROSE)
    (tmp_path / "story.txt").write_text(text, encoding="utf-8")
    expected = read_inputs([str(tmp_path / "story.txt")]).articles[0]
    got = client.post("/api/read", json={"name": "story.txt", "content": text}).json()
    assert got["problems"] == []
    assert [(a["id"], a["title"], a["text"]) for a in got["articles"]] == [
        (expected.id, expected.title, expected.text)
    ]
    lines = json.dumps({"id": "x", "text": PROSE[0]}) + "\nnot json\n"
    mixed = client.post("/api/read", json={"name": "day.jsonl", "content": lines}).json()
    assert [a["id"] for a in mixed["articles"]] == ["x"]
    assert mixed["problems"] == ["day.jsonl:2: not JSON (Expecting value)"]


def test_serve_is_a_command_with_checked_options() -> None:
    runner = CliRunner()
    assert "--workers" in runner.invoke(cli, ["serve", "--help"]).output
    assert runner.invoke(cli, ["serve", "--port", "70000"]).exit_code == 2
    assert runner.invoke(cli, ["serve", "--workers", "-1"]).exit_code == 2


def test_urls_are_fetched_as_the_command_line_fetches_them(tmp_path: Path) -> None:
    from newsfuse import config
    from tests.test_fetch import RSS, page, rss
    from tests.webserver import Reply, serve

    with serve("127.0.0.1") as site:
        site.routes["/feed.xml"] = Reply(body=rss("/one.html"), headers=RSS)
        site.routes["/one.html"] = Reply(body=page("Council passes the budget"))
        urls = {"urls": [site.url("/feed.xml")]}
        guarded = Settings(db=tmp_path / "a.db")  # public addresses only: refused, one line
        with TestClient(create_app(guarded)) as c:
            refused = c.post("/api/fetch", json=urls).json()
        assert refused["articles"] == [] and "loopback" in refused["problems"][0]
        (tmp_path / "allow.toml").write_text(
            '[fetch]\nallow_hosts = ["127.0.0.1"]\nhost_delay = 0\n'
        )
        allowed = Settings(db=tmp_path / "b.db", pipeline=config.load(tmp_path / "allow.toml"))
        with TestClient(create_app(allowed)) as c:
            got = c.post("/api/fetch", json=urls).json()
            assert c.post("/api/fetch", json={"urls": []}).status_code == 422
    assert [(a["id"], a["url"]) for a in got["articles"]] == [("one", site.url("/one.html"))]
    assert got["problems"] == []
