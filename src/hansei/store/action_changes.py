"""Action items' status changes: recorded on every save, asked for per item."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hansei.store.database import Reader
from hansei.store.tables import ActionItemRow, ActionStatusChangeRow, table_of

_CHANGES = table_of(ActionStatusChangeRow)


@dataclass(frozen=True)
class StatusChange:
    postmortem_id: str
    number: int | None
    task: str | None
    from_status: str | None
    to_status: str | None
    changed_by: str
    changed_at: dt.datetime


def _same_item(rows: list[Any], number: int | None, task: str | None) -> Any:
    """The stored item a saved one is: same number and task, else task, else number."""
    for row in rows:
        if (row.number, row.task) == (number, task):
            return row
    for row in rows:
        if task is not None and row.task == task:
            return row
    for row in rows:
        if number is not None and row.number == number:
            return row
    return None


def record(
    session: Session,
    postmortem_id: str,
    new_items: list[dict[str, Any]],
    *,
    user: str,
    now: dt.datetime,
) -> None:
    """Compare the stored items (before they are replaced) with `new_items`: an item is
    the one with the same number and task, else the same task, else the same number."""
    old = session.execute(
        sa.select(ActionItemRow.number, ActionItemRow.task, ActionItemRow.status)
        .where(ActionItemRow.postmortem_id == postmortem_id)
        .order_by(ActionItemRow.position)
    ).all()
    unmatched = list(old)
    changes = []
    for item in new_items:
        match = _same_item(unmatched, item["number"], item["task"])
        if match is None:
            continue
        unmatched.remove(match)
        if match.status != item["status"]:
            changes.append(
                {
                    "postmortem_id": postmortem_id,
                    "number": item["number"],
                    "task": item["task"],
                    "from_status": match.status,
                    "to_status": item["status"],
                    "changed_by": user,
                    "changed_at": now,
                }
            )
    if changes:
        session.execute(sa.insert(_CHANGES), changes)


ItemKey = tuple[str, int | None, str | None]
"""An action item: its postmortem, number and task."""


def latest(session: Reader, postmortem_ids: list[str]) -> dict[ItemKey, StatusChange]:
    """The last status change of each item of these postmortems."""
    found: dict[ItemKey, StatusChange] = {}
    if not postmortem_ids:
        return found
    rows = session.execute(
        sa.select(_CHANGES)
        .where(_CHANGES.c.postmortem_id.in_(postmortem_ids))
        .order_by(_CHANGES.c.changed_at, _CHANGES.c.id)
    ).all()
    for row in rows:
        found[(row.postmortem_id, row.number, row.task)] = StatusChange(
            postmortem_id=row.postmortem_id,
            number=row.number,
            task=row.task,
            from_status=row.from_status,
            to_status=row.to_status,
            changed_by=row.changed_by,
            changed_at=row.changed_at,
        )
    return found
