"""The filters the list and the search share, read from the query string."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Query, Request

from hansei.model import Severity, Status
from hansei.services.searching import SearchFilters, day_start
from hansei.web.context import app_context


async def postmortem_filters(
    request: Request,
    service: str | None = None,
    severity: Severity | None = None,
    status: Status | None = None,
    owner: Annotated[str | None, Query(description="author or action-item owner")] = None,
    since: Annotated[dt.date | None, Query(description="detected on or after this day")] = None,
    until: Annotated[dt.date | None, Query(description="detected before this day")] = None,
) -> SearchFilters:
    """Days are the team's days (HANSEI_TIMEZONE)."""
    timezone = app_context(request).settings.timezone
    return SearchFilters(
        service=service,
        severity=severity.value if severity else None,
        status=status.value if status else None,
        owner=owner,
        since=day_start(since, timezone) if since else None,
        until=day_start(until, timezone) if until else None,
    )


Filters = Annotated[SearchFilters, Depends(postmortem_filters)]
