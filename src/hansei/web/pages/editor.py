"""The editor: a new postmortem from the template, editing every section, live figures."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from hansei.config import DocumentLimits
from hansei.errors import ConflictError, TooLargeError
from hansei.markdown.limits import check_postmortem
from hansei.model import (
    ActionItem,
    Horizon,
    Language,
    Postmortem,
    Severity,
    Slo,
    TimelineEvent,
)
from hansei.model.access import Permission
from hansei.model.enums import ActionStatus
from hansei.model.rca import Rca, Why
from hansei.model.reviews import Review
from hansei.services import checking, saving
from hansei.services.accounts import SignedIn
from hansei.web.auth import require
from hansei.web.body_limit import read_form
from hansei.web.context import app_context
from hansei.web.figures import figures
from hansei.web.forms import (
    STATED_FIELDS,
    EditorValues,
    FieldError,
    FormError,
    postmortem_from_form,
    values_from_form,
    values_from_postmortem,
)
from hansei.web.i18n import words
from hansei.web.reads import current_postmortem
from hansei.web.rendering import render, ui_language

router = APIRouter(include_in_schema=False)
Writer = Annotated[SignedIn, Depends(require(Permission.write))]

# The template's timeline: the moments every incident has, to be given their times.
_TEMPLATE_EVENTS = {
    Language.ja: ("インシデント発生", "アラート検知", "対応開始", "部分復旧", "復旧"),
    Language.en: ("Incident start", "Alert detected", "Response started", "Mitigated", "Recovered"),
}


def template_postmortem(user: SignedIn, language: Language, request: Request) -> Postmortem:
    """A new postmortem as the template starts it: today, the author, the team's SLO,
    the key moments of the timeline, five whys, one action item per horizon."""
    settings = app_context(request).settings
    today = dt.datetime.now(ZoneInfo(settings.timezone)).date()
    return Postmortem(
        date=today,
        author=f"@{user.user.name}",
        language=language,
        timezone=settings.timezone,
        slo=Slo(target=settings.slo_target, window_days=settings.slo_window_days),
        timeline=[TimelineEvent(event=event) for event in _TEMPLATE_EVENTS[language]],
        rca=Rca(whys=[Why() for _ in range(5)]),
        action_items=[ActionItem(horizon=horizon, status=ActionStatus.todo) for horizon in Horizon],
    )


def _editor(
    request: Request,
    user: SignedIn,
    values: EditorValues,
    *,
    action: str,
    base_revision: int | None = None,
    postmortem_id: str | None = None,
    errors: list[FieldError] | None = None,
    conflict: ConflictError | None = None,
    reviews: list[Review] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "editor.html",
        user,
        status_code=status_code,
        v=values,
        stated_fields=[f"stated.{name}" for name in STATED_FIELDS],
        filled=[name for name, value in values.fields.items() if value],
        action=action,
        base_revision=base_revision,
        postmortem_id=postmortem_id,
        errors=errors or [],
        conflict=conflict,
        reviews=reviews or [],
        severities=[s.value for s in Severity],
        horizons=[h.value for h in Horizon],
        action_statuses=[s.value for s in ActionStatus],
    )


async def _postmortem_from(
    request: Request, form: FormData, base: Postmortem | None = None
) -> Postmortem:
    """The form's postmortem, refused (FormError) when its Markdown would be over a limit:
    what is saved must read back. Built in a worker thread: a form may be large."""
    limits = app_context(request).settings.document_limits()
    return await run_in_threadpool(_checked_form, form, base, limits)


def _checked_form(form: FormData, base: Postmortem | None, limits: DocumentLimits) -> Postmortem:
    postmortem = postmortem_from_form(form, base)
    try:
        check_postmortem(postmortem, limits)
    except TooLargeError as error:
        raise FormError([FieldError("document", error.message)]) from error
    return postmortem


@router.get("/postmortems/new")
async def new_form(request: Request, user: Writer) -> Response:
    language = Language(ui_language(request, user))
    values = values_from_postmortem(template_postmortem(user, language, request))
    return _editor(request, user, values, action="/postmortems/new")


@router.post("/postmortems/new")
async def create(request: Request, user: Writer) -> Response:
    form = await read_form(request)
    try:
        postmortem = await _postmortem_from(request, form)
    except FormError as error:
        return _editor(
            request,
            user,
            values_from_form(form),
            action="/postmortems/new",
            errors=error.errors,
            status_code=422,
        )
    result = await run_in_threadpool(
        saving.create_postmortem, app_context(request).database, postmortem, user=user.user.name
    )
    return RedirectResponse(f"/postmortems/{result.postmortem_id}", status_code=303)


@router.get("/postmortems/{postmortem_id}/edit")
async def edit_form(postmortem_id: str, request: Request, user: Writer) -> Response:
    database = app_context(request).database
    stored = await current_postmortem(database, postmortem_id)
    return _editor(
        request,
        user,
        values_from_postmortem(stored.postmortem),
        action=f"/postmortems/{stored.id}/edit",
        base_revision=stored.revision,
        postmortem_id=stored.id,
        reviews=stored.postmortem.reviews,
    )


@router.post("/postmortems/{postmortem_id}/edit")
async def save(postmortem_id: str, request: Request, user: Writer) -> Response:
    database = app_context(request).database
    stored = await current_postmortem(database, postmortem_id)
    form = await read_form(request)
    raw_base = form.get("base_revision")
    base = int(raw_base) if isinstance(raw_base, str) and raw_base.isdigit() else None
    action = f"/postmortems/{stored.id}/edit"
    try:
        postmortem = await _postmortem_from(request, form, stored.postmortem)
        await run_in_threadpool(
            saving.update_postmortem,
            database,
            stored.id,
            postmortem,
            user=user.user.name,
            base_revision=base,
        )
    except FormError as error:
        return _editor(
            request,
            user,
            values_from_form(form),
            action=action,
            base_revision=base,
            postmortem_id=stored.id,
            errors=error.errors,
            reviews=stored.postmortem.reviews,
            status_code=422,
        )
    except ConflictError as conflict:
        # What is saved now, not what was sent: saving again must not quietly undo the
        # other save. The sent version is kept as a revision, to compare and re-apply.
        current = await current_postmortem(database, stored.id)
        return _editor(
            request,
            user,
            values_from_postmortem(current.postmortem),
            action=action,
            base_revision=current.revision,
            postmortem_id=stored.id,
            conflict=conflict,
            reviews=current.postmortem.reviews,
            status_code=409,
        )
    return RedirectResponse(f"/postmortems/{stored.id}", status_code=303)


@router.post("/postmortems/preview")
async def preview(request: Request, user: Writer) -> Response:
    """The figures and findings of the form as it is now, for the editor's live panel."""
    form = await read_form(request)
    raw_id = form.get("postmortem_id")
    base = None
    if isinstance(raw_id, str) and raw_id:
        database = app_context(request).database
        base = (await current_postmortem(database, raw_id)).postmortem
    try:
        postmortem = await _postmortem_from(request, form, base)
    except FormError as error:
        body: dict[str, Any] = {
            "errors": [{"field": e.field, "message": e.message} for e in error.errors]
        }
        return JSONResponse(body, status_code=422)
    checked = await run_in_threadpool(checking.check, postmortem, app_context(request).settings)
    language = ui_language(request, user)
    return JSONResponse(
        {
            "figures": [
                {"key": f.key, "label": f.label, "value": f.value}
                for f in figures(checked.metrics, language)
            ],
            # Placeholders are counted, not listed: a new document has dozens of them.
            "findings": [
                {"code": f.code, "severity": f.severity.value, "message": f.message}
                for f in checked.findings
                if f.code != "placeholder"
            ],
            "placeholders": words(language)(
                "placeholders_left",
                count=sum(f.code == "placeholder" for f in checked.findings),
            ),
        }
    )
