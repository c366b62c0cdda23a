"""A claim check as Markdown or JSON (`newsfuse check`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from newsfuse.errors import ConfigError
from newsfuse.model import ClaimCheck, ClaimReport
from newsfuse.writers.markdown import inline

FORMATS = ("json", "markdown")


def render(c: ClaimCheck, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(as_dict(c), ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        return _markdown(c)
    raise ConfigError(f"unknown format {fmt!r}; use one of {list(FORMATS)}")


def as_dict(c: ClaimCheck) -> dict[str, Any]:
    return {
        "claim": c.claim,
        "support": [{"source": r.source, "text": r.text, "score": r.score} for r in c.support],
        "differ": [
            {"source": r.source, "text": r.text, "values": list(r.values)} for r in c.differ
        ],
        "silent": list(c.silent),
        "problems": list(c.problems),
    }


def _markdown(c: ClaimCheck) -> str:
    out = [f"# Claim: {inline(c.claim)}", ""]
    out += _section("Reported by", c.support, lambda r: f"({r.score:.2f})")
    out += _section("Different numbers", c.differ, lambda r: f"({', '.join(r.values)})")
    out += ["## Silent", ""]
    out += [f"- {inline(s)}" for s in c.silent] or ["*none*"]
    if c.problems:
        out += ["", "## Inputs not used", ""] + [f"- {inline(p)}" for p in c.problems]
    return "\n".join(out) + "\n"


def _section(
    title: str, rows: tuple[ClaimReport, ...], note: Callable[[ClaimReport], str]
) -> list[str]:
    lines = [f"## {title} ({len(rows)})", ""]
    lines += [f"- **{inline(r.source)}** {note(r)}: “{inline(r.text)}”" for r in rows]
    return [*lines, *(["*none*"] if not rows else []), ""]
