"""Errors as the client needs them: JSON with the field that was wrong for the API,
a page for the browser, the login page for a browser that is not signed in."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException

from hansei.errors import (
    AuthenticationError,
    ConflictError,
    DocumentError,
    HanseiError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    TooLargeError,
    TransitionError,
    UnreadableDocumentError,
    UsageError,
)
from hansei.web.rendering import render_error


class FieldProblem(BaseModel):
    field: str | None
    message: str


class ErrorRead(BaseModel):
    """Every error of the API: what went wrong, and where when it is about one field."""

    status: int
    message: str
    field: str | None = None
    line: int | None = None
    errors: list[FieldProblem] = []
    current_revision: int | None = None
    """On 409: the revision saved now."""
    kept_revision: int | None = None
    """On 409: the revision that keeps the refused version."""


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorRead} for code in (400, 401, 403, 404, 409, 413, 422, 428, 429)
}
"""The error responses an API operation documents."""

_STATUS: tuple[tuple[type[HanseiError], int], ...] = (
    (UnreadableDocumentError, 500),
    (NotFoundError, 404),
    (ConflictError, 409),
    (TransitionError, 409),
    (TooLargeError, 413),
    (DocumentError, 422),
    (UsageError, 400),
    (RateLimitedError, 429),
    (AuthenticationError, 401),
    (PermissionDeniedError, 403),
)


def field_path(location: tuple[int | str, ...] | list[int | str]) -> str | None:
    """`("body", "postmortem", "timeline", 2, "at")` → `postmortem.timeline[2].at`."""
    parts = [part for part in location if part not in ("body", "query", "path", "header")]
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or None


def validation_problems(errors: list[Any]) -> list[FieldProblem]:
    return [
        FieldProblem(field=field_path(tuple(error.get("loc", ()))), message=error["msg"])
        for error in errors
    ]


# The API's reference is a page for people: it signs them in like the others.
_API_PAGES = frozenset({"/api/v1/docs"})


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") and path not in _API_PAGES


def _json(status: int, body: ErrorRead, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _respond(request: Request, status: int, body: ErrorRead, headers: dict[str, str]) -> Response:
    if _wants_json(request):
        return _json(status, body, headers)
    return render_error(request, status, body.message, [p.message for p in body.errors])


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HanseiError)
    async def hansei_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HanseiError)
        status = next((code for kind, code in _STATUS if isinstance(error, kind)), 400)
        headers: dict[str, str] = {}
        if isinstance(error, RateLimitedError):
            headers["Retry-After"] = str(error.retry_after)
        if status == 401:
            if not _wants_json(request):
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
            headers["WWW-Authenticate"] = "Bearer"
        body = ErrorRead(status=status, message=str(error))
        if isinstance(error, ConflictError):
            body = ErrorRead(
                status=status,
                message=str(error),
                current_revision=error.current,
                kept_revision=error.kept_revision,
            )
        if isinstance(error, DocumentError):
            body = ErrorRead(
                status=status, message=error.message, field=error.field, line=error.line
            )
        return _respond(request, status, body, headers)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        return _invalid(request, validation_problems(list(error.errors())))

    @app.exception_handler(ValidationError)
    async def model_invalid(request: Request, error: Exception) -> Response:
        assert isinstance(error, ValidationError)
        return _invalid(request, validation_problems(error.errors()))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        body = ErrorRead(status=error.status_code, message=str(error.detail))
        return _respond(request, error.status_code, body, dict(error.headers or {}))


def _invalid(request: Request, problems: list[FieldProblem]) -> Response:
    first = problems[0] if problems else FieldProblem(field=None, message="invalid request")
    message = f"{first.field}: {first.message}" if first.field else first.message
    body = ErrorRead(status=422, message=message, field=first.field, errors=problems)
    return _respond(request, 422, body, {})
