"""WARC archives (warcio): each HTML response record is an article, every other record (request,
metadata, images, scripts, redirects) is skipped."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsfuse.errors import InputError
from newsfuse.fetch.feeds import HTML_TYPES
from newsfuse.model import Article

# warcio logs a warning for each URI it repairs (spaces replaced); the record is read anyway
logging.getLogger("warcio").setLevel(logging.ERROR)

# (name, url, body bytes, charset) -> the page's article, or InputError naming ``name``
PageReader = Callable[[str, str, bytes, str | None], Article]


def read(path: str, page: PageReader, max_bytes: int) -> list[Article | InputError]:
    """The articles of the WARC file at ``path``; an HTML record without article text becomes
    an `InputError` naming the file and the record's URL."""
    out: list[Article | InputError] = []
    try:
        with Path(path).open("rb") as fh:
            if not fh.read(5).startswith((b"WARC/", b"\x1f\x8b")):  # WARC header, gzip member
                raise InputError(path, "not a WARC file (no WARC/1.x header at its start)")
            fh.seek(0)
            records = _QuietIterator(fh)
            out.extend(_records(path, records, page, max_bytes))
            if records.err_count:
                out.append(InputError(path, _misfits(records.err_count)))
    except FileNotFoundError as err:
        raise InputError(path, "no such file") from err
    except OSError as err:
        raise InputError(path, f"cannot be read ({err.strerror or err})") from err
    if not any(isinstance(x, Article) for x in out):
        damage = [x for x in out if isinstance(x, InputError)]
        raise damage[-1] if damage else InputError(path, "the archive holds no HTML response")
    return out


class _QuietIterator(ArchiveIterator):  # type: ignore[misc]
    """warcio's iterator without its multi-line warning on stderr for a record that does not
    end where its length says: such records are counted (``err_count``) and reported as one
    problem line instead."""

    INC_RECORD = ""


def _misfits(n: int) -> str:
    return f"{n} record(s) do not end where their length says; read as found, text may be cut"


def _records(
    path: str, records: Iterator[Any], page: PageReader, max_bytes: int
) -> Iterator[Article | InputError]:
    """The archive's articles in order; a damaged record ends the reading with one error, and
    the articles before it are kept."""
    done = 0
    while True:
        try:
            record = next(records, None)
        except ArchiveLoadFailed as err:
            yield InputError(path, f"not a WARC file ({err})" if not done else _cut(done, err))
            return
        except (
            ValueError,
            AttributeError,
            TypeError,
            LookupError,
            ArithmeticError,
            zlib.error,
        ) as err:
            # warcio parses a malformed header or gzip member into these, not into its own
            # ArchiveLoadFailed (a response without WARC-Target-URI: AttributeError; a length
            # of 30 digits: OverflowError)
            yield InputError(path, _cut(done, err))
            return
        if record is None:
            return
        done += 1
        html = _html_response(record)
        if html is not None:
            yield _article(path, html, record, page, max_bytes)


def _cut(done: int, err: Exception) -> str:
    return f"damaged after record {done}; the rest is not read ({err})"


def _html_response(record: Any) -> tuple[str, str | None] | None:
    """(URL, charset) of a successful HTML response record, else None."""
    headers = record.http_headers
    if record.rec_type != "response" or headers is None:
        return None
    if headers.get_statuscode() != "200":
        return None
    media, _, params = (headers.get_header("Content-Type") or "").partition(";")
    if media.strip().lower() not in HTML_TYPES:
        return None
    charset = params.partition("charset=")[2].strip().strip('"') or None
    return str(record.rec_headers.get_header("WARC-Target-URI") or ""), charset


def _article(
    path: str, html: tuple[str, str | None], record: Any, page: PageReader, max_bytes: int
) -> Article | InputError:
    url, charset = html
    name = f"{path}: {url}"
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return InputError(name, f"record is over the {max_bytes // 2**20} MB cap")
    try:
        article = page(name, url, body, charset)
    except InputError as err:
        return err
    return Article(
        id=article.id,
        text=article.text,
        title=article.title,
        path=path,
        url=article.url,
        outlet=article.outlet,
        published=article.published,
    )


__all__ = ["PageReader", "read"]
