"""Builders and paths shared by the tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsfuse.model import Article

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"

PROSE = (
    "The city council approved the new budget on Tuesday after a long debate about schools.",
    "Officials said the plan would add funding for teachers and repair several old buildings.",
    "Critics argued that the council had ignored the cost of road repairs in the poorer districts.",
    "The mayor said she would sign the measure before the end of the week.",
    "A final vote on the transport plan is expected next month, according to the clerk.",
)


def article(ident: str = "a", text: str | None = None, **kw: Any) -> Article:
    return Article(id=ident, text=text if text is not None else "\n".join(PROSE), **kw)


def needs(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not present (it lives in ../shared beside the repository)")
    return path


def load_clusters(name: str, limit: int | None = None) -> list[dict[str, Any]]:
    path = needs(DATA / "summarization" / name / "clusters.jsonl")
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            out.append(json.loads(line))
            if limit is not None and len(out) >= limit:
                break
    return out


def cluster_articles(cluster: dict[str, Any]) -> list[Article]:
    return [
        Article(id=d["id"], text=d["text"], title=d.get("title") or None) for d in cluster["docs"]
    ]


@pytest.fixture(scope="session")
def seeds() -> Path:
    return needs(SEEDS)
