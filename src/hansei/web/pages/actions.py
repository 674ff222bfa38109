"""The action-items page: mine, overdue, by horizon, owner or service, across every
postmortem."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from hansei.model import ActionStatus, Horizon
from hansei.model.access import Permission
from hansei.model.limits import MAX_REVISION
from hansei.services import searching
from hansei.services.accounts import SignedIn
from hansei.services.connection import Database
from hansei.services.following import FollowUp, Grouping, follow_ups, grouped, team_today
from hansei.services.searching import ActionFilters
from hansei.web.action_items import action_read
from hansei.web.auth import require
from hansei.web.context import app_context
from hansei.web.reads import read
from hansei.web.rendering import render

router = APIRouter(include_in_schema=False)
Reader = Annotated[SignedIn, Depends(require(Permission.read))]
PAGE_SIZE = 100


@router.get("/actions")
async def actions_page(
    request: Request,
    user: Reader,
    owner: str = "",
    mine: bool = False,
    overdue: bool = False,
    horizon: str = "",
    status: str = "",
    service: str = "",
    group: str = "",
    page: Annotated[int, Query(le=MAX_REVISION // PAGE_SIZE)] = 1,
) -> Response:
    context = app_context(request)
    timezone = context.settings.timezone
    now = team_today(timezone)
    chosen_owner = user.user.name if mine else (owner.strip() or None)
    filters = ActionFilters(
        owner=chosen_owner,
        status=status if status in ActionStatus.__members__ else None,
        horizon=horizon if horizon in Horizon.__members__ else None,
        service=service.strip() or None,
        overdue_on=now if overdue else None,
    )
    grouping = Grouping(group) if group in Grouping.__members__ else Grouping.horizon
    page = max(page, 1)
    found = await read(_actions_page, context.database, filters, grouping, timezone, now, page)
    query = {
        "owner": owner,
        "mine": mine,
        "overdue": overdue,
        "horizon": horizon,
        "status": status,
        "service": service,
        "group": grouping.value,
    }
    # In links as the form sends them: a box ticked is "true", unticked is absent.
    link_query = {
        **{key: value for key, value in query.items() if not isinstance(value, bool)},
        **{key: "true" for key, value in query.items() if value is True},
    }
    first = (page - 1) * PAGE_SIZE + 1
    # A page past the last one leads back to the first rather than to the one before.
    back = page - 1 if found.count else 1
    return render(
        request,
        "actions.html",
        user,
        groups=[(name, [action_read(f) for f in rows]) for name, rows in found.groups],
        grouping=grouping.value,
        groupings=[g.value for g in Grouping],
        count=found.count,
        first=first,
        last=first + found.count - 1,
        paged=found.count > 0 and (page > 1 or found.more),
        previous_url=f"/actions?{urlencode({**link_query, 'page': back})}" if page > 1 else None,
        next_url=f"/actions?{urlencode({**link_query, 'page': page + 1})}" if found.more else None,
        today=now,
        query=query,
        horizons=[h.value for h in Horizon],
        statuses=[s.value for s in ActionStatus],
        services=found.services,
    )


@dataclass(frozen=True)
class ActionsPage:
    groups: list[tuple[str, list[FollowUp]]]
    count: int
    more: bool
    services: list[str]


def _actions_page(
    database: Database,
    filters: ActionFilters,
    grouping: Grouping,
    timezone: str,
    today: dt.date,
    page: int,
) -> ActionsPage:
    """One page of items, soonest due first, read in a worker thread: the event loop
    goes on answering other requests meanwhile."""
    # One more than a page tells whether a next page exists without counting every item.
    found = follow_ups(
        database,
        filters,
        timezone=timezone,
        today=today,
        limit=PAGE_SIZE + 1,
        offset=(page - 1) * PAGE_SIZE,
    )
    items = found[:PAGE_SIZE]
    return ActionsPage(
        groups=grouped(database, items, grouping),
        count=len(items),
        more=len(found) > PAGE_SIZE,
        services=searching.known_services(database),
    )
