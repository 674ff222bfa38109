"""The list of postmortems: filtered, sorted and paged from the summary columns alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from hansei.store.database import Reader
from hansei.store.filters import (
    SearchFilters,
    filter_conditions,
    filter_keys,
    filter_parameters,
)
from hansei.store.tables import PostmortemCountRow, PostmortemRow, ReviewerRow, ServiceRow


class SortOrder(StrEnum):
    newest = "newest"
    oldest = "oldest"
    by_title = "title"
    severity = "severity"
    downtime = "downtime"
    updated = "updated"
    longest_waiting = "waiting"
    """Least recently changed first: what has waited longest for someone."""


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


SERVICE_SEPARATOR = "\x1f"
"""Joins a postmortem's services in one column (a control character no name holds)."""

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
    SortOrder.longest_waiting: (PostmortemRow.updated_at.asc(),),
}


_SUMMARY_COLUMNS = (
    PostmortemRow.id,
    PostmortemRow.title,
    PostmortemRow.status,
    PostmortemRow.severity,
    PostmortemRow.author,
    PostmortemRow.detected_at,
    PostmortemRow.downtime_minutes,
    PostmortemRow.revision,
    PostmortemRow.updated_at,
    # The page's services in the same query: one round trip instead of two.
    sa.select(sa.func.aggregate_strings(ServiceRow.service, SERVICE_SEPARATOR))
    .where(ServiceRow.postmortem_id == PostmortemRow.id)
    .scalar_subquery(),
)


COUNTED_AT_MOST = 10_000
"""A list counts its matches up to this many; a total above it means "more than this"."""


@lru_cache(maxsize=256)
def _statements(keys: tuple[str, ...], sort: SortOrder) -> tuple[sa.Select[Any], sa.Select[Any]]:
    """The page, with the count of all matches beside each row, and the count alone
    (for a page past the end), for one combination of filters and order, built once."""
    conditions = filter_conditions(keys)
    count = _count_statement(keys, conditions)
    order = (*_ORDER[sort], PostmortemRow.id)
    # The page's ids first, from the sort keys alone; only those rows are then read
    # whole. Sorting or skipping rows with every column (the services of each, and on
    # SQLite the columns stored after the large document) cost as much per row as the
    # page's rows themselves: a far page, or an order no index holds, read the store.
    page_ids = (
        sa.select(PostmortemRow.id)
        .where(*conditions)
        .order_by(*order)
        .limit(sa.bindparam("limit"))
        .offset(sa.bindparam("offset"))
        .subquery("page_ids")
    )
    page = (
        sa.select(*_SUMMARY_COLUMNS, count.correlate(None).scalar_subquery())
        .join_from(PostmortemRow, page_ids, page_ids.c.id == PostmortemRow.id)
        .order_by(*order)
    )
    return page, count


_KEPT_COUNTS = {(): (), ("status",): (PostmortemCountRow.status == sa.bindparam("filter_status"),)}
"""Filters whose total the store keeps (postmortem_counts): all postmortems, or those
in one status."""


def _count_statement(keys: tuple[str, ...], conditions: Sequence[Any]) -> sa.Select[Any]:
    if keys in _KEPT_COUNTS:
        kept = sa.func.coalesce(sa.func.sum(PostmortemCountRow.postmortems), 0)
        return sa.select(kept).where(*_KEPT_COUNTS[keys])
    # Counted up to a bound: past it, counting would read the whole store on each view.
    counted = sa.select(PostmortemRow.id).where(*conditions).limit(sa.bindparam("count_limit"))
    return sa.select(sa.func.count()).select_from(counted.subquery("counted"))


def counted_exactly(filters: SearchFilters) -> bool:
    """Whether the list's total for these filters is exact however large: the store
    keeps it. Other totals stop at COUNTED_AT_MOST + 1."""
    return filter_keys(filters) in _KEPT_COUNTS


def total_is_exact(filters: SearchFilters, total: int) -> bool:
    """Whether `total`, as list_postmortems gave it for these filters, is the exact
    number of matches rather than "more than COUNTED_AT_MOST"."""
    return counted_exactly(filters) or total <= COUNTED_AT_MOST


_BY_LAST_CHANGE = {
    SortOrder.longest_waiting: (ReviewerRow.updated_at.asc(), ReviewerRow.postmortem_id),
    SortOrder.updated: (ReviewerRow.updated_at.desc(), ReviewerRow.postmortem_id),
}


@lru_cache(maxsize=4)
def _reviewer_statements(sort: SortOrder) -> tuple[sa.Select[Any], sa.Select[Any]]:
    """A reviewer's postmortems in one status by last change ("waiting for my review"),
    and how many: both from the reviewer rows' index alone, which repeats the status and
    the last change, however many postmortems are in that status."""
    conditions = (
        ReviewerRow.reviewer_key == sa.bindparam("filter_reviewer"),
        ReviewerRow.status == sa.bindparam("filter_status"),
    )
    count = sa.select(sa.func.count()).select_from(ReviewerRow).where(*conditions)
    page_ids = (
        sa.select(ReviewerRow.postmortem_id)
        .where(*conditions)
        .order_by(*_BY_LAST_CHANGE[sort])
        .limit(sa.bindparam("limit"))
        .offset(sa.bindparam("offset"))
        .subquery("page_ids")
    )
    page = (
        sa.select(*_SUMMARY_COLUMNS, count.scalar_subquery())
        .join_from(PostmortemRow, page_ids, page_ids.c.postmortem_id == PostmortemRow.id)
        .order_by(*_ORDER[sort], PostmortemRow.id)
    )
    return page, count


def _chosen_statements(
    keys: tuple[str, ...], sort: SortOrder
) -> tuple[sa.Select[Any], sa.Select[Any]]:
    if keys == ("status", "reviewer") and sort in _BY_LAST_CHANGE:
        return _reviewer_statements(sort)
    return _statements(keys, sort)


def _summary(row: sa.Row[Any]) -> PostmortemSummary:
    """A row of _SUMMARY_COLUMNS, by position (faster than by name, a page at a time)."""
    return PostmortemSummary(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        row[6],
        row[7],
        row[8],
        sorted(row[9].split(SERVICE_SEPARATOR)) if row[9] else [],
    )


def list_postmortems(
    session: Reader,
    filters: SearchFilters,
    *,
    sort: SortOrder = SortOrder.newest,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[PostmortemSummary], int]:
    """One page of postmortems, and how many match the filters in all: exact where the
    store keeps the count (counted_exactly), else counted up to COUNTED_AT_MOST, and
    COUNTED_AT_MOST + 1 when there are more."""
    page, count = _chosen_statements(filter_keys(filters), sort)
    parameters = {**filter_parameters(filters), "count_limit": COUNTED_AT_MOST + 1}
    rows = session.execute(page, {**parameters, "limit": limit, "offset": offset}).all()
    total = rows[0][10] if rows else session.execute(count, parameters).scalar_one()
    return [_summary(row) for row in rows], total


def waiting_for_review(
    session: Reader, reviewer: str, *, limit: int = 20, offset: int = 0
) -> tuple[list[PostmortemSummary], int]:
    """Postmortems in review that name `reviewer` (`tanaka` or `@tanaka`) among their
    reviewers, the longest waiting first, a page at a time; and how many there are."""
    filters = SearchFilters(status="review", reviewer=reviewer)
    return list_postmortems(
        session, filters, sort=SortOrder.longest_waiting, limit=limit, offset=offset
    )
