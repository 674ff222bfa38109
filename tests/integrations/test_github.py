"""GitHub issues: requests as GitHub's REST API documents them, sent to a real HTTP server
on 127.0.0.1, and each refusal told apart."""

from __future__ import annotations

import pytest

from hansei.errors import UsageError
from hansei.integrations.github import (
    API_VERSION,
    GitHubError,
    GitHubIssues,
    NewIssue,
    checked_repository,
)
from tests.recording_server import recording_server

ISSUE = NewIssue(title="Add a nil guard", body="Action item 1", labels=["postmortem"])


def test_an_issue_is_posted_as_github_documents_it() -> None:
    with recording_server() as github:
        github.answer = lambda request: (
            201,
            {"number": 42, "html_url": "https://ghe.example/acme/api/issues/42"},
        )
        issues = GitHubIssues("ghp_secret", api_url=f"{github.url}/api/v3/")
        created = issues.create("acme/api.v2", ISSUE)
        issues.close()
    assert (created.number, created.html_url) == (42, "https://ghe.example/acme/api/issues/42")
    (request,) = github.received
    assert (request.method, request.path) == ("POST", "/api/v3/repos/acme/api.v2/issues")
    assert request.headers["accept"] == "application/vnd.github+json"
    assert request.headers["authorization"] == "Bearer ghp_secret"
    assert request.headers["x-github-api-version"] == API_VERSION == "2022-11-28"
    assert request.headers["user-agent"].startswith("hansei/")
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {
        "title": "Add a nil guard",
        "body": "Action item 1",
        "labels": ["postmortem"],
    }


def test_a_long_title_is_cut_and_no_labels_are_sent_when_there_are_none() -> None:
    with recording_server() as github:
        github.answer = lambda request: (201, {"number": 1, "html_url": "https://h/o/r/issues/1"})
        issues = GitHubIssues("t", api_url=github.url)
        issues.create("o/r", NewIssue(title="x" * 300, body="b"))
        issues.close()
    assert github.received[0].json() == {"title": "x" * 256, "body": "b"}


@pytest.mark.parametrize(
    ("status", "body", "headers", "says", "per_item"),
    [
        (401, {"message": "Bad credentials"}, {}, "refused the token (401 Bad credentials)", False),
        (404, {"message": "Not Found"}, {}, "404 for o/r: no such repository", False),
        (410, {"message": "Issues are disabled for this repo"}, {}, "issues are turned off", False),
        (
            403,
            {"message": "API rate limit exceeded"},
            {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000000"},
            "rate limit reached (403 API rate limit exceeded): the limit resets at 1700000000",
            False,
        ),
        (
            403,
            {"message": "You have exceeded a secondary rate limit"},
            {"retry-after": "60"},
            "retry after 60 s",
            False,
        ),
        (
            422,
            {"message": "Validation Failed", "errors": [{"message": "title is too long"}]},
            {},
            "did not take the issue (422 Validation Failed: title is too long)",
            True,
        ),
        (500, "upstream broke", {}, "GitHub answered 500: upstream broke", False),
        (201, {"number": 1}, {}, "without an issue number and html_url", False),
    ],
)
def test_each_refusal_says_what_went_wrong(
    status: int, body: dict[str, object] | str, headers: dict[str, str], says: str, per_item: bool
) -> None:
    with recording_server() as github:
        github.answer = lambda request: (status, body, headers)
        issues = GitHubIssues("t", api_url=github.url)
        with pytest.raises(GitHubError) as refused:
            issues.create("o/r", ISSUE)
        issues.close()
    assert says in str(refused.value)
    assert refused.value.per_item is per_item


def test_an_unreachable_github_is_a_delivery_error() -> None:
    with recording_server() as github:
        url = github.url
    issues = GitHubIssues("t", api_url=url)
    with pytest.raises(GitHubError, match=f"GitHub at {url}"):
        issues.create("o/r", ISSUE)
    issues.close()


@pytest.mark.parametrize("written", ["acme", "acme/", "/api", "acme/api/x", "a b/c", "acme/.."])
def test_a_repository_is_written_owner_slash_name(written: str) -> None:
    with pytest.raises(UsageError, match="write the repository as OWNER/REPO"):
        checked_repository(written)
    assert checked_repository("acme-inc/api.v2_x") == "acme-inc/api.v2_x"
