"""The action-items page: mine, overdue, by horizon, owner or service, across every
postmortem."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from hansei.model import ActionStatus, Horizon
from hansei.model.access import Permission
from hansei.services import searching
from hansei.services.accounts import SignedIn
from hansei.services.following import Grouping, follow_ups, grouped, team_today
from hansei.services.searching import ActionFilters
from hansei.web.action_items import action_read
from hansei.web.auth import require
from hansei.web.context import app_context
from hansei.web.rendering import render

router = APIRouter(include_in_schema=False)
Reader = Annotated[SignedIn, Depends(require(Permission.read))]


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
    found = follow_ups(context.database, filters, timezone=timezone, today=now, limit=500)
    grouping = Grouping(group) if group in Grouping.__members__ else Grouping.horizon
    groups = grouped(context.database, found, grouping)
    return render(
        request,
        "actions.html",
        user,
        groups=[(name, [action_read(f) for f in rows]) for name, rows in groups],
        grouping=grouping.value,
        groupings=[g.value for g in Grouping],
        count=len(found),
        today=now,
        query={
            "owner": owner,
            "mine": mine,
            "overdue": overdue,
            "horizon": horizon,
            "status": status,
            "service": service,
            "group": grouping.value,
        },
        horizons=[h.value for h in Horizon],
        statuses=[s.value for s in ActionStatus],
        services=searching.known_services(context.database),
    )
