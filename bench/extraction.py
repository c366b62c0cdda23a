"""Extraction benchmark: trafilatura alone against trafilatura followed by newsfuse's clean pass.

Run from the repository root::

    python -m bench.extraction                      # all five gold sets
    python -m bench.extraction --limit 20 --sets scrapinghub,dragnet

Gold sets are read from ``../shared/data/extraction`` (tarballs are read in memory with
`tarfile`, never extracted). The metric is token precision, recall and F1 per page: lower-cased
``\\w+`` tokens compared as bags of words (multiset overlap), then averaged over the pages of a
set (P, R and F1 are each the mean of the per-page values). Pages whose gold holds no token are
skipped. Dragnet gold is the article, a separator line, then reader comments: the article part
is the gold, and the share of comment tokens that survive in the output is reported apart.

The two systems:

* ``trafilatura``: ``trafilatura.extract(html, include_comments=False, include_tables=False)``.
* ``newsfuse``: ``newsfuse.readers.html.extract`` then ``newsfuse.clean.clean_article``. The
  clean pass keeps a title out of the body; when that title is a line of the extracted text and
  not in the cleaned body it is counted as kept text, so that both systems are scored on the
  same text.

Both get the page decoded the same way (``newsfuse.readers.decode``). Progress goes to stderr;
Ctrl-C stops and prints what was measured so far. The result is a Markdown table on stdout.
"""

from __future__ import annotations

import argparse
import gzip
import html as html_lib
import json
import re
import sys
import tarfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newsfuse.clean import clean_article
from newsfuse.errors import InputError
from newsfuse.readers.decode import decode
from newsfuse.readers.html import extract
from newsfuse.text import words

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "extraction"
SETS = ("scrapinghub", "wcxb", "cleaneval", "cleanportaleval", "dragnet")
SYSTEMS = ("trafilatura", "newsfuse")

_TOKEN = re.compile(r"\w+")
# CleanEval gold marks blocks with <p>, <h> and <l> at the start of a line (sometimes <li>).
_GOLD_MARKER = re.compile(r"<(?:p|h\d?|l|li)>", re.IGNORECASE)
# Dragnet's separator between article and comments; its spelling varies (see README.txt).
_DRAGNET_SEPARATOR = re.compile(r"!+@#\$%\^&\*\(\)[^\n]*")


@dataclass(frozen=True, slots=True)
class Page:
    """One benchmark page: decoded HTML, the gold main text and, for dragnet, the comments."""

    set: str
    id: str
    html: str
    gold: str
    comments: str = ""


@dataclass(frozen=True, slots=True)
class Score:
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True)
class Run:
    """One system on one page: its score, seconds taken and comment tokens left (or None)."""

    score: Score
    seconds: float
    comments_left: float | None


@dataclass(frozen=True, slots=True)
class PageResult:
    page_set: str
    page_id: str
    runs: dict[str, Run]


@dataclass(slots=True)
class Tally:
    """Mean scores of a set so far, per system."""

    pages: int = 0
    sums: dict[str, list[float]] = field(default_factory=dict)
    comment_pages: int = 0

    def add(self, result: PageResult) -> None:
        self.pages += 1
        has_comments = False
        for name, run in result.runs.items():
            s = self.sums.setdefault(name, [0.0] * 5)
            s[0] += run.score.precision
            s[1] += run.score.recall
            s[2] += run.score.f1
            s[3] += run.seconds
            if run.comments_left is not None:
                s[4] += run.comments_left
                has_comments = True
        self.comment_pages += has_comments

    def mean(self, system: str, column: int) -> float:
        n = self.comment_pages if column == 4 else self.pages
        return self.sums[system][column] / n if n else 0.0


# --- scoring ---------------------------------------------------------------------------------


def tokens(text: str) -> Counter[str]:
    """The bag of lower-cased ``\\w+`` tokens of ``text``."""
    return Counter(_TOKEN.findall(text.lower()))


