"""GitHub's REST API: creating an issue, and finding one hansei created.

https://docs.github.com/en/rest/issues/issues —
`POST {api}/repos/{owner}/{repo}/issues` with a JSON body (`title` required, `body`,
`labels`) creates an issue and answers `201 Created` with it, `html_url` included;
`GET {api}/repos/{owner}/{repo}/issues` lists issues (`state`, `since`, `sort`,
`direction`, `per_page` up to 100, `page`). Every request sends
`Accept: application/vnd.github+json`, `X-GitHub-Api-Version` and
`Authorization: Bearer TOKEN`; one without a User-Agent is refused. A renamed
repository answers with a redirect. GitHub Enterprise Server serves the same API under
`https://HOST/api/v3`.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import TypeAdapter, ValidationError

from hansei import __version__
from hansei.errors import DeliveryError, UsageError
from hansei.integrations.github_text import shown, title
from hansei.model.links import IssueReference

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
TIMEOUT_SECONDS = 30.0
PAGE_SIZE = 100
URL_LIMIT = 2000
"""The longest html_url taken from GitHub; an issue's is a few dozen characters."""
PAGES_SEARCHED = 10

_ISSUE_URL = TypeAdapter(IssueReference).validate_python
_REPOSITORY = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")


def checked_repository(repository: str) -> str:
    """`OWNER/REPO` as GitHub spells repositories, else a UsageError saying so."""
    if not _REPOSITORY.match(repository) or repository.split("/")[1] in (".", ".."):
        raise UsageError(f"--github {repository!r}: write the repository as OWNER/REPO")
    return repository


class GitHubError(DeliveryError):
    """GitHub did not do what was asked, or did not say whether it did.

    `per_item`: only this issue was refused (the next one may go through); otherwise
    nothing more will be (the token, the repository, a limit). `about_repository`: the
    repository asked cannot be used (gone, no access, issues off), or too many of its
    issues changed to look through them. `may_exist`: the request
    reached GitHub and no clear answer came back (a timeout, a 5xx): the issue may
    have been created."""

    def __init__(
        self,
        message: str,
        *,
        per_item: bool = False,
        may_exist: bool = False,
        about_repository: bool = False,
    ) -> None:
        super().__init__(message)
        self.per_item = per_item
        self.may_exist = may_exist
        self.about_repository = about_repository


