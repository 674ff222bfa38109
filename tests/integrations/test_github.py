"""GitHub issues: requests as GitHub's REST API documents them, sent to a real HTTP server
on 127.0.0.1, and each refusal told apart from an answer that never came."""

from __future__ import annotations

import datetime as dt
import threading

import httpx
import pytest

from hansei.errors import UsageError
from hansei.integrations.github import (
    API_VERSION,
    GitHubError,
    GitHubIssues,
    NewIssue,
    checked_repository,
)
from tests.github_server import TOKEN, github_server
from tests.recording_server import recording_server

HOUR = dt.timedelta(hours=1)
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
    assert created == "https://ghe.example/acme/api/issues/42"
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


def test_a_title_is_one_line_within_githubs_limit_and_labels_go_only_if_there_are_any() -> None:
    titles = ["x" * 300, "x" * 256, "  Fix\nthe\r\nparser\tnow\x00\u2028 ", "y" * 254 + " \n\n z"]
    with recording_server() as github:
        github.answer = lambda request: (201, {"number": 1, "html_url": "https://h/o/r/issues/1"})
        issues = GitHubIssues("t", api_url=github.url)
        for title in titles:
            issues.create("o/r", NewIssue(title=title, body="b"))
        issues.close()
    assert [request.json() for request in github.received] == [
        {"title": title, "body": "b"}
        for title in [
            "x" * 255 + "…",
            "x" * 256,
            "Fix\ufffdthe\ufffd\ufffdparser now\ufffd\ufffd",
            "y" * 254 + "…",
        ]
    ]


def test_an_issue_is_found_by_its_last_line_and_a_renamed_repository_followed() -> None:
    with github_server(prefix="/api/v3") as github:
        github.moved = {"acme/old-name": "acme/walk-api"}
        issues = GitHubIssues(TOKEN, api_url=github.api_url)
        first = issues.create("acme/old-name", NewIssue(title="a", body="x\n\n<!-- mark 1 -->\n"))
        issues.create("acme/walk-api", NewIssue(title="b", body="y\n<!-- mark 2 -->"))
        since = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        found = issues.find("acme/old-name", "<!-- mark 1 -->", since=since)
        missing = issues.find("acme/walk-api", "<!-- mark 3 -->", since=since)
        later = issues.find("acme/walk-api", "<!-- mark 1 -->", since=since + dt.timedelta(hours=1))
        issues.close()
    assert first == found == "https://github.example/acme/walk-api/issues/1"
    assert (missing, later) == (None, None)
    listing = [r for r in github.received if r.method == "GET"]
    assert listing[0].path.startswith("/api/v3/repos/acme/old-name/issues?state=all&since=")
    assert "&sort=created&direction=desc&per_page=100&page=1" in listing[0].path


