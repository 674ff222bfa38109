"""Action items exported as GitHub issues: one per open item, its URL written back, never
twice, on both databases."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from hansei.integrations.github import GitHubIssues, NewIssue
from hansei.services import history, issue_export, saving
from hansei.services.issue_export import CreateIssue, ExportReport
from hansei.services.searching import ActionFilters, ActionItemRecord
from hansei.store import Database
from hansei.store import issue_exports as exports
from tests.factories import postmortem
from tests.github_server import TOKEN, GitHub, github_server

REPOSITORY = "acme/walk-api"


def _store(database: Database, status: str = "final") -> str:
    document = postmortem(
        title="Walk API | nil pointer",
        status=status,
        times={"detected": "2025-01-16T12:05:00+09:00"},
        action_items=[
            {"number": 1, "horizon": "immediate", "task": "Add a nil guard", "owner": "@ksato",
             "due": "2025-01-17", "status": "in_progress"},
            {"number": 2, "horizon": "short_term", "task": "Canary deploys", "owner": "devops",
             "due": "2025-02-14", "status": "todo"},
            {"number": 3, "horizon": "short_term", "task": "Done already", "owner": "@ksato",
             "due": "2025-01-20", "status": "done"},
            {"number": 4, "horizon": "long_term", "task": "Tracked elsewhere",
             "issue_url": "https://jira.example/browse/OPS-9"},
            {"number": 5, "horizon": "long_term", "owner": "@nobody"},
            {"horizon": "long_term", "task": "Chaos drills"},
        ],
    )  # fmt: skip
    return saving.create_postmortem(database, document, user="author").postmortem_id


@contextmanager
def _creating(github: GitHub) -> Iterator[CreateIssue]:
    issues = GitHubIssues(TOKEN, api_url=github.api_url)
    try:
        yield lambda repository, issue: issues.create(repository, issue).html_url
    finally:
        issues.close()


def _issue(item: ActionItemRecord) -> NewIssue:
    return issue_export.issue_for(
        item, base_url="https://hansei.example/", language="en", labels=["postmortem"]
    )


def _export(
    database: Database, github: GitHub, filters: ActionFilters | None = None
) -> ExportReport:
    items = issue_export.items_to_export(database, filters or ActionFilters())
    with _creating(github) as create:
        return issue_export.export_issues(
            database,
            items,
            repository=REPOSITORY,
            create=create,
            issue=_issue,
            user="exporter",
            pause_seconds=0,
        )


def _issue_urls(database: Database, postmortem_id: str) -> dict[str | None, str | None]:
    stored = history.get_postmortem(database, postmortem_id).postmortem
    return {item.task: item.issue_url for item in stored.action_items}


def test_each_open_item_gets_one_issue_and_keeps_its_url(database: Database) -> None:
    postmortem_id = _store(database)
    with github_server() as github:
        report = _export(database, github)
        again = _export(database, github)
    assert [exported.item.task for exported in report.created] == [
        "Add a nil guard",
        "Canary deploys",
        "Chaos drills",
    ]
    assert [opened["title"] for opened in github.opened] == [
        "Add a nil guard",
        "Canary deploys",
        "Chaos drills",
    ]
    assert github.opened[0]["labels"] == ["postmortem"]
    assert _issue_urls(database, postmortem_id) == {
        "Add a nil guard": "https://github.example/acme/walk-api/issues/1",
        "Canary deploys": "https://github.example/acme/walk-api/issues/2",
        "Done already": None,
        "Tracked elsewhere": "https://jira.example/browse/OPS-9",
        None: None,
        "Chaos drills": "https://github.example/acme/walk-api/issues/3",
    }
    revisions = history.list_revisions(database, postmortem_id)
    assert [(r.kind, r.created_by) for r in revisions[-3:]] == [("issue", "exporter")] * 3
    assert (again.created, len(github.received)) == ([], 3)
    # The Final document stays Final: only the items' issue links moved.
    assert history.get_postmortem(database, postmortem_id).postmortem.status == "final"


def test_the_issue_links_back_and_does_not_mention_the_owner(database: Database) -> None:
    postmortem_id = _store(database)
    (first, *_) = issue_export.items_to_export(database, ActionFilters())
    issue = _issue(first)
    assert issue.title == "Add a nil guard"
    assert issue.body.startswith(
        "Action item 1 of the postmortem [Walk API \\| nil pointer]"
        f"(https://hansei.example/postmortems/{postmortem_id})."
    )
    assert "| Owner | `@ksato` |" in issue.body
    assert "| Horizon | Immediate (within 1 week) |" in issue.body
    assert "| Due | 2025-01-17 |" in issue.body
    assert f"<!-- hansei: postmortem {postmortem_id} action " in issue.body
    japanese = issue_export.issue_for(first, base_url="https://h", language="ja", labels=[])
    assert "| 対応期間 | 即座対応（1週間以内） |" in japanese.body


def test_filters_choose_the_items(database: Database) -> None:
    _store(database)
    with github_server() as github:
        report = _export(database, github, ActionFilters(owner="ksato"))
    assert [exported.item.task for exported in report.created] == ["Add a nil guard"]


def test_a_refused_token_stops_the_run_and_the_next_run_opens_them(database: Database) -> None:
    postmortem_id = _store(database)
    with github_server() as github:
        items = issue_export.items_to_export(database, ActionFilters())
        issues = GitHubIssues("wrong", api_url=github.api_url)
        report = issue_export.export_issues(
            database,
            items,
            repository=REPOSITORY,
            create=lambda repository, issue: issues.create(repository, issue).html_url,
            issue=_issue,
            user="exporter",
            pause_seconds=0,
        )
        issues.close()
        assert report.stopped is not None
        assert "refused the token (401" in report.stopped
        assert (report.created, report.not_reached, len(github.received)) == ([], 3, 1)
        assert len(history.list_revisions(database, postmortem_id)) == 1
        retried = _export(database, github)
    assert len(retried.created) == 3


def test_an_item_github_refuses_is_skipped_and_the_rest_go_on(database: Database) -> None:
    _store(database)
    with github_server() as github:
        github.refuse_titles = {"Canary deploys"}
        report = _export(database, github)
        github.refuse_titles = set()
        retried = _export(database, github)
    assert [item.task for item, _ in report.refused] == ["Canary deploys"]
    assert "422 Validation Failed" in report.refused[0][1]
    assert [e.item.task for e in report.created] == ["Add a nil guard", "Chaos drills"]
    assert [e.item.task for e in retried.created] == ["Canary deploys"]


def test_a_run_that_died_before_writing_back_opens_no_second_issue(database: Database) -> None:
    postmortem_id = _store(database)
    guard, canary, _ = issue_export.items_to_export(database, ActionFilters())
    now = dt.datetime.now(dt.UTC)
    with database.transaction() as session:
        for item in (guard, canary):
            key = issue_export.item_key(item)
            exports.claim(
                session, postmortem_id=postmortem_id, item_key=key, repository=REPOSITORY,
                user="cron", now=now,
            )  # fmt: skip
        # GitHub answered for the guard, and then the run died before the item took the URL.
        exports.confirm(
            session,
            postmortem_id=postmortem_id,
            item_key=issue_export.item_key(guard),
            issue_url="https://github.example/acme/walk-api/issues/77",
        )
    with github_server() as github:
        report = _export(database, github)
    assert [e.issue_url for e in report.linked_again] == [
        "https://github.example/acme/walk-api/issues/77"
    ]
    assert [(item.task, claim.claimed_by) for item, claim in report.unconfirmed] == [
        ("Canary deploys", "cron")
    ]
    assert [e.item.task for e in report.created] == ["Chaos drills"]
    assert [opened["title"] for opened in github.opened] == ["Chaos drills"]
    urls = _issue_urls(database, postmortem_id)
    assert urls["Add a nil guard"] == "https://github.example/acme/walk-api/issues/77"
    assert urls["Canary deploys"] is None


def test_an_unconfirmed_claim_is_retried_only_when_asked_and_long_over(
    database: Database,
) -> None:
    postmortem_id = _store(database)
    guard, canary, _ = issue_export.items_to_export(database, ActionFilters())
    now = dt.datetime.now(dt.UTC)
    with database.transaction() as session:
        for item, claimed_at in ((guard, now - dt.timedelta(hours=1)), (canary, now)):
            exports.claim(
                session, postmortem_id=postmortem_id, item_key=issue_export.item_key(item),
                repository=REPOSITORY, user="cron", now=claimed_at,
            )  # fmt: skip
    items = issue_export.items_to_export(database, ActionFilters())
    with github_server() as github, _creating(github) as create:
        report = issue_export.export_issues(
            database,
            items,
            repository=REPOSITORY,
            create=create,
            issue=_issue,
            user="exporter",
            pause_seconds=0,
            retry_unconfirmed_after=issue_export.RUN_OVER_AFTER,
        )
    assert [e.item.task for e in report.created] == ["Add a nil guard", "Chaos drills"]
    assert [item.task for item, _ in report.unconfirmed] == ["Canary deploys"]


def test_two_runs_at_once_open_each_issue_once(database: Database) -> None:
    postmortem_id = _store(database)
    reports: list[ExportReport] = []
    with github_server() as github:
        github.delay_seconds = 0.2
        runs = [threading.Thread(target=lambda: reports.append(_export(database, github)))]
        runs.append(threading.Thread(target=lambda: reports.append(_export(database, github))))
        for run in runs:
            run.start()
        for run in runs:
            run.join(timeout=60)
    assert sorted(str(opened["title"]) for opened in github.opened) == [
        "Add a nil guard",
        "Canary deploys",
        "Chaos drills",
    ]
    created = [str(e.item.task) for report in reports for e in report.created]
    # What one run is creating, the other sees claimed and leaves alone.
    assert sorted(created) == ["Add a nil guard", "Canary deploys", "Chaos drills"]
    assert sum(url is not None for url in _issue_urls(database, postmortem_id).values()) == 4


def test_an_item_edited_while_its_issue_was_opened_is_reported(database: Database) -> None:
    postmortem_id = _store(database, status="draft")
    items = issue_export.items_to_export(database, ActionFilters(owner="ksato"))

    def create_while_someone_edits(repository: str, issue: NewIssue) -> str:
        stored = history.get_postmortem(database, postmortem_id)
        edited = stored.postmortem.action_items[0].model_copy(update={"task": "Add nil guards"})
        document = stored.postmortem.model_copy(
            update={"action_items": [edited, *stored.postmortem.action_items[1:]]}
        )
        saving.update_postmortem(
            database, postmortem_id, document, user="author", base_revision=stored.revision
        )
        return "https://github.example/acme/walk-api/issues/5"

    report = issue_export.export_issues(
        database,
        items,
        repository=REPOSITORY,
        create=create_while_someone_edits,
        issue=_issue,
        user="exporter",
        pause_seconds=0,
    )
    assert [e.issue_url for e in report.changed_meanwhile] == [
        "https://github.example/acme/walk-api/issues/5"
    ]
    assert _issue_urls(database, postmortem_id)["Add nil guards"] is None