@dataclass(frozen=True)
class NewIssue:
    title: str
    body: str
    labels: list[str] = field(default_factory=list)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class GitHubIssues:
    """Issues of one GitHub (or GitHub Enterprise) instance, with one token."""

    def __init__(
        self,
        token: str,
        *,
        api_url: str = DEFAULT_API_URL,
        token_name: str = "HANSEI_GITHUB_TOKEN",
        client: httpx.Client | None = None,
    ) -> None:
        url = httpx.URL(api_url)
        if url.scheme not in ("https", "http") or not url.host:
            raise UsageError(f"HANSEI_GITHUB_API_URL {api_url!r}: not an http(s) URL")
        if url.scheme == "http" and not _loopback(url.host):
            raise UsageError(
                f"HANSEI_GITHUB_API_URL {api_url!r}: the token is sent over https only"
            )
        token = token.strip()
        if not token or not all(" " < character < "\x7f" for character in token):
            raise UsageError(f"{token_name}: a token is printable ASCII without spaces")
        self._api_url = api_url.rstrip("/")
        self._token_name = token_name
        self._client = client or httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=True)
        self._headers = {
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {token}",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": f"hansei/{__version__}",
        }

    def close(self) -> None:
        self._client.close()

    def create(self, repository: str, issue: NewIssue) -> str:
        """Create the issue; its html_url. The title goes on one line, cut to GitHub's
        limit."""
        payload: dict[str, Any] = {"title": title(issue.title), "body": issue.body}
        if issue.labels:
            payload["labels"] = issue.labels
        response = self._send("POST", repository, json=payload)
        if response.status_code != 201:
            raise self._refusal(response, repository)
        try:
            return _issue_url(response.json()["html_url"])
        except (ValueError, KeyError, TypeError) as error:
            raise GitHubError(
                f"GitHub answered 201 without an issue's URL as its html_url: "
                f"{shown(response.text[:200])}",
                may_exist=True,
            ) from error

    def find(self, repository: str, line: str, *, since: dt.datetime) -> str | None:
        """The html_url of an issue updated since `since` whose body's last line is
        `line`, None when there is none; GitHubError when too many changed to look
        through them. Only the last line counts: the same text anywhere else in a body
        (quoted in a title a person wrote, say) is not what hansei put there."""
        for page in range(1, PAGES_SEARCHED + 1):
            parameters = {
                "state": "all",
                "since": since.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "sort": "created",
                "direction": "desc",
                "per_page": str(PAGE_SIZE),
                "page": str(page),
            }
            response = self._send("GET", repository, params=parameters)
            if response.status_code != 200:
                raise self._refusal(response, repository)
            try:
                issues = response.json()
                found = [
                    _issue_url(issue["html_url"])
                    for issue in issues
                    if _last_line(issue.get("body") or "") == line and "pull_request" not in issue
                ]
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                raise GitHubError(f"GitHub's list of issues is unreadable: {error}") from error
            if found:
                return found[-1]  # the oldest: any later one is the duplicate
            if len(issues) < PAGE_SIZE:
                return None
        raise GitHubError(
            f"more than {PAGES_SEARCHED * PAGE_SIZE} issues of {repository} changed since "
            f"{since:%Y-%m-%d %H:%M} UTC: look for {line!r} by hand",
            about_repository=True,
        )

    def _send(self, method: str, repository: str, **options: Any) -> httpx.Response:
        url = f"{self._api_url}/repos/{repository}/issues"
        try:
            return self._client.request(method, url, headers=self._headers, **options)
        except httpx.HTTPError as error:
            unsent = isinstance(
                error,
                httpx.ConnectError
                | httpx.ConnectTimeout
                | httpx.PoolTimeout
                | httpx.UnsupportedProtocol
                | httpx.LocalProtocolError,
            )
            raise GitHubError(
                f"GitHub at {self._api_url}: {str(error) or type(error).__name__}",
                may_exist=method == "POST" and not unsent,
            ) from error

    def _refusal(self, response: httpx.Response, repository: str) -> GitHubError:
        status = response.status_code
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            answer = {}
        said = shown(str(answer.get("message") or response.text.strip())[:200])
        if status == 401:
            return GitHubError(f"GitHub refused the token (401 {said}): check {self._token_name}")
        limited = (
            response.headers.get("x-ratelimit-remaining") == "0"
            or "retry-after" in response.headers
            or "rate limit" in said.lower()  # the secondary limits say so in the message only
        )
        if status == 429 or (status == 403 and limited):
            return GitHubError(f"GitHub rate limit reached ({status} {said}): {_when(response)}")
        if status in (403, 404):
            return GitHubError(
                f"GitHub answered {status} for {repository} at {self._api_url}: no such "
                f"repository, or the token may not create issues there ({said})",
                about_repository=True,
            )
        if status == 410:
            return GitHubError(
                f"issues are turned off in {repository} (410 {said})", about_repository=True
            )
        if status == 422:
            errors = answer.get("errors")
            listed = errors[:10] if isinstance(errors, list) else []
            problems = shown("; ".join(_problem(error) for error in listed)[:300])
            return GitHubError(
                f"GitHub did not take the issue (422 {said}{': ' + problems if problems else ''})",
                per_item=True,
            )
        return GitHubError(f"GitHub answered {status}: {said}", may_exist=status >= 500)


def _issue_url(answered: object) -> str:
    """The html_url GitHub answered, if an item can hold it as its issue: an http(s) URL
    of at most URL_LIMIT characters that the model takes as it is; else ValueError."""
    if not (isinstance(answered, str) and len(answered) <= URL_LIMIT):
        raise ValueError(f"not an issue's URL: {str(answered)[:200]!r}")
    try:
        held = _ISSUE_URL(answered)
    except ValidationError:
        held = None
    visible = answered.isprintable() and " " not in answered
    if not (visible and answered.startswith(("https://", "http://")) and held == answered):
        raise ValueError(f"not an issue's URL: {answered!r}")
    return answered


def _last_line(body: str) -> str:
    """A body's last line that is not blank (an issue edited on GitHub ends lines with
    CR LF)."""
    return body.rstrip().rsplit("\n", 1)[-1].strip()


def _when(response: httpx.Response) -> str:
    wait = response.headers.get("retry-after")
    if wait:
        return f"retry after {wait} s"
    reset = response.headers.get("x-ratelimit-reset")
    if reset and reset.isdigit():
        at = dt.datetime.fromtimestamp(int(reset), dt.UTC)
        return f"the limit resets at {at:%Y-%m-%d %H:%M:%S} UTC"
    return "wait a minute before the next run"


def _problem(error: object) -> str:
    """One of a 422's `errors`: its message, else which field and what code."""
    if not isinstance(error, dict):
        return str(error)
    if error.get("message"):
        return str(error["message"])
    return " ".join(str(error[key]) for key in ("field", "code") if error.get(key))
