"""Writers: a registry of output formats for a `Briefing`."""

from __future__ import annotations

from collections.abc import Callable

from newsfuse.errors import ConfigError
from newsfuse.model import Briefing
from newsfuse.writers import html, json_writer, markdown

WRITERS: dict[str, Callable[[Briefing], str]] = {
    "markdown": markdown.render,
    "json": json_writer.render,
    "html": html.render,
}


def render(briefing: Briefing, fmt: str) -> str:
    try:
        writer = WRITERS[fmt]
    except KeyError as err:
        raise ConfigError(f"unknown format {fmt!r}; use one of {sorted(WRITERS)}") from err
    return writer(briefing)


__all__ = ["WRITERS", "render"]
