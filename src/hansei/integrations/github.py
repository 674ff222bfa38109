"""GitHub's REST API: creating an issue.

https://docs.github.com/en/rest/issues/issues#create-an-issue —
`POST {api}/repos/{owner}/{repo}/issues` with a JSON body (`title` required, `body`,
`labels`), the headers `Accept: application/vnd.github+json`,
`X-GitHub-Api-Version` and `Authorization: Bearer TOKEN`; `201 Created` answers the
new issue, `html_url` included. GitHub Enterprise Server serves the same API under
`https://HOST/api/v3`. Requests without a User-Agent are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import httpx

from hansei import __version__
from hansei.errors import DeliveryError, UsageError

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
TIMEOUT_SECONDS = 30.0
TITLE_LIMIT = 256

_REPOSITORY = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")


def checked_repository(repository: str) -> str:
    """`OWNER/REPO` as GitHub spells repositories, else a UsageError saying so."""
    if not _REPOSITORY.match(repository) or repository.split("/")[1] in (".", ".."):
        raise UsageError(f"--github {repository!r}: write the repository as OWNER/REPO")
    return repository


class GitHubError(DeliveryError):
    """GitHub refused a request. `per_item` is set when only this issue was refused (the
    next one may go through); otherwise nothing more will (token, repository, limits)."""

    def __init__(self, message: str, *, per_item: bool = False) -> None:
        super().__init__(message)
        self.per_item = per_item


@dataclass(frozen=True)
class NewIssue:
    title: str
    body: str
    labels: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CreatedIssue:
    number: int
    html_url: str


class GitHubIssues:
    """Issues of one GitHub (or GitHub Enterprise) instance, with one token."""

    def __init__(
        self, token: str, *, api_url: str = DEFAULT_API_URL, client: httpx.Client | None = None
    ) -> None:
        self._api_url = api_url.rstrip("/")
        self._client = client or httpx.Client(timeout=TIMEOUT_SECONDS)
        self._headers = {
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {token}",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": f"hansei/{__version__}",
        }

    def close(self) -> None:
        self._client.close()

    def create(self, repository: str, issue: NewIssue) -> CreatedIssue:
        payload: dict[str, Any] = {"title": issue.title[:TITLE_LIMIT], "body": issue.body}
        if issue.labels:
            payload["labels"] = issue.labels
        url = f"{self._api_url}/repos/{repository}/issues"
        try:
            response = self._client.post(url, json=payload, headers=self._headers)
        except httpx.HTTPError as error:
            raise GitHubError(f"GitHub at {self._api_url}: {error}") from error
        if response.status_code != 201:
            raise _refusal(response, repository)
        try:
            answer = response.json()
            return CreatedIssue(number=int(answer["number"]), html_url=str(answer["html_url"]))
        except (ValueError, KeyError, TypeError) as error:
            raise GitHubError(
                f"GitHub answered 201 without an issue number and html_url: {response.text[:200]}"
            ) from error


def _refusal(response: httpx.Response, repository: str) -> GitHubError:
    status = response.status_code
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        answer = {}
    said = str(answer.get("message") or response.text.strip())[:200]
    if status == 401:
        return GitHubError(f"GitHub refused the token (401 {said}): check HANSEI_GITHUB_TOKEN")
    limited = (
        response.headers.get("x-ratelimit-remaining") == "0"
        or "retry-after" in response.headers
        or "rate limit" in said.lower()  # the secondary limits say so in the message only
    )
    if status == 429 or (status == 403 and limited):
        wait = response.headers.get("retry-after")
        reset = response.headers.get("x-ratelimit-reset")
        when = (
            f"retry after {wait} s"
            if wait
            else f"the limit resets at {reset} (epoch s)"
            if reset
            else "wait a minute before the next run"
        )
        return GitHubError(f"GitHub rate limit reached ({status} {said}): {when}")
    if status in (403, 404):
        return GitHubError(
            f"GitHub answered {status} for {repository}: no such repository, or the token may "
            f"not create issues there ({said})"
        )
    if status == 410:
        return GitHubError(f"issues are turned off in {repository} (410 {said})")
    if status == 422:
        errors = "; ".join(
            str(error.get("message") or error) if isinstance(error, dict) else str(error)
            for error in answer.get("errors", [])
        )
        return GitHubError(
            f"GitHub did not take the issue (422 {said}{': ' + errors if errors else ''})",
            per_item=True,
        )
    return GitHubError(f"GitHub answered {status}: {said}")
