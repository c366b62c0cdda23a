"""The guard rails of the service: bodies over a size limit get 413, and every refused
request is answered with one line of ``detail`` (never a traceback, never a 500)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsfuse.errors import NewsfuseError


class BodyLimit:
    """ASGI middleware: a request body over ``max_bytes`` is refused with 413, whether it
    announces its length or streams in chunks."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _declared_length(scope) > self.max_bytes:
            await JSONResponse({"detail": self._too_large()}, 413)(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise HTTPException(413, self._too_large())
            return message

        await self.app(scope, limited, send)

    def _too_large(self) -> str:
        return f"request body is larger than {self.max_bytes} bytes"


def install(app: FastAPI) -> None:
    """One-line answers for invalid requests and for inputs the pipeline cannot use."""
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]
    app.add_exception_handler(NewsfuseError, _unusable)  # type: ignore[arg-type]


def one_line(error: dict[str, Any]) -> str:
    """``articles.0.text: Input should be a valid string`` from a pydantic error."""
    where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
    return " ".join(f"{where}: {error.get('msg', 'invalid')}".split())


async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = list(exc.errors())
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.method == "POST" and kind != "application/json":
        return JSONResponse(
            {"detail": "send the body as JSON (Content-Type: application/json)"}, 415
        )
    if errors and errors[0].get("type") == "missing" and tuple(errors[0]["loc"]) == ("body",):
        return JSONResponse({"detail": 'the body is empty; send {"articles": [...]}'}, 422)
    if any(e.get("type") == "json_invalid" for e in errors):
        reason = errors[0].get("ctx", {}).get("error", "cannot be parsed")
        return JSONResponse({"detail": f"malformed JSON: {reason}"}, 400)
    first = one_line(errors[0]) if errors else "invalid request"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return JSONResponse({"detail": first + more}, 422)


async def _unusable(request: Request, exc: NewsfuseError) -> JSONResponse:
    return JSONResponse({"detail": " ".join(str(exc).split())}, 422)


def _declared_length(scope: Scope) -> int:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else 0
    return 0
