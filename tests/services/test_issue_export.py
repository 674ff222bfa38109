"""Action items exported as GitHub issues: one per open item, its URL written back, never
twice (two runs at once, a run that died, an answer that never came), on both databases."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from hansei.integrations.github import GitHubError, GitHubIssues, NewIssue
from hansei.model import ActionItem, ActionStatus, Postmortem
from hansei.services import history, issue_export, saving
from hansei.services.issue_export import ExportReport, IssueTracker
from hansei.services.searching import ActionFilters, ActionItemRecord
from hansei.store import Database
from hansei.store import issue_exports as exports
from hansei.store.tables import IssueExportRow, PostmortemRow, table_of
from tests.factories import postmortem
from tests.github_server import TOKEN, GitHub, github_server

REPOSITORY = "acme/walk-api"
TASKS = ["Add a nil guard", "Canary deploys", "Chaos drills", "Update the runbook",
         "Update the runbook"]  # fmt: skip


def _document(status: str = "final") -> Postmortem:
    return postmortem(
        title="Walk API | nil pointer",
        language="en",
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
            {"horizon": "long_term", "task": "Update the runbook"},
            {"horizon": "long_term", "task": "Update the runbook"},
        ],
    )  # fmt: skip


def _store(database: Database, status: str = "final") -> str:
    return saving.create_postmortem(database, _document(status), user="author").postmortem_id


@contextmanager
def _tracker(github: GitHub, token: str = TOKEN) -> Iterator[GitHubIssues]:
    issues = GitHubIssues(token, api_url=github.api_url)
    try:
        yield issues
    finally:
        issues.close()


def _run(
    database: Database,
    tracker: IssueTracker,
    filters: ActionFilters | None = None,
    *,
    items: list[ActionItemRecord] | None = None,
    repository: str = REPOSITORY,
    limit: int | None = None,
    pause_seconds: float = 0,
) -> ExportReport:
    """A run over `items`, else over the items `filters` select now."""
    return issue_export.export_issues(
        database,
        issue_export.items_to_export(database, filters or ActionFilters())
        if items is None
        else items,
        repository=repository,
        tracker=tracker,
        user="exporter",
        base_url="https://hansei.example/",
        labels=["postmortem"],
        limit=limit,
        pause_seconds=pause_seconds,
    )


def _export(
    database: Database,
    github: GitHub,
    filters: ActionFilters | None = None,
    limit: int | None = None,
) -> ExportReport:
    with _tracker(github) as tracker:
        return _run(database, tracker, filters, limit=limit)


def _links(database: Database, postmortem_id: str) -> list[tuple[str | None, str | None]]:
    stored = history.get_postmortem(database, postmortem_id).postmortem
    return [(item.task, item.issue_url) for item in stored.action_items]


def _claim(
    database: Database,
    postmortem_id: str,
    index: int,
    at: dt.datetime,
    repository: str = REPOSITORY,
) -> exports.Claim:
    """An item claimed at `at` by a run that then died (or took over a claim older than
    `at`)."""
    items = history.get_postmortem(database, postmortem_id).postmortem.action_items
    item = items[index]
    claimed = exports.ClaimedItem(
        issue_export.item_key(items, index), item.horizon.value, item.number, item.task or ""
    )
    with database.transaction() as session:
        held = exports.claim(
            session, postmortem_id=postmortem_id, item=claimed, repository=repository,
            user="cron", now=at, take_over_before=at,
        )  # fmt: skip
    assert isinstance(held, exports.Claim)
    return held


def test_each_open_item_gets_one_issue_and_keeps_its_url(database: Database) -> None:
    postmortem_id = _store(database)
    with github_server() as github:
        report = _export(database, github)
        again = _export(database, github)
    assert [exported.item.task for exported in report.created] == TASKS
    assert [opened["title"] for opened in github.opened] == TASKS
    assert all(opened["labels"] == ["postmortem"] for opened in github.opened)
    url = "https://github.example/acme/walk-api/issues/{}".format
    assert _links(database, postmortem_id) == [
        ("Add a nil guard", url(1)),
        ("Canary deploys", url(2)),
        ("Done already", None),
        ("Tracked elsewhere", "https://jira.example/browse/OPS-9"),
        (None, None),
        ("Chaos drills", url(3)),
        ("Update the runbook", url(4)),
        ("Update the runbook", url(5)),
    ]
    revisions = history.list_revisions(database, postmortem_id)
    assert [(r.kind, r.created_by) for r in revisions[1:]] == [("issue", "exporter")] * 5
    assert (again.created, len(github.received)) == ([], 5)
    # The Final document stays Final: only the items' issue links moved.
    assert history.get_postmortem(database, postmortem_id).postmortem.status == "final"


def test_the_issue_links_back_in_the_postmortems_language_and_mentions_nobody(
    database: Database,
) -> None:
    postmortem_id = _store(database)
    document = history.get_postmortem(database, postmortem_id).postmortem
    issue = issue_export.issue_for(
        document, postmortem_id, 0, base_url="https://hansei.example/", labels=[]
    )
    assert issue.title == "Add a nil guard"
    assert issue.body.startswith(
        "Action item 1 of the postmortem [`Walk API | nil pointer`]"
        f"(https://hansei.example/postmortems/{postmortem_id})."
    )
    assert "| Task | `Add a nil guard` |" in issue.body
    assert "| Owner | `@ksato` |" in issue.body
    assert "| Horizon | Immediate (within 1 week) |" in issue.body
    assert "| Due | 2025-01-17 |" in issue.body
    assert "| Status | 🔄 In Progress |" in issue.body
    key = issue_export.item_key(document.action_items, 0)
    assert issue.body.endswith(f"\n{issue_export.marker(postmortem_id, key)}\n")
    japanese = issue_export.issue_for(
        document.model_copy(update={"language": "ja"}), postmortem_id, 0, base_url="h", labels=[]
    )
    assert "| 対応期間 | 即座対応（1週間以内） |" in japanese.body
    assert japanese.body.startswith("ポストモーテム [`Walk API | nil pointer`](h/postmortems/")


def test_filters_and_the_limit_choose_the_items(database: Database) -> None:
    _store(database)
    with github_server() as github:
        mine = _export(database, github, filters=ActionFilters(owner="ksato"))
        two = _export(database, github, limit=2)
    assert [exported.item.task for exported in mine.created] == ["Add a nil guard"]
    assert [exported.item.task for exported in two.created] == ["Canary deploys", "Chaos drills"]
    assert two.not_reached == 2


def test_a_refused_token_stops_the_run_and_the_next_run_opens_them(database: Database) -> None:
    postmortem_id = _store(database)
    with github_server() as github:
        with _tracker(github, token="wrong") as tracker:
            report = _run(database, tracker)
        assert report.stopped is not None
        assert "refused the token (401" in report.stopped
        assert (report.created, report.not_reached, len(github.received)) == ([], 4, 1)
        assert len(history.list_revisions(database, postmortem_id)) == 1
        retried = _export(database, github)
    assert len(retried.created) == 5


def test_an_item_github_refuses_is_skipped_and_the_rest_go_on(database: Database) -> None:
    _store(database)
    with github_server() as github:
        github.refuse_titles = {"Canary deploys"}
        report = _export(database, github)
        github.refuse_titles = set()
        retried = _export(database, github)
    assert [item.task for item, _ in report.refused] == ["Canary deploys"]
    assert "422 Validation Failed: title invalid" in report.refused[0][1]
    assert [e.item.task for e in report.created] == [t for t in TASKS if t != "Canary deploys"]
    assert [e.item.task for e in retried.created] == ["Canary deploys"]


class _Unanswered:
    """GitHub creates the issue, and the answer never arrives."""

    def __init__(self, tracker: GitHubIssues) -> None:
        self.tracker = tracker

    def create(self, repository: str, issue: NewIssue) -> str:
        self.tracker.create(repository, issue)
        raise GitHubError("GitHub at x: timed out", may_exist=True)

    def find(self, repository: str, text: str, *, since: dt.datetime) -> str | None:
        return self.tracker.find(repository, text, since=since)


def test_an_issue_in_doubt_is_looked_for_and_never_opened_twice(database: Database) -> None:
    postmortem_id = _store(database)
    with github_server() as github, _tracker(github) as tracker:
        doubt = _run(database, _Unanswered(tracker))
        assert doubt.stopped == "GitHub at x: timed out"
        assert [item.task for item, _ in doubt.uncertain] == ["Add a nil guard"]
        soon = _run(database, tracker)
        assert [item.task for item, _ in soon.in_progress] == ["Add a nil guard"]
        assert not soon.troubles
        # Once the run in doubt is surely over, the next run finds its issue.
        later = dt.datetime.now(dt.UTC) + issue_export.RUN_OVER_AFTER
        with database.transaction() as session:
            session.execute(
                sa.update(IssueExportRow).values(claimed_at=later - 2 * issue_export.RUN_OVER_AFTER)
            )
        found = _run(database, tracker)
    assert [e.issue_url for e in found.found] == ["https://github.example/acme/walk-api/issues/1"]
    assert [opened["title"] for opened in github.opened].count("Add a nil guard") == 1
    assert _links(database, postmortem_id)[0] == (
        "Add a nil guard",
        "https://github.example/acme/walk-api/issues/1",
    )


@pytest.mark.parametrize("forged_in", ["title", "task", "owner"])
def test_a_marker_copied_into_what_people_write_does_not_pass_for_the_issue(
    database: Database, forged_in: str
) -> None:
    """An item's issue in doubt is looked for by its marker; another issue whose title,
    task or owner quotes that marker is not taken for it."""
    postmortem_id = "0123456789abcdef0123456789abcdef"
    document = postmortem(
        title="Walk API",
        language="en",
        action_items=[
            {"number": 1, "horizon": "immediate", "task": "Add a nil guard", "owner": "@ksato",
             "due": "2025-01-17"},
            {"number": 2, "horizon": "short_term", "task": "Canary deploys", "due": "2025-02-14"},
        ],
    )  # fmt: skip
    wanted = issue_export.marker(postmortem_id, issue_export.item_key(document.action_items, 1))
    if forged_in == "title":
        document = document.model_copy(update={"title": f"Walk API {wanted}"})
    else:
        first = document.action_items[0].model_copy(update={forged_in: wanted})
        document = document.model_copy(update={"action_items": [first, document.action_items[1]]})
    saving.create_postmortem(database, document, user="author", postmortem_id=postmortem_id)
    # A run claimed "Canary deploys" and ended without saying whether its issue exists.
    _claim(database, postmortem_id, 1, dt.datetime.now(dt.UTC) - 2 * issue_export.RUN_OVER_AFTER)
    with github_server() as github:
        report = _export(database, github)
    assert wanted in github.opened[0]["body"]  # the first issue quotes the marker
    assert report.found == []
    assert [e.item.task for e in report.created][1] == "Canary deploys"
    url = "https://github.example/acme/walk-api/issues/{}".format
    assert [link for _, link in _links(database, postmortem_id)] == [url(1), url(2)]
    assert github.opened[1]["body"].endswith(f"\n{wanted}\n")


def test_an_issue_url_the_item_cannot_hold_is_not_written_and_the_postmortem_stays_whole(
    database: Database,
) -> None:
    postmortem_id = _store(database)
    with github_server() as github:
        github.server.answer = lambda request: (201, {"html_url": "javascript:alert(1)//|x"})
        report = _export(database, github)
    assert [item.task for item, _ in report.uncertain] == ["Add a nil guard"]
    assert "without an issue's URL" in (report.stopped or "")
    assert [link for _, link in _links(database, postmortem_id)][:2] == [None, None]
    assert len(history.list_revisions(database, postmortem_id)) == 1


def test_a_run_that_died_before_creating_the_issue_is_followed_by_one_that_does(
    database: Database,
) -> None:
    postmortem_id = _store(database)
    long_ago = dt.datetime.now(dt.UTC) - 2 * issue_export.RUN_OVER_AFTER
    _claim(database, postmortem_id, 0, long_ago)
    _claim(database, postmortem_id, 1, dt.datetime.now(dt.UTC))
    with github_server() as github:
        report = _export(database, github)
    assert [e.item.task for e in report.created] == [t for t in TASKS if t != "Canary deploys"]
    assert [(item.task, claim.claimed_by) for item, claim in report.in_progress] == [
        ("Canary deploys", "cron")
    ]
    assert [r.method for r in github.received][:2] == ["GET", "POST"]


def test_an_item_that_lost_its_link_gets_the_same_one_back(database: Database) -> None:
    postmortem_id = _store(database, status="draft")
    with github_server() as github:
        _export(database, github, filters=ActionFilters(owner="ksato"))
        stored = history.get_postmortem(database, postmortem_id)
        cleared = stored.postmortem.model_copy(update={"action_items": _document().action_items})
        saving.update_postmortem(
            database, postmortem_id, cleared, user="author", base_revision=stored.revision
        )
        report = _export(database, github, filters=ActionFilters(owner="ksato"))
    assert [e.issue_url for e in report.linked_again] == [
        "https://github.example/acme/walk-api/issues/1"
    ]
    assert len(github.opened) == 1
    assert _links(database, postmortem_id)[0][1] == "https://github.example/acme/walk-api/issues/1"


def test_two_runs_at_once_open_each_issue_once(database: Database) -> None:
    postmortem_id = _store(database)
    reports: list[ExportReport] = []
    with github_server() as github:
        github.delay_seconds = 0.2
        runs = [
            threading.Thread(target=lambda: reports.append(_export(database, github)))
            for _ in range(2)
        ]
        for run in runs:
            run.start()
        for run in runs:
            run.join(timeout=60)
    assert sorted(str(opened["title"]) for opened in github.opened) == sorted(TASKS)
    created = [str(e.item.task) for report in reports for e in report.created]
    # What one run is opening, the other sees claimed and leaves alone.
    assert sorted(created) == sorted(TASKS)
    assert not any(report.troubles for report in reports)
    assert sum(url is not None for _, url in _links(database, postmortem_id)) == 6


class _EditingTracker:
    """Opens the issue while someone edits the postmortem."""

    def __init__(self, database: Database, postmortem_id: str, edit: dict[str, object]) -> None:
        self.database, self.postmortem_id, self.edit = database, postmortem_id, edit

    def create(self, repository: str, issue: NewIssue) -> str:
        stored = history.get_postmortem(self.database, self.postmortem_id)
        items = stored.postmortem.action_items
        document = stored.postmortem.model_copy(
            update={"action_items": [items[0].model_copy(update=self.edit), *items[1:]]}
        )
        saving.update_postmortem(
            self.database, self.postmortem_id, document, user="author",
            base_revision=stored.revision,
        )  # fmt: skip
        return "https://github.example/acme/walk-api/issues/5"

    def find(self, repository: str, text: str, *, since: dt.datetime) -> str | None:
        raise AssertionError("nothing to look for")


def test_an_item_retitled_while_its_issue_opened_still_gets_the_link(database: Database) -> None:
    postmortem_id = _store(database, status="draft")
    tracker = _EditingTracker(database, postmortem_id, {"task": "Add nil guards"})
    report = _run(database, tracker, filters=ActionFilters(owner="ksato"))
    assert [e.issue_url for e in report.created] == [
        "https://github.example/acme/walk-api/issues/5"
    ]
    assert _links(database, postmortem_id)[0] == (
        "Add nil guards",
        "https://github.example/acme/walk-api/issues/5",
    )


def test_a_link_typed_while_the_issue_opened_is_kept_and_the_clash_reported(
    database: Database,
) -> None:
    postmortem_id = _store(database, status="draft")
    tracker = _EditingTracker(database, postmortem_id, {"issue_url": "OPS-1"})
    report = _run(database, tracker, filters=ActionFilters(owner="ksato"))
    assert [e.issue_url for e in report.changed_meanwhile] == [
        "https://github.example/acme/walk-api/issues/5"
    ]
    assert report.troubles
    assert _links(database, postmortem_id)[0] == ("Add a nil guard", "OPS-1")


def test_an_item_done_after_it_was_listed_gets_no_issue(database: Database) -> None:
    postmortem_id = _store(database, status="draft")
    listed = issue_export.items_to_export(database, ActionFilters(owner="ksato"))
    stored = history.get_postmortem(database, postmortem_id)
    items = stored.postmortem.action_items
    done = stored.postmortem.model_copy(
        update={
            "action_items": [items[0].model_copy(update={"status": ActionStatus.done}), *items[1:]]
        }
    )
    saving.update_postmortem(database, postmortem_id, done, user="a", base_revision=1)
    with github_server() as github, _tracker(github) as tracker:
        report = _run(database, tracker, items=listed)
    assert (report.created, github.received) == ([], [])


def test_a_claim_taken_over_is_neither_confirmed_nor_released_by_its_first_holder(
    database: Database,
) -> None:
    postmortem_id = _store(database)
    long_ago = dt.datetime.now(dt.UTC) - 2 * issue_export.RUN_OVER_AFTER
    first = _claim(database, postmortem_id, 0, long_ago)
    second = _claim(database, postmortem_id, 0, dt.datetime.now(dt.UTC))
    assert second.taken_over is not None
    with database.transaction() as session:
        assert not exports.confirm(session, first, "https://github.example/x/y/issues/1", "x/y")
        exports.release(session, first)
        assert exports.confirm(session, second, "https://github.example/x/y/issues/2", "x/y")
        exports.release(session, second)
        claims = exports.claims_of(session, postmortem_id)
    assert [(claim.issue_url, claim.repositories) for claim in claims] == [
        ("https://github.example/x/y/issues/2", ("x/y",))
    ]
    assert claims[0].first_claimed_at == long_ago


def test_writes_to_github_are_a_pause_apart(database: Database) -> None:
    _store(database)
    with github_server() as github, _tracker(github) as tracker:
        github.refuse_titles = {"Canary deploys"}
        _run(database, tracker, limit=3, pause_seconds=0.3)
    times = [request.at for request in github.writes()]
    assert len(times) == 4
    assert all(later - earlier >= 0.3 for earlier, later in itertools.pairwise(times))


def _age_claims(database: Database, by: dt.timedelta) -> None:
    """Make every claim `by` older, as if the runs that made them had been that long ago."""
    with database.transaction() as session:
        for claim in session.scalars(sa.select(IssueExportRow)):
            claim.claimed_at -= by
            claim.first_claimed_at -= by


class _Blind:
    """GitHub answers writes, but its list of issues times out."""

    def __init__(self, tracker: GitHubIssues) -> None:
        self.tracker = tracker

    def create(self, repository: str, issue: NewIssue) -> str:
        return self.tracker.create(repository, issue)

    def find(self, repository: str, text: str, *, since: dt.datetime) -> str | None:
        raise GitHubError("GitHub at x: timed out")


def test_an_issue_that_cannot_be_looked_for_is_not_opened_again(database: Database) -> None:
    postmortem_id = _store(database)
    with github_server() as github, _tracker(github) as tracker:
        _run(database, _Unanswered(tracker), filters=ActionFilters(owner="ksato"))
        _age_claims(database, 2 * issue_export.RUN_OVER_AFTER)
        blind = _run(database, _Blind(tracker), filters=ActionFilters(owner="ksato"))
        assert [item.task for item, _ in blind.not_looked_for] == ["Add a nil guard"]
        assert blind.troubles
        _age_claims(database, 2 * issue_export.RUN_OVER_AFTER)
        seeing = _run(database, tracker, filters=ActionFilters(owner="ksato"))
    assert [e.item.task for e in seeing.found] == ["Add a nil guard"]
    assert len(github.opened) == 1
    assert _links(database, postmortem_id)[0][1] == "https://github.example/acme/walk-api/issues/1"


def test_the_search_goes_back_to_the_first_claim_and_its_repository(database: Database) -> None:
    postmortem_id = _store(database)
    with github_server() as github, _tracker(github) as tracker:
        # A first run asked acme/walk-api 30 minutes ago and heard nothing back...
        _run(database, _Unanswered(tracker), filters=ActionFilters(owner="ksato"))
        github.opened[0]["updated_at"] -= dt.timedelta(minutes=29)
        _age_claims(database, dt.timedelta(minutes=30))
        # ...a second took its claim over 15 minutes ago and died before looking.
        _claim(database, postmortem_id, 0, dt.datetime.now(dt.UTC) - dt.timedelta(minutes=15))
        report = _run(database, tracker, ActionFilters(owner="ksato"), repository="acme/elsewhere")
    assert [e.issue_url for e in report.found] == ["https://github.example/acme/walk-api/issues/1"]
    assert len(github.opened) == 1
    with database.reading() as session:
        (claim,) = exports.claims_of(session, postmortem_id)
    assert (claim.repositories, claim.issue_url) == ((REPOSITORY,), report.found[0].issue_url)


def _edit_first_item(database: Database, postmortem_id: str, **changes: object) -> None:
    stored = history.get_postmortem(database, postmortem_id)
    items = stored.postmortem.action_items
    document = stored.postmortem.model_copy(
        update={"action_items": [items[0].model_copy(update=changes), *items[1:]]}
    )
    saving.update_postmortem(
        database, postmortem_id, document, user="author", base_revision=stored.revision
    )


def test_a_renumbered_item_that_lost_its_link_gets_it_back(database: Database) -> None:
    postmortem_id = _store(database, status="draft")
    with github_server() as github:
        _export(database, github, filters=ActionFilters(owner="ksato"))
        _edit_first_item(database, postmortem_id, number=11, issue_url=None)
        report = _export(database, github, filters=ActionFilters(owner="ksato"))
        again = _export(database, github, filters=ActionFilters(owner="ksato"))
    assert [e.issue_url for e in report.linked_again] == [
        "https://github.example/acme/walk-api/issues/1"
    ]
    assert (again.linked_again, len(github.opened)) == ([], 1)


def test_an_item_retitled_after_its_issue_went_unanswered_is_looked_for_by_its_old_marker(
    database: Database,
) -> None:
    postmortem_id = _store(database, status="draft")
    with github_server() as github, _tracker(github) as tracker:
        _run(database, _Unanswered(tracker), filters=ActionFilters(owner="ksato"))
        _edit_first_item(database, postmortem_id, task="Add nil guards everywhere")
        soon = _run(database, tracker, filters=ActionFilters(owner="ksato"))
        _age_claims(database, 2 * issue_export.RUN_OVER_AFTER)
        later = _run(database, tracker, filters=ActionFilters(owner="ksato"))
        settled = _run(database, tracker, filters=ActionFilters(owner="ksato"))
    assert [item.task for item, _ in soon.in_progress] == ["Add nil guards everywhere"]
    assert [e.issue_url for e in later.found] == ["https://github.example/acme/walk-api/issues/1"]
    assert len(github.opened) == 1
    assert _links(database, postmortem_id)[0] == (
        "Add nil guards everywhere",
        "https://github.example/acme/walk-api/issues/1",
    )
    assert (settled.created, settled.found, settled.linked_again) == ([], [], [])


def test_an_unnumbered_item_removed_while_its_issue_opened_lends_its_link_to_nobody(
    database: Database,
) -> None:
    postmortem_id = _store(database, status="draft")

    class RemovingTracker:
        def create(self, repository: str, issue: NewIssue) -> str:
            stored = history.get_postmortem(database, postmortem_id)
            items = [i for i in stored.postmortem.action_items if i.task != "Chaos drills"]
            document = stored.postmortem.model_copy(update={"action_items": items})
            saving.update_postmortem(
                database, postmortem_id, document, user="a", base_revision=stored.revision
            )
            return "https://github.example/acme/walk-api/issues/99"

        def find(self, repository: str, text: str, *, since: dt.datetime) -> str | None:
            raise AssertionError("nothing to look for")

    chaos = [r for r in issue_export.items_to_export(database, ActionFilters())
             if r.task == "Chaos drills"]  # fmt: skip
    report = _run(database, RemovingTracker(), items=chaos)
    assert [e.issue_url for e in report.changed_meanwhile] == [
        "https://github.example/acme/walk-api/issues/99"
    ]
    assert all(
        url is None for task, url in _links(database, postmortem_id) if task != "Tracked elsewhere"
    )


def _insert_first_item(database: Database, postmortem_id: str, **item: object) -> None:
    """A new item before the others, taking number 1; the numbered ones move up by one."""
    stored = history.get_postmortem(database, postmortem_id)
    moved = [
        i.model_copy(update={"number": i.number + 1}) if i.number is not None else i
        for i in stored.postmortem.action_items
    ]
    new = ActionItem.model_validate({"number": 1, "horizon": "immediate", **item})
    document = stored.postmortem.model_copy(update={"action_items": [new, *moved]})
    saving.update_postmortem(
        database, postmortem_id, document, user="author", base_revision=stored.revision
    )


def test_a_new_item_taking_the_number_of_one_in_doubt_gets_its_own_issue(
    database: Database,
) -> None:
    postmortem_id = _store(database, status="draft")
    with github_server() as github, _tracker(github) as tracker:
        _run(database, _Unanswered(tracker), filters=ActionFilters(owner="ksato"))
        _insert_first_item(database, postmortem_id, task="Roll back", owner="@ksato")
        _age_claims(database, 2 * issue_export.RUN_OVER_AFTER)
        report = _run(database, tracker, filters=ActionFilters(owner="ksato"))
    assert [e.item.task for e in report.created] == ["Roll back"]
    assert [e.item.task for e in report.found] == ["Add a nil guard"]
    links = dict(_links(database, postmortem_id))
    assert links["Add a nil guard"] == "https://github.example/acme/walk-api/issues/1"
    assert links["Roll back"] == "https://github.example/acme/walk-api/issues/2"
    assert len(github.opened) == 2


def test_an_item_renumbered_while_its_issue_opened_gets_the_link_not_its_new_neighbour(
    database: Database,
) -> None:
    postmortem_id = _store(database, status="draft")

    class InsertingTracker:
        def create(self, repository: str, issue: NewIssue) -> str:
            _insert_first_item(database, postmortem_id, task="Roll back", owner="@x")
            return "https://github.example/acme/walk-api/issues/7"

        def find(self, repository: str, text: str, *, since: dt.datetime) -> str | None:
            raise AssertionError("nothing to look for")

    report = _run(database, InsertingTracker(), filters=ActionFilters(owner="ksato"))
    assert [e.item.task for e in report.created] == ["Add a nil guard"]
    links = dict(_links(database, postmortem_id))
    assert links["Add a nil guard"] == "https://github.example/acme/walk-api/issues/7"
    assert links["Roll back"] is None


def test_a_new_item_with_an_old_task_does_not_take_an_issue_another_item_links(
    database: Database,
) -> None:
    postmortem_id = _store(database, status="draft")
    with github_server() as github:
        _export(database, github, filters=ActionFilters(owner="ksato"))
        _edit_first_item(database, postmortem_id, task="Add nil guards everywhere")
        _insert_first_item(database, postmortem_id, task="Add a nil guard", owner="@ksato")
        report = _export(database, github, filters=ActionFilters(owner="ksato"))
    assert (report.linked_again, [e.item.task for e in report.created]) == (
        [],
        ["Add a nil guard"],
    )
    links = dict(_links(database, postmortem_id))
    assert links["Add nil guards everywhere"] == "https://github.example/acme/walk-api/issues/1"
    assert links["Add a nil guard"] == "https://github.example/acme/walk-api/issues/2"


def test_every_repository_asked_is_searched(database: Database) -> None:
    postmortem_id = _store(database)
    long_ago = dt.datetime.now(dt.UTC) - 2 * issue_export.RUN_OVER_AFTER
    # A first run claimed the item for acme/one and died before asking GitHub...
    _claim(database, postmortem_id, 0, long_ago, repository="acme/one")
    with github_server() as github, _tracker(github) as tracker:
        # ...a second, for acme/two, found nothing there, asked, and heard nothing back...
        _run(database, _Unanswered(tracker), ActionFilters(owner="ksato"), repository="acme/two")
        _age_claims(database, 2 * issue_export.RUN_OVER_AFTER)
        # ...and a third, for acme/three, looks in both before opening one.
        report = _run(database, tracker, ActionFilters(owner="ksato"), repository="acme/three")
    assert [str(issue["html_url"]) for issue in github.opened] == [
        "https://github.example/acme/two/issues/1"
    ]
    assert [e.issue_url for e in report.found] == ["https://github.example/acme/two/issues/1"]
    assert _links(database, postmortem_id)[0][1] == "https://github.example/acme/two/issues/1"


def test_an_item_whose_issue_cannot_be_searched_for_holds_up_no_other(database: Database) -> None:
    _store(database)
    with github_server() as github, _tracker(github) as tracker:
        _run(database, _Unanswered(tracker), ActionFilters(owner="ksato"), repository="acme/gone")
        _age_claims(database, 2 * issue_export.RUN_OVER_AFTER)

        class GoneRepository:
            def create(self, repository: str, issue: NewIssue) -> str:
                return tracker.create(repository, issue)

            def find(self, repository: str, text: str, *, since: dt.datetime) -> str | None:
                if repository == "acme/gone":
                    raise GitHubError("GitHub answered 404 for acme/gone", about_repository=True)
                return tracker.find(repository, text, since=since)

        report = _run(database, GoneRepository())
    assert [item.task for item, _ in report.not_looked_for] == ["Add a nil guard"]
    assert report.stopped is None
    assert sorted(str(e.item.task) for e in report.created) == sorted(TASKS[1:])


def test_an_unreadable_postmortem_is_reported_and_the_other_items_get_their_issues(
    database: Database,
) -> None:
    readable = _store(database)
    unreadable = _store(database)
    # As an older version, before the model's bounds, could have stored it.
    with database.transaction() as session:
        document = dict(session.get(PostmortemRow, unreadable).document)  # type: ignore[union-attr]
        document["impact"] = {"downtime_minutes": 1e308}
        session.execute(
            sa.update(table_of(PostmortemRow))
            .where(table_of(PostmortemRow).c.id == unreadable)
            .values(document=document)
        )
    with github_server() as github:
        report = _export(database, github)
    assert [exported.item.task for exported in report.created] == TASKS
    assert {exported.item.postmortem_id for exported in report.created} == {readable}
    assert [item.task for item, _ in report.refused] == TASKS
    assert all(f"postmortem {unreadable}" in reason for _, reason in report.refused)
    assert all("impact.downtime_minutes" in reason for _, reason in report.refused)
    assert report.troubles
