"""JSON: the shape other tools rely on (documented in README.md)."""

from __future__ import annotations

import json
from typing import Any

from newsfuse.model import Briefing, Fact


def as_dict(b: Briefing) -> dict[str, Any]:
    return {
        "title": b.title,
        "summary": [
            {
                "text": s.text,
                "source": s.source,
                "supported_by": list(s.supported_by),
                "evidence": [{"source": e.source, "text": e.text} for e in s.evidence],
            }
            for s in b.summary
        ],
        "sources": [
            {
                "id": s.id,
                "path": s.path,
                "url": s.url,
                "title": s.title,
                "outlet": s.outlet,
                "published": s.published,
                "words_in": s.words_in,
                "words_kept": s.words_kept,
                "flags": list(s.flags),
                "duplicate_of": s.duplicate_of,
                "spun_score": s.spun_score,
            }
            for s in b.sources
        ],
        "quotes": [
            {"speaker": q.speaker, "text": q.text, "sources": list(q.sources)} for q in b.quotes
        ],
        "conflicts": [_fact(f) for f in b.conflicts],
        "facts": [_fact(f) for f in b.agreements],
        "entities": [
            {"name": e.name, "label": e.label, "mentions": dict(e.counts)} for e in b.entities
        ],
        "timeline": [{"date": e.date, "text": e.text, "source": e.source} for e in b.timeline],
        "problems": list(b.problems),
    }


def _fact(f: Fact) -> dict[str, Any]:
    return {
        "about": f.about,
        "values": [{"value": v.value, "sources": list(v.sources)} for v in f.values],
    }


def render(b: Briefing) -> str:
    return json.dumps(as_dict(b), ensure_ascii=False, indent=2) + "\n"
