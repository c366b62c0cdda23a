"""The HTTP service: a FastAPI app over the same functions as the command line.

``app.py`` routes requests, ``work.py`` holds the calls that run off the event loop (briefing
in worker processes, the store in one thread), ``schema.py`` the request and response shapes,
``limits.py`` the body-size guard and the one-line error answers.
"""

from __future__ import annotations

from newsfuse.server.app import Settings, create_app

__all__ = ["Settings", "create_app"]
