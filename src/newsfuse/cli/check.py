"""Command ``check``: a thin wrapper over `newsfuse.pipeline.check_claim`."""

from __future__ import annotations

from pathlib import Path

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
from newsfuse.writers import claims


@click.command()
@click.argument("claim")
@inputs_argument
@click.option("--format", "fmt", type=click.Choice(claims.FORMATS), default="markdown")
@config_option
@allow_host_option
@output_option
def check(
    claim: str,
    inputs: tuple[str, ...],
    fmt: str,
    config_path: str | None,
    allow_hosts: tuple[str, ...],
    output: Path | None,
) -> None:
    """Which of INPUTS (files, directories, -, URLs, feeds, WARC files) report CLAIM (with the
    passage), which give different numbers for it, and which are silent."""

    def run() -> str:
        from newsfuse import config
        from newsfuse.pipeline import check_claim

        settings = config.load(config_path)
        articles = read(inputs, web(allow_hosts, settings.fetch))
        return claims.render(check_claim(claim, articles, settings), fmt)

    emit(guard(run), output)
