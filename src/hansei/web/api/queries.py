"""/api/v1/search and /api/v1/action-items: questions across every postmortem."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import TypeAdapter

from hansei.model import ActionStatus, Horizon
from hansei.model.access import Permission
from hansei.model.limits import MAX_REVISION
from hansei.services import searching
from hansei.services.accounts import SignedIn
from hansei.services.following import follow_ups, team_today
from hansei.services.searching import ActionFilters
from hansei.web.action_items import action_read
from hansei.web.api.filters import SearchQuery, documented, search_query
from hansei.web.api.schemas import ActionItemRead, SearchHitRead, SearchPage
from hansei.web.auth import require
from hansei.web.context import app_context
from hansei.web.errors import ERRORS
from hansei.web.reads import read, read_rows

router = APIRouter(tags=["search"])
Reader = Annotated[SignedIn, Depends(require(Permission.read))]


@router.get(
    "/search", response_model=SearchPage, responses=ERRORS, openapi_extra=documented(SearchQuery)
)
async def search(
    request: Request, user: Reader, query: Annotated[SearchQuery, Depends(search_query)]
) -> SearchPage:
    """Postmortems whose text holds every word, best first, each with a snippet."""
    context = app_context(request)
    hits = await read(
        searching.search_postmortems,
        context.database,
        query.q,
        query.filters(context.settings.timezone),
        limit=query.limit,
        offset=query.offset,
    )
    return SearchPage(
        query=query.q,
        items=[SearchHitRead.model_validate(hit, from_attributes=True) for hit in hits],
        limit=query.limit,
        offset=query.offset,
    )


_ACTION_ITEMS_JSON = TypeAdapter(list[ActionItemRead])


@router.get("/action-items", response_model=list[ActionItemRead], responses=ERRORS)
async def action_items(
    request: Request,
    user: Reader,
    owner: Annotated[str | None, Query(description="`tanaka` or `@tanaka`; `me` for you")] = None,
    status: ActionStatus | None = None,
    horizon: Horizon | None = None,
    service: str | None = None,
    overdue: Annotated[bool, Query(description="only items past due and not done")] = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=MAX_REVISION)] = 0,
) -> Response:
    """Action items of every postmortem, soonest due first. Overdue is judged on today's
    date in the team's timezone."""
    context = app_context(request)
    timezone = context.settings.timezone
    now = team_today(timezone)
    filters = ActionFilters(
        owner=user.user.name if owner == "me" else owner,
        status=status.value if status else None,
        horizon=horizon.value if horizon else None,
        service=service,
        overdue_on=now if overdue else None,
    )
    found = await read_rows(
        limit,
        follow_ups,
        context.database,
        filters,
        timezone=timezone,
        today=now,
        limit=limit,
        offset=offset,
    )
    # Serialized in one call: returned as models, FastAPI would validate each again.
    return Response(
        _ACTION_ITEMS_JSON.dump_json([action_read(follow_up) for follow_up in found]),
        media_type="application/json",
    )
