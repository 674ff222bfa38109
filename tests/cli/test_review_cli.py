"""`hansei review`: the review steps from the terminal, with who may take them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hansei.cli.app import app
from hansei.model import ReviewStatus, Status
from hansei.model.access import Role
from hansei.services import accounts, history
from hansei.store import Database, open_database
from tests.conftest import EXAMPLES
from tests.factories import draft_markdown

WALK = EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md"  # author @ksato


@pytest.fixture
def stored(tmp_path: Path) -> tuple[str, str]:
    """A draft of the example in a new store: its URL and the postmortem's id."""
    url = f"sqlite:///{tmp_path / 'hansei.db'}"
    draft = tmp_path / WALK.name
    draft.write_text(draft_markdown(WALK.read_text(encoding="utf-8")), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(draft), "--db", url]).exit_code == 0
    found = runner.invoke(app, ["search", "nil", "--json", "--db", url])
    return url, json.loads(found.stdout)[0]["id"]


def _review(url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["review", *args, "--db", url])
    return result.exit_code, result.stdout, result.stderr


def _store(url: str) -> Database:
    return open_database(url)


def test_draft_to_final_and_back(stored: tuple[str, str]) -> None:
    url, pid = stored
    database = _store(url)
    try:
        accounts.add_user(database, "mito", role=Role.reviewer, password="mito-password")
    finally:
        database.dispose()
    code, out, err = _review(url, "request", pid, "-r", "mito", "--user", "ksato")
    assert (code, out) == (0, f"{pid}: review (revision 2)\n"), err
    code, _, err = _review(url, "approve", pid, "--user", "ksato")
    assert code == 2
    assert "the author cannot approve their own postmortem" in err
    code, _, err = _review(url, "approve", pid, "--base-revision", "1", "--user", "mito")
    assert code == 3
    assert "at revision 2" in err
    code, out, _ = _review(url, "approve", pid, "-m", "LGTM", "--user", "mito")
    assert out == f"{pid}: final (revision 3)\n"
    code, _, err = _review(url, "reopen", pid, "-m", "new facts", "--user", "mito")
    assert code == 2
    assert "only the author or an admin" in err
    code, out, _ = _review(url, "reopen", pid, "-m", "new facts", "--user", "ksato")
    assert out == f"{pid}: review (revision 4)\n"
    code, out, _ = _review(url, "reject", pid, "-m", "add a why", "--user", "mito")
    assert out == f"{pid}: draft (revision 5)\n"
    database = _store(url)
    try:
        document = history.get_postmortem(database, pid).postmortem
        kinds = [r.kind for r in history.list_revisions(database, pid)]
    finally:
        database.dispose()
    assert document.status == Status.draft
    assert [(r.reviewer, r.status, r.comment) for r in document.reviews[-4:]] == [
        ("@ksato", ReviewStatus.review, None),
        ("@mito", ReviewStatus.approved, "LGTM"),
        ("@ksato", ReviewStatus.review, "new facts"),
        ("@mito", ReviewStatus.changes_requested, "add a why"),
    ]
    assert kinds == ["import", "review", "review", "review", "review"]


def test_a_user_of_the_web_app_reviews_with_their_role(stored: tuple[str, str]) -> None:
    url, pid = stored
    database = _store(url)
    try:
        accounts.add_user(database, "viewer1", role=Role.viewer, password="viewer-password")
    finally:
        database.dispose()
    _review(url, "request", pid, "-r", "viewer1", "--user", "ksato")
    code, _, err = _review(url, "approve", pid, "--user", "viewer1")
    assert code == 2
    assert "viewer1 may not review" in err


def test_asking_for_a_review_waits_for_lint_errors_to_go(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hansei.db'}"
    broken = tmp_path / "broken.md"
    text = draft_markdown(WALK.read_text(encoding="utf-8"))
    # The recovery before the detection: a time-order error.
    broken.write_text(
        text.replace("- **復旧**: 2025-01-16 12:35:00 JST", "- **復旧**: 2025-01-16 11:35:00 JST"),
        encoding="utf-8",
    )
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(broken), "--db", url]).exit_code == 0
    pid = json.loads(runner.invoke(app, ["search", "nil", "--json", "--db", url]).stdout)[0]["id"]
    code, _, err = _review(url, "request", pid, "-r", "mito", "--user", "ksato")
    assert code == 2
    assert "lint errors remain: time-order" in err
    allowed = runner.invoke(
        app,
        ["review", "request", pid, "-r", "mito", "--user", "ksato", "--db", url],
        env={"HANSEI_REVIEW_NEEDS_CLEAN_LINT": "false"},
    )
    assert allowed.exit_code == 0, allowed.stderr
