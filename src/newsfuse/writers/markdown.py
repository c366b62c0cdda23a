"""Markdown: title, cited summary, then the sections that have content, then the sources."""

from __future__ import annotations

from newsfuse.model import Briefing, SummarySentence

MAX_QUOTES = 12  # the most widely carried; a briefing is read, the JSON is for tools


def render(b: Briefing) -> str:
    number = {s.id: n for n, s in enumerate(b.sources, start=1)}
    out = [f"# {inline(b.title)}", ""]
    if b.entities:
        names = ", ".join(e.name for e in b.entities[:8])
        out += [f"*Who and where:* {inline(names)}", ""]
    if b.summary:
        out += [_summary_line(s, number) for s in b.summary] + [""]
    else:
        out += ["*No sentence could be taken from the sources.*", ""]
    if b.quotes:
        out += ["## Who said what", ""]
        out += [
            f"- {_speaker(q.speaker)}: “{inline(q.text)}” "
            + "".join(f"[{number[x]}]" for x in q.sources)
            for q in b.quotes[:MAX_QUOTES]
        ]
        if len(b.quotes) > MAX_QUOTES:
            out.append(f"- *… {len(b.quotes) - MAX_QUOTES} more in the JSON output*")
        out.append("")
    if b.conflicts:
        out += ["## Where sources differ", ""]
        for f in b.conflicts:
            vals = "; ".join(
                f"{inline(v.value)} " + "".join(f"[{number[x]}]" for x in v.sources)
                for v in f.values
            )
            out.append(f"- {inline(f.about)}: {vals}")
        out.append("")
    if b.timeline:
        out += ["## Timeline", ""]
        out += [f"- {e.date}: {inline(e.text)} [{number[e.source]}]" for e in b.timeline]
        out.append("")
    out += ["## Sources", ""]
    for s in b.sources:
        parts = [f"**{s.id}**"]
        parts += [inline(x) for x in (s.title, s.outlet, s.published, s.url) if x]
        parts.append(f"{s.words_kept} of {s.words_in} words kept")
        if s.flags:
            flag = ", ".join(s.flags)
            parts.append(f"*{flag}*" + (f" of {s.duplicate_of}" if s.duplicate_of else ""))
        out.append(f"{number[s.id]}. " + " — ".join(parts))
    if b.problems:
        out += ["", "## Inputs not used", ""]
        out += [f"- {inline(p)}" for p in b.problems]
    return "\n".join(out) + "\n"


def _summary_line(s: SummarySentence, number: dict[str, int]) -> str:
    """A summary sentence, its citations, and how many outlets report it."""
    marks = "".join(f"[{number[x]}]" for x in s.supported_by)
    n = len(s.supported_by)
    return f"- {inline(s.text)} {marks} *({n} {'outlet' if n == 1 else 'outlets'})*"


def _speaker(name: str | None) -> str:
    return f"**{inline(name)}**" if name is not None else "*(unattributed)*"


def inline(text: str) -> str:
    """Text safe inside a Markdown line: no line breaks, no raw HTML or link syntax."""
    text = " ".join(text.split())
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text
