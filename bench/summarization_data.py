"""The summarization benchmark sets: which clusters, which references, which word limit.

Data is read from ``../shared/data/summarization`` beside the checkout (never copied here).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "summarization"


@dataclass(frozen=True, slots=True)
class Doc:
    id: str
    title: str | None
    date: str  # sortable, "" when unknown
    text: str


@dataclass(frozen=True, slots=True)
class Cluster:
    id: str
    docs: tuple[Doc, ...]
    refs: tuple[str, ...]
    query: str | None  # title and narrative of a query-focused topic


@dataclass(frozen=True, slots=True)
class BenchSet:
    name: str
    folder: str
    words: int
    subset: str | None = None  # DUC 2007 update: only this subset (A = plain MDS)
    peers: bool = False  # score the participant systems in peers.jsonl too

    def clusters(self, limit: int | None = None, skip: int = 0) -> list[Cluster]:
        out: list[Cluster] = []
        for row in _rows(DATA / self.folder / "clusters.jsonl"):
            if self.subset and row.get("subset") != self.subset:
                continue
            skip -= 1
            if skip >= 0:
                continue
            out.append(_cluster(row))
            if limit is not None and len(out) >= limit:
                break
        return out

    def peer_summaries(self) -> dict[str, dict[str, str]]:
        """System id -> cluster id -> summary, for the automatic participants only (numeric
        ids; letters are the human reference writers, scored against themselves otherwise)."""
        out: dict[str, dict[str, str]] = {}
        if not self.peers:
            return out
        for row in _rows(DATA / self.folder / "peers.jsonl"):
            if row["summarizer"].isdigit():
                out.setdefault(row["summarizer"], {})[row["cluster"]] = row["text"]
        return out


SETS = {
    s.name: s
    for s in (
        BenchSet("duc2002", "duc2002", 100),
        BenchSet("duc2007_update_A", "duc2007_update", 100, subset="A", peers=True),
        BenchSet("duc2006", "duc2006", 250, peers=True),
        BenchSet("duc2007_main", "duc2007_main", 250),
        BenchSet("multinews-dev", "multinews-dev", 250),
    )
}


def _rows(path: Path) -> Iterator[dict[str, Any]]:
    if not path.exists():
        raise SystemExit(f"{path} is missing: benchmark data lives in ../shared beside the repo")
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _cluster(row: dict[str, Any]) -> Cluster:
    docs = tuple(
        Doc(d["id"], d.get("title") or None, d.get("date") or _date_from_id(d["id"]), d["text"])
        for d in row["docs"]
    )
    q = row.get("query")
    query = f"{q['title']}. {q['narrative']}" if q else None
    return Cluster(row["id"], docs, tuple(row["refs"]), query)


_ID_DATE = re.compile(r"^(AP|WSJ|NYT|APW|XIE|SJMN)(\d{2})(\d{2})(\d{2})")
_LA_DATE = re.compile(r"^LA(\d{2})(\d{2})(\d{2})")


def _date_from_id(doc_id: str) -> str:
    """TREC ids carry the date: AP880911-0016 is 1988-09-11, LA010189 is 1989-01-01."""
    if m := _ID_DATE.match(doc_id):
        return f"19{m[2]}-{m[3]}-{m[4]}"
    if m := _LA_DATE.match(doc_id):
        return f"19{m[3]}-{m[1]}-{m[2]}"
    return ""