def score(predicted: Counter[str], gold: Counter[str]) -> Score:
    """Bag-of-words precision, recall and F1 of one page (0 for an empty prediction)."""
    overlap = sum((predicted & gold).values())
    p = overlap / sum(predicted.values()) if predicted else 0.0
    r = overlap / sum(gold.values()) if gold else 0.0
    return Score(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def comments_left(predicted: Counter[str], article: Counter[str], comments: Counter[str]) -> float:
    """Share of the comment tokens found in the output beyond what the article accounts for."""
    extra = predicted - article
    return sum((extra & comments).values()) / sum(comments.values())


# --- the two systems -------------------------------------------------------------------------


def trafilatura_text(html: str) -> str:
    text = trafilatura.extract(html, include_comments=False, include_tables=False)
    return text or ""


def newsfuse_text(html: str) -> str:
    """The cleaned body, with the title in front when the clean pass moved it out of the body."""
    try:
        article = extract("page", "page", html)
    except InputError:
        return ""
    cleaned = clean_article(article)
    title = cleaned.article.title
    if title and _moved_out(title, article.text, cleaned.text):
        return f"{title}\n{cleaned.text}"
    return cleaned.text


def _moved_out(title: str, before: str, after: str) -> bool:
    key = _line_key(title)
    return key in {_line_key(x) for x in before.split("\n")} and key not in {
        _line_key(x) for x in after.split("\n")
    }


def _line_key(line: str) -> str:
    return " ".join(w.lower() for w in words(line))


SYSTEM_FUNCTIONS: dict[str, Callable[[str], str]] = {
    "trafilatura": trafilatura_text,
    "newsfuse": newsfuse_text,
}


def measure(page: Page) -> PageResult:
    gold, comments = tokens(page.gold), tokens(page.comments)
    runs = {}
    for name, system in SYSTEM_FUNCTIONS.items():
        start = time.perf_counter()
        predicted = tokens(system(page.html))
        seconds = time.perf_counter() - start
        left = comments_left(predicted, gold, comments) if comments else None
        runs[name] = Run(score(predicted, gold), seconds, left)
    return PageResult(page.set, page.id, runs)


# --- the gold sets ---------------------------------------------------------------------------


def load(name: str, limit: int | None = None, root: Path = DATA) -> Iterator[Page]:
    """The pages of one gold set with a non-empty gold, in a fixed order, at most ``limit``."""
    pages = (p for p in _LOADERS[name](root / name) if tokens(p.gold))
    for n, page in enumerate(pages):
        if limit is not None and n >= limit:
            return
        yield page


def _scrapinghub(folder: Path) -> Iterator[Page]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    for ident in sorted(truth):
        raw = gzip.decompress((folder / "html" / f"{ident}.html.gz").read_bytes())
        yield Page("scrapinghub", ident, _decode(ident, raw), truth[ident]["articleBody"])


def _wcxb(folder: Path) -> Iterator[Page]:
    with (folder / "ground_truth.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    for row in rows:
        raw = gzip.decompress((folder / row["html_file"]).read_bytes())
        yield Page(
            "wcxb", str(row["file_id"]), _decode(row["file_id"], raw), row["main_content"] or ""
        )


def _cleaneval_like(name: str) -> Callable[[Path], Iterator[Page]]:
    def pages(folder: Path) -> Iterator[Page]:
        members = _tar_members(folder / f"{name}.tar.xz")
        for row in _index(folder):
            source, target = row.get("input"), row.get("gold")
            if not source or not target:
                continue  # a page without gold (or gold without a page)
            ident = str(row["id"])
            html = _decode(ident, members[source])
            gold = _decode(ident, members[target])
            article, comments = _split_comments(gold) if name == "dragnet" else (gold, "")
            yield Page(name, ident, html, _strip_gold_markup(article), comments)

    return pages


def _split_comments(gold: str) -> tuple[str, str]:
    """Dragnet gold as (article, comments); comments are empty when there is no separator."""
    m = _DRAGNET_SEPARATOR.search(gold)
    return (gold, "") if m is None else (gold[: m.start()], gold[m.end() :])


def _strip_gold_markup(gold: str) -> str:
    lines = gold.lstrip().split("\n")
    if lines and lines[0].startswith("URL:"):
        lines = lines[1:]
    return html_lib.unescape(_GOLD_MARKER.sub("", "\n".join(lines)))


def _index(folder: Path) -> list[dict[str, str | None]]:
    with (folder / "index.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _tar_members(path: Path) -> dict[str, bytes]:
    """Every regular file of a tarball, read in one sequential pass (xz cannot seek cheaply)."""
    out: dict[str, bytes] = {}
    with tarfile.open(path, "r:xz") as tar:
        for member in tar:
            fh = tar.extractfile(member) if member.isfile() else None
            if fh is not None:
                out[member.name] = fh.read()
    return out


def _decode(ident: str, data: bytes) -> str:
    try:
        return decode(ident, data)
    except InputError:
        return ""


_LOADERS: dict[str, Callable[[Path], Iterator[Page]]] = {
    "scrapinghub": _scrapinghub,
    "wcxb": _wcxb,
    "cleaneval": _cleaneval_like("cleaneval"),
    "cleanportaleval": _cleaneval_like("cleanportaleval"),
    "dragnet": _cleaneval_like("dragnet"),
}


# --- running and reporting -------------------------------------------------------------------


def run(
    sets: Sequence[str],
    limit: int | None,
    on_page: Callable[[PageResult], None] | None = None,
) -> tuple[dict[str, Tally], bool]:
    """Measure every page of ``sets``; returns the tallies and whether Ctrl-C stopped the run."""
    tallies = {name: Tally() for name in sets}
    console = Console(stderr=True)
    columns = (
        TextColumn("{task.description:>16}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        try:
            for name in sets:
                pages = list(load(name, limit))
                task = progress.add_task(name, total=len(pages))
                for page in pages:
                    result = measure(page)
                    tallies[name].add(result)
                    if on_page is not None:
                        on_page(result)
                    progress.advance(task)
        except KeyboardInterrupt:
            return tallies, True
    return tallies, False


def markdown(tallies: dict[str, Tally]) -> str:
    """The results as Markdown: scores per set and system, then dragnet's comment leakage."""
    head = (
        "| set | pages | trafilatura P | R | F1 | newsfuse P | R | F1 | ΔF1 "
        "| s/page trafilatura | s/page newsfuse |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    rows = [_row(name, t) for name, t in tallies.items() if t.pages]
    lines = [head, *rows]
    if len(rows) > 1:
        lines.append(_row("all (pooled pages)", _pooled(tallies)))
    drag = tallies.get("dragnet")
    if drag is not None and drag.comment_pages:
        lines += [
            "",
            "| dragnet comment tokens left in the output | pages with comments "
            "| trafilatura | newsfuse |",
            "|---|---:|---:|---:|",
            f"| mean share of gold comment tokens | {drag.comment_pages} "
            f"| {drag.mean('trafilatura', 4):.3f} | {drag.mean('newsfuse', 4):.3f} |",
        ]
    return "\n".join(lines)


def _row(name: str, t: Tally) -> str:
    cells = [f"{t.mean(s, c):.3f}" for s in SYSTEMS for c in (0, 1, 2)]
    delta = t.mean("newsfuse", 2) - t.mean("trafilatura", 2)
    speed = [f"{t.mean(s, 3):.3f}" for s in SYSTEMS]
    return f"| {name} | {t.pages} | {' | '.join(cells)} | {delta:+.3f} | {' | '.join(speed)} |"


def _pooled(tallies: dict[str, Tally]) -> Tally:
    pooled = Tally()
    for t in tallies.values():
        pooled.pages += t.pages
        for system, sums in t.sums.items():
            into = pooled.sums.setdefault(system, [0.0] * 5)
            for i in range(4):
                into[i] += sums[i]
    return pooled


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.extraction", description=__doc__)
    parser.add_argument("--limit", type=int, default=None, help="at most N pages per set")
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated gold sets")
    parser.add_argument("--pages", type=Path, default=None, help="write per-page scores (JSONL)")
    args = parser.parse_args(argv)
    args.sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = [s for s in args.sets if s not in SETS]
    if unknown:
        parser.error(f"unknown set(s) {', '.join(unknown)}; choose from {', '.join(SETS)}")
    if not DATA.is_dir():
        parser.error(f"{DATA} is missing: the gold sets live in ../shared beside the checkout")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    sink = args.pages.open("w", encoding="utf-8") if args.pages else None

    def write(result: PageResult) -> None:
        if sink is not None:
            runs = {
                k: {"f1": v.score.f1, "p": v.score.precision, "r": v.score.recall}
                for k, v in result.runs.items()
            }
            sink.write(json.dumps({"set": result.page_set, "id": result.page_id, **runs}) + "\n")

    try:
        tallies, stopped = run(args.sets, args.limit, write)
    finally:
        if sink is not None:
            sink.close()
    if stopped:
        print("Interrupted: partial results over the pages measured so far.\n", file=sys.stderr)
    print(markdown(tallies))
    return 130 if stopped else 0


if __name__ == "__main__":
    sys.exit(main())
