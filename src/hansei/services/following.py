"""Following action items up: which are overdue today, due outside their horizon, and
who last moved their status. The web app, the CLI and the reminders all ask here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from hansei.model import Horizon
from hansei.model.actions import due_in_horizon
from hansei.model.reviews import person

if TYPE_CHECKING:
    # The queries are imported where they run: the command line names `Grouping` and
    # `team_today` without loading the store.
    from hansei.services.searching import ActionFilters, ActionItemRecord, StatusChange
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
    offset: int = 0,
) -> list[FollowUp]:
    """The items `filters` select, judged as of `today` (default: the team's today)."""
    from hansei.store import action_changes, queries

    day = today or team_today(timezone)
    # On one connection: a connection and a transaction for each part cost about as
    # much as the parts.
    with database.querying() as connection:
        items = queries.action_items(connection, filters, limit=limit, offset=offset)
        changes = action_changes.latest(connection, sorted({item.postmortem_id for item in items}))
    return [
        judge(
            item,
            today=day,
            timezone=timezone,
            change=changes.get((item.postmortem_id, item.number, item.task)),
        )
        for item in items
    ]


class Grouping(StrEnum):
    horizon = "horizon"
    owner = "owner"
    service = "service"


NOBODY = "-"
"""The group of items without an owner, or of postmortems that name no service."""


def grouped(
    database: Database, found: list[FollowUp], by: Grouping
) -> list[tuple[str, list[FollowUp]]]:
    """The items in groups, each group in due order: by horizon (immediate first), by owner
    (`@mori` and `mori` together) or by service (an item of a postmortem naming two
    services is in both); groups by name, the one without a name last."""
    groups: dict[str, list[FollowUp]] = {}
    if by == Grouping.horizon:
        for horizon in Horizon:
            groups[horizon.value] = [f for f in found if f.item.horizon == horizon.value]
        return [(name, items) for name, items in groups.items() if items]
    if by == Grouping.owner:
        for follow_up in found:
            owner = follow_up.item.owner
            name = f"@{person(owner)}" if owner else NOBODY
            groups.setdefault(name, []).append(follow_up)
    else:
        from hansei.services.searching import services_of_postmortems

        services = services_of_postmortems(database, [f.item.postmortem_id for f in found])
        for follow_up in found:
            for name in services.get(follow_up.item.postmortem_id) or [NOBODY]:
                groups.setdefault(name, []).append(follow_up)
    return sorted(groups.items(), key=lambda group: (group[0] == NOBODY, group[0].casefold()))
