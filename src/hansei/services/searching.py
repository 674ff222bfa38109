"""Search and the queries across postmortems, as the CLI and the web ask for them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from hansei.metrics import budget_minutes, minutes_between
from hansei.store import Database, filters, listing, queries, search
from hansei.store.action_changes import StatusChange
from hansei.store.filters import SearchFilters
from hansei.store.listing import (
    COUNTED_AT_MOST,
    PostmortemSummary,
    SortOrder,
    counted_exactly,
    total_is_exact,
)
from hansei.store.queries import ActionFilters, ActionItemRecord, IncidentSpan
from hansei.store.search import SearchHit
from hansei.store.search_text import MAX_QUERY_LENGTH, MAX_QUERY_WORDS, query_problem


def day_start(day: dt.date, timezone: str) -> dt.datetime:
    """Midnight at the start of `day` in the team's timezone."""
    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(timezone))


def search_postmortems(
    database: Database,
    query: str,
    filters: SearchFilters | None = None,
    *,
    limit: int = 20,
    offset: int = 0,
) -> list[SearchHit]:
    with database.reading() as session:
        return search.search(session, query, filters, limit=limit, offset=offset)


def find_action_items(
    database: Database,
    filters: ActionFilters | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> list[ActionItemRecord]:
    with database.reading() as session:
        return queries.action_items(session, filters, limit=limit, offset=offset)


@dataclass(frozen=True)
class ServiceBudget:
    service: str
    window_start: dt.datetime
    window_end: dt.datetime
    budget_minutes: float
    consumed_minutes: float
    incidents: list[IncidentSpan]

    @property
    def remaining_minutes(self) -> float:
        return self.budget_minutes - self.consumed_minutes


def service_budget(
    database: Database, service: str, *, end: dt.datetime, target: float, window_days: int
) -> ServiceBudget:
    """The error budget of `service` over the rolling window that ends at `end`:
    the downtime of every incident of the service, counted inside the window only."""
    # In UTC: across a clock change, local days are not 1,440 minutes long.
    end = end.astimezone(dt.UTC)
    start = end - dt.timedelta(days=window_days)
    with database.reading() as session:
        incidents = queries.incidents_of_service(session, service, start=start, end=end)
    consumed = sum(
        minutes_between(max(span.started_at, start), min(span.recovered_at, end)) or 0.0
        for span in incidents
    )
    return ServiceBudget(
        service=service,
        window_start=start,
        window_end=end,
        budget_minutes=budget_minutes(target, window_days),
        consumed_minutes=max(consumed, 0.0),
        incidents=incidents,
    )


def list_postmortems(
    database: Database,
    filters: SearchFilters | None = None,
    *,
    sort: SortOrder = SortOrder.newest,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[PostmortemSummary], int]:
    with database.querying() as connection:
        return listing.list_postmortems(
            connection, filters or SearchFilters(), sort=sort, limit=limit, offset=offset
        )


def services_of_postmortems(database: Database, ids: list[str]) -> dict[str, list[str]]:
    """The services each postmortem names."""
    with database.querying() as connection:
        return filters.services_of(connection, sorted(set(ids)))


def waiting_for_review(
    database: Database, reviewer: str, *, limit: int = 20, offset: int = 0
) -> tuple[list[PostmortemSummary], int]:
    with database.querying() as connection:
        return listing.waiting_for_review(connection, reviewer, limit=limit, offset=offset)


@dataclass(frozen=True)
class FrontPage:
    """What the list page reads besides a search: one page of the list (none when
    `list_limit` is 0), who waits for the reader, and the services to filter by."""

    summaries: list[PostmortemSummary]
    total: int
    waiting: list[PostmortemSummary]
    waiting_total: int
    services: list[str]


def front_page(
    database: Database,
    reader: str,
    filters: SearchFilters,
    *,
    sort: SortOrder,
    list_limit: int,
    offset: int,
    waiting_limit: int,
) -> FrontPage:
    """Read on one connection: a connection and a transaction for each part cost as
    much as the parts themselves."""
    summaries: list[PostmortemSummary] = []
    total = 0
    with database.querying() as connection:
        if list_limit:
            summaries, total = listing.list_postmortems(
                connection, filters, sort=sort, limit=list_limit, offset=offset
            )
        waiting, waiting_total = listing.waiting_for_review(connection, reader, limit=waiting_limit)
        return FrontPage(summaries, total, waiting, waiting_total, queries.services(connection))


def known_services(database: Database) -> list[str]:
    with database.querying() as connection:
        return queries.services(connection)


__all__ = [
    "COUNTED_AT_MOST",
    "MAX_QUERY_LENGTH",
    "MAX_QUERY_WORDS",
    "ActionFilters",
    "ActionItemRecord",
    "FrontPage",
    "IncidentSpan",
    "PostmortemSummary",
    "SearchFilters",
    "SearchHit",
    "ServiceBudget",
    "SortOrder",
    "StatusChange",
    "counted_exactly",
    "day_start",
    "find_action_items",
    "front_page",
    "known_services",
    "list_postmortems",
    "query_problem",
    "search_postmortems",
    "service_budget",
    "total_is_exact",
    "waiting_for_review",
]
