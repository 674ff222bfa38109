"""A stand-in for GitHub's issue API on 127.0.0.1: it answers a request only when it
follows https://docs.github.com/en/rest/issues/issues#create-an-issue, as GitHub would
refuse it otherwise."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from tests.recording_server import Answer, Received, RecordingServer, recording_server

TOKEN = "ghp_test_token"
_ISSUES_PATH = re.compile(r"^(?P<prefix>(?:/api/v3)?)/repos/(?P<repo>[^/]+/[^/]+)/issues$")


@dataclass
class GitHub:
    server: RecordingServer
    prefix: str
    opened: list[dict[str, object]] = field(default_factory=list)
    refuse_titles: set[str] = field(default_factory=set)
    delay_seconds: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def api_url(self) -> str:
        return self.server.url + self.prefix

    @property
    def received(self) -> list[Received]:
        return self.server.received

    def answer(self, request: Received) -> Answer:
        path = _ISSUES_PATH.match(request.path)
        if request.method != "POST" or not path or path["prefix"] != self.prefix:
            return 404, {"message": "Not Found"}
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return 401, {"message": "Bad credentials"}
        if request.headers.get("accept") != "application/vnd.github+json":
            return 415, {"message": "Unsupported 'Accept' header"}
        if request.headers.get("x-github-api-version") != "2022-11-28":
            return 400, {"message": "Unsupported API version"}
        if not request.headers.get("user-agent"):
            return 403, {"message": "Request forbidden by administrative rules."}
        payload = request.json()
        title = payload.get("title")
        if not isinstance(title, str) or not title or title in self.refuse_titles:
            return 422, {"message": "Validation Failed", "errors": [{"field": "title"}]}
        if set(payload) - {"title", "body", "labels", "assignees", "milestone"}:
            return 422, {"message": "Validation Failed"}
        if self.delay_seconds:
            threading.Event().wait(self.delay_seconds)
        with self._lock:
            number = len(self.opened) + 1
            self.opened.append({"repo": path["repo"], **payload})
        html_url = f"https://github.example/{path['repo']}/issues/{number}"
        return 201, {"number": number, "html_url": html_url, "title": title}


@contextmanager
def github_server(prefix: str = "") -> Iterator[GitHub]:
    with recording_server() as server:
        github = GitHub(server, prefix)
        server.answer = github.answer
        yield github
