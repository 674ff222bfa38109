"""Following action items up: overdue, outside the horizon, who moved the status."""

from __future__ import annotations

import datetime as dt

from hansei.model import ActionStatus, Status
from hansei.services import saving
from hansei.services.following import Grouping, follow_ups, grouped
from hansei.services.searching import ActionFilters
from hansei.store import Database
from tests.factories import postmortem


def _items(*statuses: str) -> list[dict[str, object]]:
    return [
        {"number": 1, "horizon": "immediate", "task": "rotate keys", "owner": "@mori",
         "due": "2025-03-05", "status": statuses[0]},
        {"number": 2, "horizon": "immediate", "task": "write runbook", "owner": "@ito",
         "due": "2025-04-30", "status": statuses[1]},
    ]  # fmt: skip


def test_overdue_outside_the_horizon_and_who_moved_the_status(database: Database) -> None:
    document = postmortem(
        title="keys",
        status="final",
        times={"detected": "2025-03-01T10:00:00+09:00"},
        action_items=_items("todo", "todo"),
    )
    pid = saving.create_postmortem(database, document, user="mori").postmortem_id
    moved = document.model_copy(
        update={
            "action_items": [
                document.action_items[0],
                document.action_items[1].model_copy(update={"status": ActionStatus.done}),
            ]
        }
    )
    # Final takes this edit: only an action item's status moves.
    saving.update_postmortem(database, pid, moved, user="ito", base_revision=1)
    found = follow_ups(database, ActionFilters(), timezone="Asia/Tokyo", today=dt.date(2025, 3, 6))
    keys, runbook = sorted(found, key=lambda f: f.item.number or 0)
    assert (keys.overdue, keys.outside_horizon, keys.last_change) == (True, False, None)
    assert (runbook.overdue, runbook.outside_horizon) == (False, True)
    assert runbook.last_change is not None
    assert (runbook.last_change.from_status, runbook.last_change.to_status) == ("todo", "done")
    assert runbook.last_change.changed_by == "ito"
    # Due today is not overdue yet.
    today = follow_ups(database, ActionFilters(), timezone="Asia/Tokyo", today=dt.date(2025, 3, 5))
    assert not any(f.overdue for f in today)


def test_moving_items_about_is_no_status_change(database: Database) -> None:
    document = postmortem(title="order", status=Status.draft, action_items=_items("todo", "done"))
    pid = saving.create_postmortem(database, document, user="mori").postmortem_id
    swapped = document.model_copy(update={"action_items": document.action_items[::-1]})
    saving.update_postmortem(database, pid, swapped, user="ito", base_revision=1)
    found = follow_ups(database, ActionFilters(), timezone="Asia/Tokyo")
    assert [f.last_change for f in found] == [None, None]


def test_items_with_the_same_task_keep_their_own_history(database: Database) -> None:
    twins = [
        {"number": n, "horizon": "immediate", "task": "update the runbook", "owner": owner,
         "due": "2025-03-20", "status": "todo"}
        for n, owner in ((1, "@ann"), (2, "@ben"))
    ]  # fmt: skip
    document = postmortem(title="twins", action_items=twins)
    pid = saving.create_postmortem(database, document, user="t").postmortem_id
    items = list(document.action_items)
    items[1] = items[1].model_copy(update={"status": ActionStatus.done})
    saving.update_postmortem(
        database,
        pid,
        document.model_copy(update={"action_items": items}),
        user="ben",
        base_revision=1,
    )
    ann, ben = follow_ups(database, ActionFilters(), timezone="Asia/Tokyo")
    assert ann.last_change is None
    assert ben.last_change is not None
    assert ben.last_change.changed_by == "ben"


def test_items_grouped_by_horizon_owner_and_service(database: Database) -> None:
    for day, title, services, owners in (
        (1, "auth", ["Auth API", "Walk API"], ["@Mori", "ito"]),
        (3, "search", ["Search API"], ["mori", None]),
        (5, "nowhere", [], ["@ito", None]),
    ):
        document = postmortem(
            title=title,
            impact={"services": services},
            action_items=[
                {"horizon": horizon, "task": f"{title} {index}", "owner": owner,
                 "due": f"2025-03-0{day + index}"}
                for index, (horizon, owner) in enumerate(
                    zip(("long_term", "immediate"), owners, strict=True)
                )
            ],
        )  # fmt: skip
        saving.create_postmortem(database, document, user="t")
    found = follow_ups(database, ActionFilters(), timezone="Asia/Tokyo", today=dt.date(2025, 3, 1))

    def tasks(by: Grouping) -> list[tuple[str, list[str | None]]]:
        return [
            (name, [f.item.task for f in items]) for name, items in grouped(database, found, by)
        ]

    assert tasks(Grouping.horizon) == [
        ("immediate", ["auth 1", "search 1", "nowhere 1"]),
        ("long_term", ["auth 0", "search 0", "nowhere 0"]),
    ]
    assert tasks(Grouping.owner) == [
        ("@ito", ["auth 1", "nowhere 0"]),
        ("@mori", ["auth 0", "search 0"]),
        ("-", ["search 1", "nowhere 1"]),
    ]
    assert tasks(Grouping.service) == [
        ("Auth API", ["auth 0", "auth 1"]),
        ("Search API", ["search 0", "search 1"]),
        ("Walk API", ["auth 0", "auth 1"]),
        ("-", ["nowhere 0", "nowhere 1"]),
    ]
