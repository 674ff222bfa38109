"""Following action items up: which are overdue today, due outside their horizon, and
who last moved their status. The web app, the CLI and the reminders all ask here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from hansei.model import Horizon
from hansei.model.actions import due_in_horizon
from hansei.services.searching import (
    ActionFilters,
    ActionItemRecord,
    StatusChange,
    find_action_items,
    last_status_changes,
)
from hansei.store import Database


def team_today(timezone: str) -> dt.date:
    """Today, in the team's timezone: an item due today is not overdue yet."""
    return dt.datetime.now(ZoneInfo(timezone)).date()


@dataclass(frozen=True)
class FollowUp:
    item: ActionItemRecord
    overdue: bool
    outside_horizon: bool
    last_change: StatusChange | None


def judge(
    item: ActionItemRecord, *, today: dt.date, timezone: str, change: StatusChange | None
) -> FollowUp:
    overdue = item.due is not None and item.due < today and (item.status or "todo") != "done"
    outside = False
    if item.due is not None and item.detected_at is not None and item.horizon:
        detected_on = item.detected_at.astimezone(ZoneInfo(timezone)).date()
        outside = not due_in_horizon(Horizon(item.horizon), item.due, detected_on)
    return FollowUp(item=item, overdue=overdue, outside_horizon=outside, last_change=change)


def follow_ups(
    database: Database,
    filters: ActionFilters,
    *,
    timezone: str,
    today: dt.date | None = None,
    limit: int | None = None,
) -> list[FollowUp]:
    """The items `filters` select, judged as of `today` (default: the team's today)."""
    day = today or team_today(timezone)
    items = find_action_items(database, filters, limit=limit)
    changes = last_status_changes(database, items)
    return [
        judge(
            item,
            today=day,
            timezone=timezone,
            change=changes.get((item.postmortem_id, item.number, item.task)),
        )
        for item in items
    ]
