"""/api/v1/postmortems/{id}/review and /api/v1/reviews/waiting: the review steps."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from hansei.model.access import Permission
from hansei.model.limits import MAX_REVISION
from hansei.services import history, reviewing, searching
from hansei.services.accounts import SignedIn
from hansei.web.api.schemas import PostmortemSummaryRead, WriteRead
from hansei.web.auth import check_permission, require
from hansei.web.context import AppContext, app_context
from hansei.web.errors import ERRORS
from hansei.web.reads import current_postmortem, read_rows
from hansei.workflow import ReviewAction

router = APIRouter(tags=["reviews"])
WAITING_LIMIT_DEFAULT = 100
WAITING_LIMIT_MAX = 1000
WAITING_OFFSET_MAX = 1_000_000
Reader = Annotated[SignedIn, Depends(require(Permission.read))]

# What a role must allow before the workflow looks at the step (who is the author, …).
STEP_PERMISSION = {
    ReviewAction.request_review: Permission.write,
    ReviewAction.approve: Permission.review,
    ReviewAction.request_changes: Permission.review,
    ReviewAction.reopen: Permission.write,
}


class ReviewStepCreate(BaseModel):
    action: ReviewAction
    comment: str | None = Field(
        default=None, description="Needed to request changes and to reopen."
    )
    reviewers: list[str] = Field(
        default_factory=list, description="request_review: who reviews (else the document's)."
    )
    base_revision: int | None = Field(
        default=None,
        ge=1,
        le=MAX_REVISION,
        description="The revision the step is about; needed to approve (an approval of a "
        "revision that has changed since does not count).",
    )


class ReviewStepRead(WriteRead):
    status: str


async def take_step_as(
    request: Request, user: SignedIn, postmortem_id: str, step: ReviewStepCreate
) -> tuple[str, int]:
    """The step taken by `user`, off the event loop; the postmortem's id and the
    revision it made."""
    check_permission(user, STEP_PERMISSION[step.action])
    context = app_context(request)
    return await run_in_threadpool(_take_step, context, user, postmortem_id, step)


def _take_step(
    context: AppContext, user: SignedIn, postmortem_id: str, step: ReviewStepCreate
) -> tuple[str, int]:
    resolved = history.resolve(context.database, postmortem_id)
    result = reviewing.take_review_step(
        context.database,
        resolved,
        step.action,
        actor=reviewing.actor_of(user.user.name, user.user.role),
        settings=context.settings,
        base_revision=step.base_revision,
        comment=step.comment,
        reviewers=step.reviewers,
    )
    return resolved, result.revision


@router.post("/postmortems/{postmortem_id}/review", response_model=ReviewStepRead, responses=ERRORS)
async def review_step(
    postmortem_id: str, step: ReviewStepCreate, request: Request, user: Reader
) -> ReviewStepRead:
    """Take a review step: request_review (draft → review), approve (review → final),
    request_changes (review → draft), reopen (final → review). Each is written to the
    review history; 409 with the reason when the workflow refuses it."""
    if step.action == ReviewAction.approve and step.base_revision is None:
        raise HTTPException(428, "say which revision you approve: base_revision")
    resolved, revision = await take_step_as(request, user, postmortem_id, step)
    stored = await current_postmortem(app_context(request).database, resolved)
    return ReviewStepRead(
        id=resolved, outcome="updated", revision=revision, status=stored.postmortem.status.value
    )


@router.get("/reviews/waiting", response_model=list[PostmortemSummaryRead], responses=ERRORS)
async def waiting(
    request: Request,
    response: Response,
    user: Reader,
    limit: Annotated[int, Query(ge=1, le=WAITING_LIMIT_MAX)] = WAITING_LIMIT_DEFAULT,
    offset: Annotated[int, Query(ge=0, le=WAITING_OFFSET_MAX)] = 0,
) -> list[PostmortemSummaryRead]:
    """Postmortems in review that name you as a reviewer, the longest waiting first,
    a page at a time; the `X-Total-Count` header says how many there are in all."""
    summaries, total = await read_rows(
        limit,
        searching.waiting_for_review,
        app_context(request).database,
        user.user.name,
        limit=limit,
        offset=offset,
    )
    response.headers["X-Total-Count"] = str(total)
    return [PostmortemSummaryRead.model_validate(s, from_attributes=True) for s in summaries]
