"""Commands ``brief`` and ``clean``: thin wrappers over `newsfuse.pipeline` and
`newsfuse.clean`."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import click

from newsfuse.cli.common import (
    allow_host_option,
    config_option,
    emit,
    guard,
    inputs_argument,
    output_option,
    read,
    web,
)
from newsfuse.cli.corpus import inputs_or_story
from newsfuse.writers import WRITERS, render

if TYPE_CHECKING:
    from newsfuse.model import CleanArticle

# The stages (SciPy, the HTML extractor, spaCy) are imported inside the commands that run
# them: `newsfuse --help` and the corpus commands do not pay for them.


@click.command()
@click.argument("inputs", nargs=-1)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Brief a story of this store instead of INPUTS (with --story).",
)
@click.option("--story", type=int, default=None, help="Story id (newsfuse stories --list).")
@click.option("--words", type=int, default=None, help="Summary word budget (default 120).")
@click.option("--focus", default=None, help="Question or topic the summary should answer.")
@click.option("--format", "fmt", type=click.Choice(sorted(WRITERS)), default="markdown")
@click.option(
    "--models/--no-models",
    default=None,
    help="Find names with the spaCy pipeline when installed (default), or the fast path.",
)
@config_option
@allow_host_option
@output_option
def brief(
    inputs: tuple[str, ...],
    db: Path | None,
    story: int | None,
    words: int | None,
    focus: str | None,
    fmt: str,
    models: bool | None,
    config_path: str | None,
    allow_hosts: tuple[str, ...],
    output: Path | None,
) -> None:
    """Brief INPUTS: files (.txt .html .jsonl .warc), directories, - for stdin, article URLs,
    feeds or sitemaps; or one story of a store: --db news.db --story ID."""

    def run() -> str:
        from newsfuse import config
        from newsfuse.pipeline import brief_articles

        settings = config.load(config_path).with_flags(words=words, focus=focus, models=models)
        reader = partial(read, web=web(allow_hosts, settings.fetch))
        articles = inputs_or_story(inputs, db, story, reader)
        return render(brief_articles(articles, settings), fmt)

    emit(guard(run), output)


@click.command()
@inputs_argument
@click.option("--format", "fmt", type=click.Choice(["jsonl", "text"]), default="jsonl")
@allow_host_option
@output_option
def clean(
    inputs: tuple[str, ...], fmt: str, allow_hosts: tuple[str, ...], output: Path | None
) -> None:
    """Write the cleaned articles: one JSON object a line, or plain text."""

    def run() -> str:
        from newsfuse.clean import clean_articles

        cleaned = clean_articles(read(inputs, web(allow_hosts)))
        return "".join(_clean_line(c, fmt) for c in cleaned)

    emit(guard(run), output)


def _clean_line(c: CleanArticle, fmt: str) -> str:
    a = c.article
    if fmt == "text":
        return f"# {a.id}\n{c.text}\n\n"
    record = {
        "id": a.id,
        "title": a.title,
        "outlet": a.outlet,
        "published": a.published,
        "text": c.text,
    }
    return json.dumps(record, ensure_ascii=False) + "\n"
