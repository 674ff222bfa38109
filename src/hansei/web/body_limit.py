"""Request bodies refused past their limit before they are read into memory.

The limit is HANSEI_MAX_DOCUMENT_BYTES for a document (Markdown or JSON) and three
times that for a form, whose percent-encoding triples the bytes of non-ASCII text.
A `Content-Length` over the limit is refused at the first read; a body without one
(chunked) is counted as it streams in and refused as soon as it passes the limit.
Both surface where the app reads the body, as a 413 in the app's own error format.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hansei.markdown.limits import megabytes

_FORM_TYPES = (b"application/x-www-form-urlencoded", b"multipart/form-data")
# What a form's fields other than the document may add (names, CSRF token, rows).
_FORM_SLACK = 64 * 1024


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
            return 3 * self.document_bytes + _FORM_SLACK
        return self.document_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        limit = self.limit_for(headers.get(b"content-type", b""))
        declared = _declared_length(headers.get(b"content-length"))
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
