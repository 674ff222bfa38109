"""`hansei remind`: Slack messages per owner, posted to a real HTTP server, once a day."""

from __future__ import annotations

import datetime as dt

from hansei.config import Settings
from hansei.model import ActionStatus
from hansei.services import history, reminding, saving
from hansei.store import Database
from tests.factories import postmortem
from tests.recording_server import Received, recording_server

TODAY = dt.date(2025, 3, 10)
SETTINGS = Settings(base_url="https://hansei.example.com/", language="en")


def _store(database: Database) -> str:
    document = postmortem(
        title="Keys & <certs>",
        times={"detected": "2025-03-01T10:00:00+09:00"},
        action_items=[
            {"number": 1, "horizon": "immediate", "task": "rotate <keys>", "owner": "@mori",
             "due": "2025-03-05", "status": "todo"},
            {"number": 2, "horizon": "short_term", "task": "alert on expiry", "owner": "mori",
             "due": "2025-03-14", "status": "in_progress"},
            {"number": 3, "horizon": "short_term", "task": "runbook", "owner": "@ito",
             "due": "2025-03-12", "status": "todo"},
            {"number": 4, "horizon": "long_term", "task": "done already", "owner": "@ito",
             "due": "2025-03-01", "status": "done"},
            {"number": 5, "horizon": "long_term", "task": "later", "owner": "@sato",
             "due": "2025-05-30", "status": "todo"},
        ],
    )  # fmt: skip
    return saving.create_postmortem(database, document, user="t").postmortem_id


def test_one_message_per_owner_in_slacks_format_once_a_day(database: Database) -> None:
    postmortem_id = _store(database)
    with recording_server() as slack:
        webhook = f"{slack.url}/services/T000/B000/XXXX"
        first = reminding.send_reminders(database, SETTINGS, webhook_url=webhook, today=TODAY)
        again = reminding.send_reminders(database, SETTINGS, webhook_url=webhook, today=TODAY)
    assert (first.sent, first.already_sent, first.failed) == (["@ito", "@mori"], [], [])
    assert (again.sent, again.already_sent) == ([], ["@ito", "@mori"])
    assert [r.method for r in slack.received] == ["POST", "POST"]
    assert {r.path for r in slack.received} == {"/services/T000/B000/XXXX"}
    assert all(r.headers["content-type"] == "application/json" for r in slack.received)
    ito, mori = (r.json() for r in slack.received)
    assert mori["text"] == "hansei: 2 action items for @mori (1 overdue)"
    header, overdue, soon = mori["blocks"]
    assert header == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Action items for @mori"},
    }
    link = f"https://hansei.example.com/postmortems/{postmortem_id}"
    assert overdue == {
        "type": "section",
        "text": {
            "type": "mrkdwn",
            "text": f"*Overdue*\n• <{link}|rotate &lt;keys&gt;> — "
            "due 2025-03-05 · Keys &amp; &lt;certs&gt;",
        },
    }
    assert soon["text"]["text"].startswith("*Due this week*\n• <")
    assert "alert on expiry" in soon["text"]["text"]
    assert [block["type"] for block in ito["blocks"]] == ["header", "section"]


def test_a_changed_reminder_goes_out_again_and_a_failed_one_is_retried(database: Database) -> None:
    postmortem_id = _store(database)
    with recording_server() as slack:
        slack.answer = lambda request: (500, "invalid_payload")
        failed = reminding.send_reminders(database, SETTINGS, webhook_url=slack.url, today=TODAY)
        assert [owner for owner, _ in failed.failed] == ["@ito", "@mori"]
        assert "answered 500: invalid_payload" in failed.failed[0][1]
        slack.answer = lambda request: (200, "ok")
        retried = reminding.send_reminders(database, SETTINGS, webhook_url=slack.url, today=TODAY)
        assert retried.sent == ["@ito", "@mori"]
        document = history.get_postmortem(database, postmortem_id).postmortem
        items = list(document.action_items)
        # A new due date changes what the message says; a new status alone would not.
        items[2] = items[2].model_copy(update={"due": dt.date(2025, 3, 13)})
        items[1] = items[1].model_copy(update={"status": ActionStatus.done})
        saving.update_postmortem(
            database,
            postmortem_id,
            document.model_copy(update={"action_items": items}),
            user="ito",
            base_revision=1,
        )
        changed = reminding.send_reminders(database, SETTINGS, webhook_url=slack.url, today=TODAY)
        tomorrow = reminding.send_reminders(
            database, SETTINGS, webhook_url=slack.url, today=TODAY + dt.timedelta(days=1)
        )
    assert (changed.sent, changed.already_sent) == (["@ito", "@mori"], [])
    assert tomorrow.sent == ["@ito", "@mori"]
    received: list[Received] = slack.received
    assert len(received) == 2 + 2 + 2 + 2
