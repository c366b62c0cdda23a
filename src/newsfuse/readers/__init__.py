"""Readers: turn files, directories and stdin into `Article` objects.

A registry maps a format name to a reader; a file's extension picks the format. Each reader is
a plain function ``(name, stem, data: str) -> list[Article | InputError]`` (a JSON Lines file
can hold good and bad lines). Problems with one input become an
`InputError` in the result and never stop the other inputs.

URLs (feeds and sitemaps too) and ``.warc``/``.warc.gz`` files are handed to `newsfuse.fetch`.
"""

from __future__ import annotations

import stat
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from newsfuse.errors import InputError
from newsfuse.fetch.urls import is_remote
from newsfuse.model import Article
from newsfuse.readers import html, jsonl, text
from newsfuse.readers.decode import MAX_BYTES, decode

if TYPE_CHECKING:
    from newsfuse.fetch import Fetched, Web

_NOT_REGULAR = "not a regular file (a broken link, a named pipe or a device); use - for a stream"

Reader = Callable[[str, str, str], list[Article | InputError]]

READERS: dict[str, Reader] = {"text": text.read, "html": html.read, "jsonl": jsonl.read}
EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


@dataclass(frozen=True, slots=True)
class ReadResult:
    articles: tuple[Article, ...]
    problems: tuple[InputError, ...]
    fetched: tuple[Fetched, ...] = ()  # validators of fetched URLs, to remember once kept


Track = Callable[[Sequence[tuple[str, Path | None]]], Iterable[tuple[str, Path | None]]]


def read_inputs(
    inputs: Sequence[str | Path],
    stdin: BinaryIO | None = None,
    track: Track | None = None,
    web: Web | None = None,
) -> ReadResult:
    """Read every input; ``-`` reads ``stdin`` (default: the process's stdin). ``track`` wraps
    the list of files to read, e.g. in a progress bar. URLs and WARC files are read by
    `newsfuse.fetch` with ``web`` (default: public hosts only, nothing remembered), after
    the files."""
    remote = [str(x) for x in inputs if _is_remote(x)]
    articles: list[Article] = []
    problems: list[InputError] = []
    files = list(_expand([x for x in inputs if not _is_remote(x)], problems))
    for name, path in track(files) if track else files:
        try:
            items = _read_one(name, path, stdin)
        except InputError as err:
            problems.append(err)
            continue
        problems.extend(i for i in items if isinstance(i, InputError))
        articles.extend(i for i in items if isinstance(i, Article))
    fetched: tuple[Fetched, ...] = ()
    if remote:
        # Imported here: fetching builds on the HTML reader, and a run over files never
        # loads the HTTP, feed and WARC libraries.
        from newsfuse.fetch.web import read as read_web

        got = read_web(remote, web)
        articles.extend(got.articles)
        problems.extend(got.problems)
        fetched = got.fetched
    return ReadResult(tuple(_unique_ids(articles)), tuple(problems), fetched)


def _is_remote(name: str | Path) -> bool:
    return is_remote(str(name))


@dataclass(frozen=True, slots=True)
class RecordsResult:
    articles: tuple[Article, ...]
    rejected: tuple[tuple[int, InputError], ...]  # (index in the records, why)


def read_records(records: Sequence[Mapping[str, Any]]) -> RecordsResult:
    """Articles given as JSON objects with the fields of a JSON Lines line (the HTTP API's
    body): the same objects give the same articles as a JSON Lines file on stdin. An object
    without an ``id`` is ``article-N`` (N from 1); a bad one is named ``articles[i]``."""
    items: list[Article | tuple[int, InputError]] = []
    for i, obj in enumerate(records):
        try:
            items.append(jsonl.record(f"articles[{i}]", f"article-{i + 1}", obj))
        except InputError as err:
            items.append((i, err))
    articles = [x for x in items if isinstance(x, Article)]
    rejected = tuple(x for x in items if not isinstance(x, Article))
    return RecordsResult(tuple(_unique_ids(articles)), rejected)


