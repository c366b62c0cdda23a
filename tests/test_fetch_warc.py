"""WARC files written here with warcio: HTML responses are articles, other records skipped."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsfuse.readers import read_inputs
from tests.test_fetch import page


def write_warc(path: Path, records: list[tuple[str, str, str, bytes]], gz: bool) -> None:
    """records: (kind, url, content type, body); kind is "response" or "request"."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for kind, url, ctype, body in records:
            if kind == "response":
                http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            else:
                http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True)
            record = writer.create_warc_record(
                url, kind, payload=BytesIO(body), length=len(body), http_headers=http
            )
            writer.write_record(record)


def test_html_responses_of_a_warc_are_articles(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl.warc.gz"
    write_warc(
        crawl,
        [
            ("request", "https://news.example/a", "", b""),
            ("response", "https://news.example/a.html", "text/html; charset=utf-8", page("Alpha")),
            ("response", "https://news.example/logo.png", "image/png", b"\x89PNG\r\n"),
            ("response", "https://news.example/b", "text/html", page("Beta", site_name="")),
            ("response", "https://news.example/c", "text/html", b"<html><body></body></html>"),
        ],
        gz=True,
    )
    result = read_inputs([str(crawl)])
    assert [(a.id, a.title, a.url) for a in result.articles] == [
        ("a", "Alpha", "https://news.example/a.html"),
        ("b", "Beta", "https://news.example/b"),
    ]
    assert result.articles[0].path == str(crawl)
    assert result.articles[1].outlet == "news.example"  # no site name in the page: its host
    assert [str(p) for p in result.problems] == [
        f"{crawl}: https://news.example/c: no article text found in the HTML"
    ]


def test_a_plain_warc_without_html_and_a_non_warc_are_one_line_each(tmp_path: Path) -> None:
    plain = tmp_path / "images.warc"
    write_warc(plain, [("response", "https://x.example/i.png", "image/png", b"png")], gz=False)
    fake = tmp_path / "fake.warc"
    fake.write_bytes(b"this is not an archive\n")
    result = read_inputs([str(plain), str(fake), str(tmp_path / "missing.warc.gz")])
    assert result.articles == ()
    reasons = [str(p) for p in result.problems]
    assert reasons[0] == f"{plain}: the archive holds no HTML response"
    assert reasons[1].startswith(f"{fake}: not a WARC file")
    assert reasons[2] == f"{tmp_path / 'missing.warc.gz'}: no such file"


def _raw_record(body: bytes, uri: bytes | None) -> bytes:
    target = b"WARC-Target-URI: " + uri + b"\r\n" if uri else b""
    head = b"WARC/1.0\r\nWARC-Type: response\r\n" + target
    head += b"Content-Type: application/http; msgtype=response\r\n"
    return head + b"Content-Length: %d\r\n\r\n" % len(body) + body + b"\r\n\r\n"


def test_a_damaged_record_keeps_the_articles_before_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    crawl = tmp_path / "cut.warc"
    write_warc(crawl, [("response", "https://news.example/a", "text/html", page("Alpha"))], False)
    # a response record without its target URI: warcio fails inside its own parser
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page("Beta")
    crawl.write_bytes(crawl.read_bytes() + _raw_record(http, None))
    result = read_inputs([str(crawl)])
    assert [a.id for a in result.articles] == ["a"]
    [problem] = [str(p) for p in result.problems]
    assert problem.startswith(f"{crawl}: damaged after record 1; the rest is not read (")
    assert capsys.readouterr().err == ""


def test_a_record_longer_or_shorter_than_its_length_is_one_problem_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    crawl = tmp_path / "lengths.warc"
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page("Alpha")
    wrong = _raw_record(http, b"https://news.example/a").replace(
        b"Content-Length: %d" % len(http), b"Content-Length: %d" % (len(http) - 40)
    )
    http_b = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page("Beta")
    crawl.write_bytes(wrong + _raw_record(http_b, b"https://news.example/b c"))
    result = read_inputs([str(crawl)])
    assert [a.title for a in result.articles] == ["Alpha", "Beta"]
    assert f"{crawl}: 1 record(s) do not end where their length says" in "\n".join(
        str(p) for p in result.problems
    )
    assert capsys.readouterr().err == ""  # no warcio warnings (length, URI with a space)


def test_problem_lines_stay_one_printable_line(tmp_path: Path) -> None:
    odd = tmp_path / "two\nlines\x1b[31m.txt"
    odd.write_bytes(b"")
    [problem] = [str(p) for p in read_inputs([str(odd)]).problems]
    assert "\n" not in problem and "\x1b" not in problem
    assert problem == f"{tmp_path}/two\\x0alines\\x1b[31m.txt: empty input"


def test_hostile_record_headers_are_problems_not_crashes(tmp_path: Path) -> None:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page("Alpha")
    broken_host = tmp_path / "host.warc"
    broken_host.write_bytes(_raw_record(http, b"https://[news.example/a"))  # urlsplit raises
    huge = tmp_path / "huge.warc"
    huge.write_bytes(
        _raw_record(http, b"https://news.example/b").replace(
            b"Content-Length: %d" % len(http), b"Content-Length: " + b"9" * 30
        )
    )
    result = read_inputs([str(broken_host), str(huge)])
    assert [(a.id, a.title) for a in result.articles] == [("page", "Alpha")]
    [problem] = [str(p) for p in result.problems]
    assert problem.startswith(f"{huge}: ")
