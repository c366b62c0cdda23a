"""Command ``serve``: the HTTP service (`newsfuse.server`) run by uvicorn."""

from __future__ import annotations

import os
from pathlib import Path

import click

from newsfuse.cli.common import config_option
from newsfuse.cli.exits import exit_on_error


@click.command()
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("news.db"),
    show_default=True,
    help="SQLite store for /api/articles and /api/stories (created when missing).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=None,
    help="Briefing processes (default: one per core; 0: a thread of the server).",
)
@config_option
def serve(db: Path, host: str, port: int, workers: int | None, config_path: str | None) -> None:
    """Serve the web page and the JSON API (POST /api/brief, /api/articles; GET /api/stories)."""
    with exit_on_error():
        import uvicorn

        from newsfuse import config
        from newsfuse.server import Settings, create_app

        settings = Settings(
            db=db,
            workers=(os.cpu_count() or 1) if workers is None else workers,
            pipeline=config.load(config_path),
        )
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