def read_named(name: str, content: str) -> ReadResult:
    """The articles of one input given as text with its file name (an upload, for example):
    read as ``newsfuse brief FILE`` would read it, the format chosen by extension or, with
    none known, by its content."""
    fmt = EXTENSIONS.get(Path(name).suffix.lower()) or _sniff(content)
    items = READERS[fmt](name, Path(name).stem or "input", content)
    articles = [i for i in items if isinstance(i, Article)]
    problems = tuple(i for i in items if isinstance(i, InputError))
    return ReadResult(tuple(_unique_ids(articles)), problems)


def _expand(
    inputs: Iterable[str | Path], problems: list[InputError]
) -> Iterable[tuple[str, Path | None]]:
    for raw in inputs:
        name = str(raw)
        if name == "-":
            yield name, None
            continue
        path = Path(name)
        if path.is_dir():
            found = _walk(path, problems)
            if not found:
                problems.append(InputError(name, "directory holds no .txt, .html or .jsonl file"))
            yield from ((str(p), p) for p in found)
        else:
            yield name, path


def _walk(folder: Path, problems: list[InputError]) -> list[Path]:
    """The readable files of ``folder`` and its subfolders, sorted. Links to folders are not
    followed (a link to a parent would loop); a broken link, a named pipe or a device with a
    known extension is reported, not opened (opening a pipe waits for a writer forever)."""
    found = []
    for p in sorted(folder.rglob("*")):
        if p.suffix.lower() not in EXTENSIONS or any(
            part.startswith(".") for part in p.relative_to(folder).parts
        ):
            continue
        if p.is_file():
            found.append(p)
        elif not p.is_dir():
            problems.append(InputError(str(p), _NOT_REGULAR))
    return found


def _read_one(name: str, path: Path | None, stdin: BinaryIO | None) -> list[Article | InputError]:
    if path is None:
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(MAX_BYTES + 1)
        content = decode(name, data)
        return READERS[_sniff(content)](name, "stdin", content)
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(EXTENSIONS))
        raise InputError(name, f"unsupported extension {path.suffix or '(none)'!r}; use {known}")
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError(name, _NOT_REGULAR)
        if info.st_size > MAX_BYTES:
            raise InputError(name, f"file is larger than {MAX_BYTES // 2**20} MB; split it")
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)  # it may have grown since stat
    except FileNotFoundError as err:
        raise InputError(name, "no such file") from err
    except OSError as err:
        raise InputError(name, f"cannot be read ({err.strerror or err})") from err
    shown = _printable(name)
    items = READERS[fmt](shown, _printable(path.stem), decode(shown, data))
    return [item if isinstance(item, InputError) else replace(item, path=shown) for item in items]


def _printable(name: str) -> str:
    """A file name as text: bytes of a name that are not UTF-8 (kept by Python as lone
    surrogates, which no UTF-8 output or SQLite accepts) become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _sniff(content: str) -> str:
    head = content.lstrip()[:2000].lower()
    if head.startswith("<") and ("<html" in head or "<body" in head or "<p" in head):
        return "html"
    first = head.splitlines()[0] if head else ""
    if first.startswith("{") and first.rstrip().endswith("}"):
        return "jsonl"
    return "text"


def _unique_ids(articles: list[Article]) -> list[Article]:
    """Ids stay stable (the file stem or the ``id`` field); clashes get ``-2``, ``-3``..."""
    seen: dict[str, int] = {}
    out = []
    for art in articles:
        n = seen.get(art.id, 0) + 1
        seen[art.id] = n
        out.append(art if n == 1 else replace(art, id=f"{art.id}-{n}"))
    return out


__all__ = [
    "EXTENSIONS",
    "READERS",
    "ReadResult",
    "RecordsResult",
    "read_inputs",
    "read_named",
    "read_records",
]
