"""The list of postmortems: filtered, sorted and paged from the summary columns alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hansei.store.search import SearchFilters, filter_conditions, services_of
from hansei.store.tables import PostmortemRow


class SortOrder(StrEnum):
    newest = "newest"
    oldest = "oldest"
    by_title = "title"
    severity = "severity"
    downtime = "downtime"
    updated = "updated"


@dataclass(frozen=True)
class PostmortemSummary:
    id: str
    title: str | None
    status: str
    severity: str | None
    author: str | None
    detected_at: dt.datetime | None
    downtime_minutes: float | None
    revision: int
    updated_at: dt.datetime
    services: list[str] = field(default_factory=list)


_SEVERITY_RANK = sa.case(
    {"critical": 0, "high": 1, "medium": 2, "low": 3}, value=PostmortemRow.severity, else_=4
)
_ORDER: dict[SortOrder, tuple[Any, ...]] = {
    SortOrder.newest: (PostmortemRow.detected_at.desc().nulls_last(),),
    SortOrder.oldest: (PostmortemRow.detected_at.asc().nulls_last(),),
    SortOrder.by_title: (PostmortemRow.title.asc().nulls_last(),),
    SortOrder.severity: (_SEVERITY_RANK, PostmortemRow.detected_at.desc().nulls_last()),
    SortOrder.downtime: (PostmortemRow.downtime_minutes.desc().nulls_last(),),
    SortOrder.updated: (PostmortemRow.updated_at.desc(),),
}


def list_postmortems(
    session: Session,
    filters: SearchFilters,
    *,
    sort: SortOrder = SortOrder.newest,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[PostmortemSummary], int]:
    """One page of postmortems, and how many match the filters in all."""
    conditions = filter_conditions(filters)
    total = session.execute(
        sa.select(sa.func.count()).select_from(PostmortemRow).where(*conditions)
    ).scalar_one()
    rows = session.execute(
        sa.select(
            PostmortemRow.id,
            PostmortemRow.title,
            PostmortemRow.status,
            PostmortemRow.severity,
            PostmortemRow.author,
            PostmortemRow.detected_at,
            PostmortemRow.downtime_minutes,
            PostmortemRow.revision,
            PostmortemRow.updated_at,
        )
        .where(*conditions)
        .order_by(*_ORDER[sort], PostmortemRow.id)
        .limit(limit)
        .offset(offset)
    ).all()
    services = services_of(session, [row.id for row in rows])
    return [
        PostmortemSummary(
            id=row.id,
            title=row.title,
            status=row.status,
            severity=row.severity,
            author=row.author,
            detected_at=row.detected_at,
            downtime_minutes=row.downtime_minutes,
            revision=row.revision,
            updated_at=row.updated_at,
            services=services.get(row.id, []),
        )
        for row in rows
    ], total
