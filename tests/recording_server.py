"""A real HTTP server on 127.0.0.1 that records each request and answers as told."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float
    """When it arrived (time.monotonic())."""

    def json(self) -> Any:
        return json.loads(self.body)


Body = dict[str, Any] | list[Any] | str
Answer = tuple[int, Body] | tuple[int, Body, dict[str, str]]
"""A status and a JSON body (or plain text), and headers to send besides."""


@dataclass
class RecordingServer:
    url: str
    received: list[Received] = field(default_factory=list)
    answer: Callable[[Received], Answer] = lambda request: (200, "ok")


@contextmanager
def recording_server() -> Iterator[RecordingServer]:
    recorder = RecordingServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = Received(
                method=self.command,
                path=self.path,
                headers={key.lower(): value for key, value in self.headers.items()},
                body=self.rfile.read(length),
                at=time.monotonic(),
            )
            recorder.received.append(request)
            status, body, *extra = recorder.answer(request)
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            kind = "text/plain" if isinstance(body, str) else "application/json"
            self.send_header("Content-Type", kind)
            for name, value in (extra[0] if extra else {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = _handle  # noqa: N815

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the tests read `received` instead."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    recorder.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
