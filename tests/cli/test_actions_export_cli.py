"""`hansei actions export --github`: issues opened through a stand-in for GitHub's API on
127.0.0.1, their URLs written into the items, and never opened twice."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import sqlalchemy as sa
from typer.testing import CliRunner, Result

from hansei.cli.app import app
from hansei.services import history, saving, searching
from hansei.store import open_database
from hansei.store.tables import IssueExportRow
from tests.conftest import EXAMPLES
from tests.github_server import TOKEN, github_server

NO_TOKENS: dict[str, str | None] = {"HANSEI_GITHUB_TOKEN": None, "GITHUB_TOKEN": None}


def _imported(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'hansei.db'}"
    result = CliRunner().invoke(app, ["import", str(EXAMPLES), "--db", url])
    assert result.exit_code == 0, result.output
    return url


def _actions(url: str, owner: str) -> list[dict[str, str | None]]:
    result = CliRunner().invoke(app, ["actions", "--owner", owner, "--format", "json", "--db", url])
    assert result.exit_code == 0, result.output
    found: list[dict[str, str | None]] = json.loads(result.stdout)
    return found


def test_export_opens_an_issue_per_open_item_and_writes_it_back_once(tmp_path: Path) -> None:
    url = _imported(tmp_path)
    open_items = [item for item in _actions(url, "mito") if item["status"] != "done"]
    assert len(open_items) == 2
    export = ["actions", "export", "--github", "acme/walk-api", "--owner", "@mito", "--db", url]
    runner = CliRunner()
    with github_server(prefix="/api/v3") as github:
        env = {
            **NO_TOKENS,
            "HANSEI_GITHUB_TOKEN": TOKEN,
            "GITHUB_TOKEN": "not this one",
            "HANSEI_GITHUB_API_URL": github.api_url,
            "HANSEI_BASE_URL": "https://hansei.example",
        }
        dry = runner.invoke(app, [*export, "--dry-run"], env=env)
        assert github.received == []
        first = runner.invoke(app, [*export, "--label", "postmortem", "--user", "sre"], env=env)
        second = runner.invoke(app, [*export, "--dry-run"], env=env)
        third = runner.invoke(app, export, env=env)
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.count("would open: ") == 2
    assert dry.stdout.endswith("2 issues would be opened in acme/walk-api\n")
    assert first.exit_code == 0, first.output
    assert first.stderr == ""
    assert first.stdout.startswith("opened https://github.example/acme/walk-api/issues/1  ")
    assert first.stdout.endswith("2 issues opened in acme/walk-api\n")
    assert [opened["title"] for opened in github.opened] == [item["task"] for item in open_items]
    assert all(opened["labels"] == ["postmortem"] for opened in github.opened)
    assert "https://hansei.example/postmortems/" in str(github.opened[0]["body"])
    assert second.stdout == "0 issues would be opened in acme/walk-api\n"
    assert (third.exit_code, third.stdout) == (0, "0 issues opened in acme/walk-api\n")
    assert len(github.received) == 2
    linked = [item for item in _actions(url, "mito") if item["issue_url"]]
    assert [item["issue_url"] for item in linked] == [
        "https://github.example/acme/walk-api/issues/1",
        "https://github.example/acme/walk-api/issues/2",
    ]
    table = runner.invoke(app, ["actions", "--owner", "mito", "--db", url], env={"COLUMNS": "200"})
    assert "(acme/walk-api#1)" in table.stdout
    shown = runner.invoke(app, ["show", str(linked[0]["postmortem"]), "--db", url])
    assert "| [acme/walk-api#1](https://github.example/acme/walk-api/issues/1) |" in shown.stdout


def test_export_needs_a_token_a_repository_and_stops_when_github_refuses(
    tmp_path: Path,
) -> None:
    url = _imported(tmp_path)
    runner = CliRunner()
    export = ["actions", "export", "--owner", "mito", "--db", url]
    with github_server() as github:
        env: dict[str, str | None] = {**NO_TOKENS, "HANSEI_GITHUB_API_URL": github.api_url}
        no_token = runner.invoke(app, [*export, "--github", "acme/api"], env=env)
        bad_repository = runner.invoke(app, [*export, "--github", "acme"], env=env)
        refused = runner.invoke(
            app, [*export, "--github", "acme/api"], env={**env, "GITHUB_TOKEN": "expired"}
        )
        from_github_token = runner.invoke(
            app,
            [*export, "--github", "acme/api", "--limit", "1"],
            env={**env, "GITHUB_TOKEN": TOKEN},
        )
        over_http = runner.invoke(
            app,
            [*export, "--github", "acme/api"],
            env={**env, "GITHUB_TOKEN": TOKEN, "HANSEI_GITHUB_API_URL": "http://ghe.example"},
        )
    assert no_token.exit_code == 2
    assert "no GitHub token: set HANSEI_GITHUB_TOKEN or GITHUB_TOKEN" in no_token.stderr
    assert bad_repository.exit_code == 2
    assert "write the repository as OWNER/REPO" in bad_repository.stderr
    assert refused.exit_code == 1
    assert "issues will link to http://127.0.0.1:8000: set HANSEI_BASE_URL" in refused.stderr
    assert (
        "stopped: GitHub refused the token (401 Bad credentials): check GITHUB_TOKEN"
        in refused.stderr
    )
    assert refused.stdout == "0 issues opened in acme/api, 1 item left\n"
    assert from_github_token.exit_code == 0, from_github_token.output
    assert from_github_token.stdout.endswith("1 issue opened in acme/api, 1 item left\n")
    assert len(github.opened) == 1
    assert over_http.exit_code == 2
    assert "the token is sent over https only" in over_http.stderr


def test_an_item_github_refuses_is_named_and_the_run_exits_1(tmp_path: Path) -> None:
    url = _imported(tmp_path)
    open_items = [item for item in _actions(url, "mito") if item["status"] != "done"]
    with github_server() as github:
        github.refuse_titles = {str(open_items[0]["task"])}
        result = CliRunner().invoke(
            app,
            ["actions", "export", "--github", "acme/api", "--owner", "mito", "--db", url],
            env={**NO_TOKENS, "GITHUB_TOKEN": TOKEN, "HANSEI_GITHUB_API_URL": github.api_url},
        )
    assert result.exit_code == 1
    assert f"item 3: {open_items[0]['task']} (@mito): GitHub did not take the issue" in (
        result.stderr
    )
    assert result.stdout.endswith("1 issue opened in acme/api\n")


def test_an_unanswered_issue_is_in_progress_then_found_then_linked_again(tmp_path: Path) -> None:
    url = _imported(tmp_path)
    open_items = [item for item in _actions(url, "mito") if item["status"] != "done"]
    first_task = str(open_items[0]["task"])
    export = ["actions", "export", "--github", "acme/api", "--owner", "mito", "--db", url]
    runner = CliRunner()

    def run(*extra: str) -> Result:
        return runner.invoke(app, [*export, *extra], env=env)

    with github_server() as github:
        env = {**NO_TOKENS, "GITHUB_TOKEN": TOKEN, "HANSEI_GITHUB_API_URL": github.api_url}
        github.lost_answers = {first_task}
        lost = run()
        github.lost_answers = set()
        planned_soon = run("--dry-run", "--limit", "1")
        soon = run()
        _age_claims(url, dt.timedelta(minutes=20))
        planned_later = run("--dry-run")
        later = run()
        _clear_links(url)
        planned_again = run("--dry-run")
        again = run()
    assert lost.exit_code == 1
    assert "GitHub did not say whether it opened the issue (GitHub answered 502" in lost.stderr
    assert "stopped: GitHub answered 502: Server Error" in lost.stderr
    assert planned_soon.stdout.startswith("in progress: ")
    assert planned_soon.stdout.endswith("1 issue would be opened in acme/api\n")
    assert soon.exit_code == 0, soon.output
    assert f"in progress: {str(open_items[0]['postmortem'])[:8]} item 3: " in soon.stdout
    assert soon.stdout.endswith("1 issue opened in acme/api, 1 in progress elsewhere\n")
    assert planned_later.stdout.startswith("would look for the issue ")
    assert later.exit_code == 0, later.output
    assert later.stdout.startswith("found https://github.example/acme/api/issues/1  ")
    assert planned_again.stdout.count("would link again https://github.example/acme/api/") == 2
    assert again.stdout.startswith("linked again https://github.example/acme/api/issues/")
    assert again.stdout.endswith("0 issues opened in acme/api, 2 linked again\n")
    assert len(github.opened) == 2


def _age_claims(url: str, by: dt.timedelta) -> None:
    database = open_database(url)
    try:
        with database.transaction() as session:
            for claim in session.scalars(sa.select(IssueExportRow)):
                claim.claimed_at -= by
                claim.first_claimed_at -= by
    finally:
        database.dispose()


def _clear_links(url: str) -> None:
    """Every item loses its link, as when files without them are imported again."""
    database = open_database(url)
    try:
        summaries, _ = searching.list_postmortems(database)
        for summary in summaries:
            stored = history.get_postmortem(database, summary.id)
            items = [
                i.model_copy(update={"issue_url": None}) for i in stored.postmortem.action_items
            ]
            document = stored.postmortem.model_copy(update={"action_items": items})
            saving.update_postmortem(
                database, summary.id, document, user="t", base_revision=stored.revision
            )
    finally:
        database.dispose()
