"""Request bodies refused past their limit before they are read into memory.

The limit is HANSEI_MAX_DOCUMENT_BYTES for a document (Markdown or JSON) and three
times that for a form, whose percent-encoding triples the bytes of non-ASCII text.
A `Content-Length` over the limit is refused at the first read; a body without one
(chunked) is counted as it streams in and refused as soon as it passes the limit.
Both surface where the app reads the body, as a 413 in the app's own error format.
"""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import FormData, Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hansei.markdown.limits import megabytes
from hansei.web.context import app_context

_FORM_TYPES = (b"application/x-www-form-urlencoded", b"multipart/form-data")
# What a form's fields other than the document may add (names, CSRF token, rows).
_FORM_SLACK = 64 * 1024
# Enough for an editor form of the longest timeline and action-item list a document
# within the limits holds; the body limit bounds the work anyway.
MAX_FORM_FIELDS = 100_000


def form_limit(document_bytes: int) -> int:
    return 3 * document_bytes + _FORM_SLACK


async def read_form(request: Request) -> FormData:
    """The form of a request, taking one field as large as the whole body may be: the
    form parser's own limits (1 MB a field, 1,000 fields) answered a bare 400 where the
    page refuses a document over a limit with the typed text kept."""
    limit = form_limit(app_context(request).settings.document_limits().max_bytes)
    return await request.form(max_part_size=limit, max_fields=MAX_FORM_FIELDS)


class BodyTooLarge(HTTPException):
    def __init__(self, size: str, limit: int) -> None:
        super().__init__(
            413,
            f"the request body is too large ({size}, limit {megabytes(limit)}): "
            "HANSEI_MAX_DOCUMENT_BYTES sets the limit",
        )


class BodyLimit:
    def __init__(self, app: ASGIApp, *, document_bytes: int) -> None:
        self.app = app
        self.document_bytes = document_bytes

    def limit_for(self, content_type: bytes) -> int:
        if content_type.lower().startswith(_FORM_TYPES):
            return form_limit(self.document_bytes)
        return self.document_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        # A header sent twice is held to the strictest reading of it: the app may read
        # either one.
        types = headers.getlist("content-type") or [""]
        limit = min(self.limit_for(value.encode("latin-1")) for value in types)
        lengths = [
            _declared_length(value.encode("latin-1")) for value in headers.getlist("content-length")
        ]
        declared = max((length for length in lengths if length is not None), default=None)
        received = 0

        async def bounded_receive() -> Message:
            nonlocal received
            if declared is not None and declared > limit:
                raise BodyTooLarge(megabytes(declared, beside=limit), limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(f"over {megabytes(limit)}", limit)
            return message

        await self.app(scope, bounded_receive, send)


def _declared_length(value: bytes | None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    return int(value)
