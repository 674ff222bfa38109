"""Queries across postmortems: action items, and incidents per service in a window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hansei.store.database import Reader
from hansei.store.tables import ActionItemRow, PostmortemRow, ServiceRow


def owner_spellings(owner: str) -> list[str]:
    """`tanaka` and `@tanaka` name the same person: the template writes owners both ways."""
    bare = owner.removeprefix("@")
    return [bare, f"@{bare}"]


@dataclass(frozen=True)
class ActionFilters:
    owner: str | None = None
    status: str | None = None
    horizon: str | None = None
    service: str | None = None
    overdue_on: dt.date | None = None
    """Only items not done whose due date is before this day."""


@dataclass(frozen=True)
class ActionItemRecord:
    postmortem_id: str
    postmortem_title: str | None
    detected_at: dt.datetime | None
    number: int | None
    horizon: str | None
    task: str | None
    owner: str | None
    due: dt.date | None
    status: str | None
    issue_url: str | None
    position: int
    """Where the item stands among its postmortem's action items."""


def action_items(
    session: Reader,
    filters: ActionFilters | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> list[ActionItemRecord]:
    """Action items of every postmortem, the soonest due first (no due date last)."""
    filters = filters or ActionFilters()
    statement = sa.select(
        ActionItemRow.postmortem_id,
        PostmortemRow.title,
        PostmortemRow.detected_at,
        ActionItemRow.number,
        ActionItemRow.horizon,
        ActionItemRow.task,
        ActionItemRow.owner,
        ActionItemRow.due,
        ActionItemRow.status,
        ActionItemRow.issue_url,
        ActionItemRow.position,
    ).join(PostmortemRow, PostmortemRow.id == ActionItemRow.postmortem_id)
    if filters.owner:
        statement = statement.where(ActionItemRow.owner.in_(owner_spellings(filters.owner)))
    if filters.status:
        statement = statement.where(ActionItemRow.status == filters.status)
    if filters.horizon:
        statement = statement.where(ActionItemRow.horizon == filters.horizon)
    if filters.service:
        statement = statement.where(
            sa.exists().where(
                ServiceRow.postmortem_id == ActionItemRow.postmortem_id,
                ServiceRow.service == filters.service,
            )
        )
    if filters.overdue_on:
        statement = statement.where(
            ActionItemRow.due < filters.overdue_on,
            sa.or_(ActionItemRow.status.is_(None), ActionItemRow.status != "done"),
        )
    # Overdue items all have a due date: a plain ascending order can follow the index.
    by_due = ActionItemRow.due.asc() if filters.overdue_on else ActionItemRow.due.asc().nulls_last()
    statement = statement.order_by(by_due, ActionItemRow.postmortem_id, ActionItemRow.position)
    if limit is not None:
        statement = statement.limit(limit)
    if offset:
        statement = statement.offset(offset)
    return [ActionItemRecord(*row) for row in session.execute(statement)]


@dataclass(frozen=True)
class IncidentSpan:
    postmortem_id: str
    title: str | None
    started_at: dt.datetime
    recovered_at: dt.datetime


def incidents_of_service(
    session: Session, service: str, *, start: dt.datetime, end: dt.datetime
) -> list[IncidentSpan]:
    """Incidents of `service` whose impact (occurred, else detected, to recovered)
    overlaps the window [start, end)."""
    began = sa.func.coalesce(PostmortemRow.occurred_at, PostmortemRow.detected_at)
    rows = session.execute(
        sa.select(PostmortemRow.id, PostmortemRow.title, began, PostmortemRow.recovered_at)
        .join(ServiceRow, ServiceRow.postmortem_id == PostmortemRow.id)
        .where(
            ServiceRow.service == service,
            PostmortemRow.recovered_at.is_not(None),
            PostmortemRow.recovered_at > start,
            began < end,
        )
        .order_by(began, PostmortemRow.id)
    ).all()
    return [IncidentSpan(row[0], row[1], row[2], row[3]) for row in rows]


KNOWN_SERVICES_AT_MOST = 1000
"""The services a filter's menu offers; a store naming more still filters by any of them."""


def _known_services(*, at_most: int = KNOWN_SERVICES_AT_MOST) -> sa.Select[tuple[str]]:
    # A skip from each name to the next through the index: as many index lookups as
    # there are names, where DISTINCT would read every postmortem's services.
    names = sa.select(sa.func.min(ServiceRow.service).label("service")).cte("names", recursive=True)
    following = sa.select(sa.func.min(ServiceRow.service)).where(
        ServiceRow.service > names.c.service
    )
    names = names.union_all(
        sa.select(following.scalar_subquery()).where(names.c.service.is_not(None))
    )
    return sa.select(names.c.service).where(names.c.service.is_not(None)).limit(at_most)


_KNOWN_SERVICES = _known_services()


def services(session: Reader) -> list[str]:
    """Every service a postmortem names, in order (the first KNOWN_SERVICES_AT_MOST)."""
    return list(session.scalars(_KNOWN_SERVICES))
