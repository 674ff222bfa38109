"""`hansei remind` from the terminal: printed, or posted to a webhook on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from hansei.cli.app import app
from hansei.services import saving
from hansei.store import open_database
from tests.factories import postmortem
from tests.recording_server import recording_server


def _store(folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'hansei.db'}"
    database = open_database(url)
    try:
        document = postmortem(
            title="old",
            action_items=[
                {"horizon": "immediate", "task": "overdue task", "owner": "@mori",
                 "due": "2020-01-05", "status": "todo"},
            ],
        )  # fmt: skip
        saving.create_postmortem(database, document, user="t")
    finally:
        database.dispose()
    return url


def test_remind_prints_without_a_webhook(tmp_path: Path) -> None:
    url = _store(tmp_path)
    result = CliRunner().invoke(app, ["remind", "--db", url], env={"HANSEI_BASE_URL": "https://h"})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "@mori:\n  overdue 2020-01-05  overdue task  https://h/postmortems/"
    )


def test_remind_posts_once_and_says_so(tmp_path: Path) -> None:
    url = _store(tmp_path)
    with recording_server() as slack:
        runner = CliRunner()
        env = {"HANSEI_SLACK_WEBHOOK_URL": slack.url}
        first = runner.invoke(app, ["remind", "--db", url], env=env)
        second = runner.invoke(app, ["remind", "--db", url], env=env)
        slack.answer = lambda request: (500, "boom")
        other = _store(tmp_path / "other")
        failing = runner.invoke(app, ["remind", "--db", other, "--webhook", f"{slack.url}/x"])
    assert first.stdout == "sent to 1 (@mori); already sent today to 0\n"
    assert second.stdout == "sent to 0 (nobody); already sent today to 1\n"
    assert [request.path for request in slack.received] == ["/", "/x"]
    assert failing.exit_code == 1
    assert "answered 500: boom" in failing.stderr
