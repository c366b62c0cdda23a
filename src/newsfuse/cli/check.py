"""Command ``check``: a thin wrapper over `newsfuse.pipeline.check_claim`."""

from __future__ import annotations

from pathlib import Path

import click

from newsfuse import config
from newsfuse.cli.common import config_option, emit, guard, inputs_argument, output_option, read
from newsfuse.pipeline import check_claim
from newsfuse.writers import claims


@click.command()
@click.argument("claim")
@inputs_argument
@click.option("--format", "fmt", type=click.Choice(claims.FORMATS), default="markdown")
@config_option
@output_option
def check(
    claim: str, inputs: tuple[str, ...], fmt: str, config_path: str | None, output: Path | None
) -> None:
    """Which of INPUTS report CLAIM (with the passage), which give different numbers for it,
    and which are silent."""

    def run() -> str:
        settings = config.load(config_path)
        return claims.render(check_claim(claim, read(inputs), settings), fmt)

    emit(guard(run), output)