@pytest.mark.parametrize(
    ("status", "body", "headers", "says", "per_item", "may_exist"),
    [
        (401, {"message": "Bad credentials"}, {}, "refused the token (401 Bad credentials): "
         "check GITHUB_TOKEN", False, False),
        (404, {"message": "Not Found"}, {}, "404 for o/r at http://127.0.0.1:", False, False),
        (403, {"message": "Resource not accessible by personal access token"}, {},
         "the token may not create issues there", False, False),
        (410, {"message": "Issues are disabled for this repo"}, {}, "issues are turned off",
         False, False),
        (403, {"message": "API rate limit exceeded"},
         {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000000"},
         "rate limit reached (403 API rate limit exceeded): the limit resets at "
         "2023-11-14 22:13:20 UTC", False, False),
        (403, {"message": "You have exceeded a secondary rate limit"}, {"retry-after": "60"},
         "retry after 60 s", False, False),
        (429, {"message": "Too many requests"}, {}, "rate limit reached (429", False, False),
        (422, {"message": "Validation Failed",
               "errors": [{"resource": "Issue", "field": "title", "code": "missing_field"}]},
         {}, "did not take the issue (422 Validation Failed: title missing_field)", True, False),
        (500, "upstream broke", {}, "GitHub answered 500: upstream broke", False, True),
        (502, {"message": "Server Error"}, {}, "GitHub answered 502", False, True),
        (422, {"message": "Validation Failed", "errors": 5}, {},
         "did not take the issue (422 Validation Failed)", True, False),
        (500, {"message": "\x1b[2J\x1b]0;pwned\x07"}, {},
         "GitHub answered 500: \ufffd[2J\ufffd]0;pwned\ufffd", False, True),
        (201, "<html>", {}, "answered 201 without an issue's URL as its html_url", False, True),
        (201, {"html_url": "javascript:alert(1)"}, {}, "without an issue's URL", False, True),
        (201, {"html_url": "https://github.example/o/r/issues/1)|x"}, {},
         "without an issue's URL", False, True),
        (201, {"html_url": "https://github.example/o/r/issues/1\n"}, {},
         "without an issue's URL", False, True),
        (201, {"html_url": ["https://github.example/o/r/issues/1"]}, {},
         "without an issue's URL", False, True),
    ],
)  # fmt: skip
def test_each_answer_says_what_went_wrong_and_whether_the_issue_may_exist(
    status: int,
    body: dict[str, object] | str,
    headers: dict[str, str],
    says: str,
    per_item: bool,
    may_exist: bool,
) -> None:
    with recording_server() as github:
        github.answer = lambda request: (status, body, headers)
        issues = GitHubIssues("t", api_url=github.url, token_name="GITHUB_TOKEN")
        with pytest.raises(GitHubError) as refused:
            issues.create("o/r", ISSUE)
        issues.close()
    assert says in str(refused.value)
    assert (refused.value.per_item, refused.value.may_exist) == (per_item, may_exist)


def test_no_answer_leaves_the_issue_in_doubt_but_no_connection_does_not() -> None:
    with recording_server() as github:
        url = github.url
    issues = GitHubIssues("t", api_url=url)
    with pytest.raises(GitHubError, match=f"GitHub at {url}") as unreachable:
        issues.create("o/r", ISSUE)
    issues.close()
    assert not unreachable.value.may_exist
    answered = threading.Event()
    with recording_server() as slow:
        slow.answer = lambda request: (answered.wait(5), (201, {"html_url": "x"}))[1]
        issues = GitHubIssues("t", api_url=slow.url, client=httpx.Client(timeout=0.5))
        with pytest.raises(GitHubError, match="GitHub at") as timed_out:
            issues.create("o/r", ISSUE)
        answered.set()
        issues.close()
    assert timed_out.value.may_exist


@pytest.mark.parametrize("token", ["", "  ", "github_pat_…", "two words"])
def test_a_token_that_cannot_be_sent_is_refused_before_anything_is(token: str) -> None:
    with pytest.raises(UsageError, match="GITHUB_TOKEN: a token is printable ASCII"):
        GitHubIssues(token, token_name="GITHUB_TOKEN")


def test_a_token_read_with_its_newline_is_sent_without_it() -> None:
    with github_server() as github:
        issues = GitHubIssues(TOKEN + "\n", api_url=github.api_url)
        issues.create("o/r", ISSUE)
        issues.close()
    assert github.received[0].headers["authorization"] == f"Bearer {TOKEN}"


def test_the_token_goes_over_https_except_to_this_machine() -> None:
    with pytest.raises(UsageError, match="the token is sent over https only"):
        GitHubIssues("t", api_url="http://github.example/api/v3")
    with pytest.raises(UsageError, match="not an http"):
        GitHubIssues("t", api_url="ftp://github.example")
    GitHubIssues("t", api_url="http://localhost:8080").close()
    GitHubIssues("t", api_url="https://github.example/api/v3").close()


@pytest.mark.parametrize("written", ["acme", "acme/", "/api", "acme/api/x", "a b/c", "acme/.."])
def test_a_repository_is_written_owner_slash_name(written: str) -> None:
    with pytest.raises(UsageError, match="write the repository as OWNER/REPO"):
        checked_repository(written)
    assert checked_repository("acme-inc/api.v2_x") == "acme-inc/api.v2_x"


def test_only_a_last_line_is_taken_for_the_marker() -> None:
    """The marker quoted anywhere else in a body (a title or an owner a person typed) is
    not hansei's: only the last line is. An issue edited on GitHub has CR LF endings."""
    bodies = [
        "`<!-- mark 1 -->`\n\n<!-- mark 2 -->\n",
        "<!-- mark 1 -->\n<!-- mark 2 -->",
        "x <!-- mark 1 -->\n",
        "<!-- mark 1 --> x",
        "<!-- mark 1 -->x\n",
        "x\r\n\r\n<!-- mark 1 -->\r\n",
    ]
    with github_server() as github:
        issues = GitHubIssues(TOKEN, api_url=github.api_url)
        for body in bodies:
            issues.create("o/r", NewIssue(title="a", body=body))
        found = issues.find("o/r", "<!-- mark 1 -->", since=dt.datetime.now(dt.UTC) - HOUR)
        issues.close()
    assert found == "https://github.example/o/r/issues/6"


def test_a_found_issue_whose_url_an_item_cannot_hold_is_not_taken() -> None:
    with github_server() as github:
        github.opened.append(
            {"repo": "o/r", "number": 1, "html_url": "https://github.example/o/r/issues/1 x",
             "body": "<!-- mark 1 -->", "updated_at": dt.datetime.now(dt.UTC)}
        )  # fmt: skip
        issues = GitHubIssues(TOKEN, api_url=github.api_url)
        with pytest.raises(GitHubError, match="list of issues is unreadable: not an issue's URL"):
            issues.find("o/r", "<!-- mark 1 -->", since=dt.datetime.now(dt.UTC) - HOUR)
        issues.close()


def test_the_search_reads_further_pages_and_gives_up_rather_than_guess() -> None:
    now = dt.datetime.now(dt.UTC)
    with github_server() as github:
        github.opened.extend(
            {"repo": "o/r", "number": n, "html_url": f"https://github.example/o/r/issues/{n}",
             "body": f"<!-- {n} -->", "updated_at": now}
            for n in range(1, 1002)
        )  # fmt: skip
        issues = GitHubIssues(TOKEN, api_url=github.api_url)
        second_page = issues.find("o/r", "<!-- 901 -->", since=now - dt.timedelta(minutes=1))
        with pytest.raises(GitHubError, match="more than 1000 issues of o/r changed since"):
            issues.find("o/r", "<!-- nowhere -->", since=now - dt.timedelta(minutes=1))
        issues.close()
    assert second_page == "https://github.example/o/r/issues/901"
    pages = [r.path.rsplit("page=", 1)[1] for r in github.received]
    assert pages == ["1", "2", *(str(n) for n in range(1, 11))]
