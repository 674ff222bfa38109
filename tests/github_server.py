"""A stand-in for GitHub's issue API on 127.0.0.1. It answers a request only when the
request follows https://docs.github.com/en/rest/issues/issues (create an issue, list a
repository's issues), and refuses it otherwise as GitHub would."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.recording_server import Answer, Received, RecordingServer, recording_server

TOKEN = "ghp_test_token"
_ISSUES_PATH = re.compile(r"^(?P<prefix>(?:/api/v3)?)/repos/(?P<repo>[^/]+/[^/]+)/issues$")
_LIST_PARAMETERS = {"milestone", "state", "assignee", "creator", "mentioned", "labels", "sort",
                    "direction", "since", "per_page", "page"}  # fmt: skip


@dataclass
class GitHub:
    server: RecordingServer
    prefix: str
    opened: list[dict[str, Any]] = field(default_factory=list)
    refuse_titles: set[str] = field(default_factory=set)
    lost_answers: set[str] = field(default_factory=set)
    """Titles whose issue is created and whose answer is a 502, as from a proxy that gave up."""
    moved: dict[str, str] = field(default_factory=dict)
    """Renamed repositories: old OWNER/REPO to new."""
    delay_seconds: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def api_url(self) -> str:
        return self.server.url + self.prefix

    @property
    def received(self) -> list[Received]:
        return self.server.received

    def writes(self) -> list[Received]:
        return [request for request in self.received if request.method == "POST"]

    def answer(self, request: Received) -> Answer:
        url = urlsplit(request.path)
        path = _ISSUES_PATH.match(url.path)
        if not path or path["prefix"] != self.prefix or request.method not in ("GET", "POST"):
            return 404, {"message": "Not Found"}
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return 401, {"message": "Bad credentials"}
        if request.headers.get("accept") != "application/vnd.github+json":
            return 415, {"message": "Unsupported 'Accept' header"}
        if request.headers.get("x-github-api-version") != "2022-11-28":
            return 400, {"message": "Unsupported API version"}
        if not request.headers.get("user-agent"):
            return 403, {"message": "Request forbidden by administrative rules."}
        if path["repo"] in self.moved:
            new = f"{self.prefix}/repos/{self.moved[path['repo']]}/issues"
            return (
                307,
                {"message": "Moved"},
                {"Location": new + (f"?{url.query}" if url.query else "")},
            )
        if request.method == "GET":
            return self._list(path["repo"], parse_qs(url.query))
        return self._create(path["repo"], request.json())

    def _create(self, repo: str, payload: dict[str, Any]) -> Answer:
        title = payload.get("title")
        if not isinstance(title, str) or not title or title in self.refuse_titles:
            problem = {"resource": "Issue", "field": "title", "code": "invalid"}
            return 422, {"message": "Validation Failed", "errors": [problem]}
        if set(payload) - {"title", "body", "labels", "assignees", "milestone"}:
            return 422, {"message": "Validation Failed"}
        if self.delay_seconds:
            threading.Event().wait(self.delay_seconds)
        with self._lock:
            number = len(self.opened) + 1
            issue = {
                **payload,
                "repo": repo,
                "number": number,
                "html_url": f"https://github.example/{repo}/issues/{number}",
                "updated_at": dt.datetime.now(dt.UTC),
            }
            self.opened.append(issue)
        if title in self.lost_answers:
            return 502, {"message": "Server Error"}
        return 201, {"number": number, "html_url": issue["html_url"], "title": title}

    def _list(self, repo: str, query: dict[str, list[str]]) -> Answer:
        if set(query) - _LIST_PARAMETERS or any(len(values) > 1 for values in query.values()):
            return 422, {"message": "Validation Failed"}
        value = {name: values[0] for name, values in query.items()}
        per_page, page = int(value.get("per_page", "30")), int(value.get("page", "1"))
        if value.get("state", "open") not in ("open", "closed", "all") or not 1 <= per_page <= 100:
            return 422, {"message": "Validation Failed"}
        since = dt.datetime.min.replace(tzinfo=dt.UTC)
        if "since" in value:
            if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", value["since"]):
                return 422, {"message": "Validation Failed"}
            since = dt.datetime.fromisoformat(value["since"])
        with self._lock:
            issues = [i for i in self.opened if i["repo"] == repo and i["updated_at"] >= since]
        issues.reverse()  # sort=created, direction=desc
        shown = issues[(page - 1) * per_page : page * per_page]
        return 200, [
            {"number": i["number"], "html_url": i["html_url"], "body": i.get("body")} for i in shown
        ]


@contextmanager
def github_server(prefix: str = "") -> Iterator[GitHub]:
    with recording_server() as server:
        github = GitHub(server, prefix)
        server.answer = github.answer
        yield github
