"""The review steps from the postmortem's page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from hansei.model.access import Permission
from hansei.services.accounts import SignedIn
from hansei.web.api.reviews import ReviewStepCreate, take_step_as
from hansei.web.auth import require
from hansei.web.parameters import RevisionNumber
from hansei.workflow import ReviewAction

router = APIRouter(include_in_schema=False)
Reader = Annotated[SignedIn, Depends(require(Permission.read))]


@router.post("/postmortems/{postmortem_id}/review")
async def review_step(
    postmortem_id: str,
    request: Request,
    user: Reader,
    action: Annotated[ReviewAction, Form()],
    base_revision: Annotated[RevisionNumber, Form()],
    comment: Annotated[str, Form()] = "",
    reviewers: Annotated[str, Form()] = "",
) -> Response:
    step = ReviewStepCreate(
        action=action,
        comment=comment or None,
        reviewers=[name.strip() for name in reviewers.split(",") if name.strip()],
        base_revision=base_revision,
    )
    resolved, _ = await take_step_as(request, user, postmortem_id, step)
    return RedirectResponse(f"/postmortems/{resolved}", status_code=303)
