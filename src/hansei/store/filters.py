"""The filters the list and the search share, as statements built once per combination.

A statement built anew for every request costs more than running it on a
SQLite page of 20 rows: conditions take their values from bind parameters,
so one statement (and SQLAlchemy's compiled form of it) serves every request
that sets the same filters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from hansei.model.reviews import person
from hansei.store.database import Reader
from hansei.store.queries import owner_spellings
from hansei.store.tables import ActionItemRow, PostmortemRow, ReviewerRow, ServiceRow


@dataclass(frozen=True)
class SearchFilters:
    service: str | None = None
    severity: str | None = None
    status: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    owner: str | None = None
    reviewer: str | None = None
    """`tanaka` or `@tanaka`: postmortems that name this person among their reviewers."""


def filter_keys(filters: SearchFilters) -> tuple[str, ...]:
    """Which filters are set, in a fixed order."""
    return tuple(f.name for f in fields(filters) if getattr(filters, f.name))


def filter_parameters(filters: SearchFilters) -> dict[str, Any]:
    """The bind parameters of `filter_conditions(filter_keys(filters))`."""
    parameters: dict[str, Any] = {
        f"filter_{key}": getattr(filters, key) for key in filter_keys(filters)
    }
    if filters.owner:
        parameters.pop("filter_owner")
        parameters["filter_owners"] = owner_spellings(filters.owner)
    if filters.reviewer:
        parameters["filter_reviewer"] = person(filters.reviewer)
    return parameters


def _in_owners(column: Any) -> sa.ColumnElement[bool]:
    result: sa.ColumnElement[bool] = column.in_(sa.bindparam("filter_owners", expanding=True))
    return result


@lru_cache(maxsize=64)
def filter_conditions(keys: tuple[str, ...]) -> tuple[sa.ColumnElement[bool], ...]:
    """The conditions for the filters named in `keys`, values left to bind parameters."""
    when = sa.func.coalesce(PostmortemRow.detected_at, PostmortemRow.occurred_at)
    conditions: dict[str, sa.ColumnElement[bool]] = {
        # As IN rather than EXISTS: SQLite then starts from the few postmortems that
        # name the service or the reviewer, where EXISTS would have it test every one.
        "service": PostmortemRow.id.in_(
            sa.select(ServiceRow.postmortem_id).where(
                ServiceRow.service == sa.bindparam("filter_service")
            )
        ),
        "severity": PostmortemRow.severity == sa.bindparam("filter_severity"),
        "status": PostmortemRow.status == sa.bindparam("filter_status"),
        "since": when >= sa.bindparam("filter_since", type_=PostmortemRow.detected_at.type),
        "until": when < sa.bindparam("filter_until", type_=PostmortemRow.detected_at.type),
        "owner": sa.or_(
            _in_owners(PostmortemRow.author),
            sa.exists().where(
                ActionItemRow.postmortem_id == PostmortemRow.id,
                _in_owners(ActionItemRow.owner),
            ),
        ),
        "reviewer": PostmortemRow.id.in_(
            sa.select(ReviewerRow.postmortem_id).where(
                ReviewerRow.reviewer_key == sa.bindparam("filter_reviewer")
            )
        ),
    }
    return tuple(conditions[key] for key in keys)


_SERVICES_OF = (
    sa.select(ServiceRow.postmortem_id, ServiceRow.service)
    .where(ServiceRow.postmortem_id.in_(sa.bindparam("ids", expanding=True)))
    .order_by(ServiceRow.postmortem_id, ServiceRow.service)
)


def services_of(session: Reader, ids: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    if ids:
        for postmortem_id, service in session.execute(_SERVICES_OF, {"ids": ids}):
            found.setdefault(postmortem_id, []).append(service)
    return found
