"""/api/v1/postmortems: create, read, update, list, Markdown in and out, checks, history."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import TypeAdapter
from starlette.concurrency import run_in_threadpool

from hansei.config import Settings
from hansei.errors import DocumentError, UsageError
from hansei.markdown import render_html, render_markdown
from hansei.markdown.limits import check_postmortem
from hansei.metrics import Metrics
from hansei.model import Language, Postmortem, Status
from hansei.model.access import Permission
from hansei.model.limits import MAX_REVISION
from hansei.services import checking, history, saving, searching
from hansei.services.accounts import SignedIn
from hansei.services.documents import load_text, require_postmortem, with_id_comment
from hansei.services.saving import WriteResult
from hansei.services.searching import PostmortemSummary
from hansei.web.api.filters import ListQuery, documented, list_query
from hansei.web.api.schemas import (
    CheckRead,
    DiffRead,
    FindingRead,
    PostmortemCreate,
    PostmortemPage,
    PostmortemRead,
    PostmortemUpdate,
    RestoreCreate,
    RevisionRead,
    WriteRead,
)
from hansei.web.auth import require
from hansei.web.context import app_context
from hansei.web.errors import ERRORS
from hansei.web.parameters import RevisionNumber
from hansei.web.reads import current_postmortem, read

router = APIRouter(prefix="/postmortems", tags=["postmortems"])
Reader = Annotated[SignedIn, Depends(require(Permission.read))]
Writer = Annotated[SignedIn, Depends(require(Permission.write))]
MARKDOWN_TYPE = "text/markdown; charset=utf-8"


@dataclass(frozen=True)
class _PageData:
    """PostmortemPage as the store gives it (the same fields)."""

    items: list[PostmortemSummary]
    total: int
    total_exact: bool
    limit: int
    offset: int


_PAGE_JSON = TypeAdapter(_PageData)
STANDALONE_PAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def _body_doc(schema: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}},
                "text/markdown": {
                    "schema": {"type": "string"},
                    "example": "# ポストモーテム: …",
                },
            },
        }
    }


class DocumentFormat(StrEnum):
    json = "json"
    md = "md"
    html = "html"


@dataclass(frozen=True)
class Received:
    postmortem: Postmortem
    base_revision: int | None = None
    document_id: str | None = None
    warnings: list[str] = field(default_factory=list)


def _is_markdown(request: Request) -> bool:
    content_type = request.headers.get("content-type", "")
    return content_type.startswith(("text/markdown", "text/plain", "text/x-markdown"))


async def _received(request: Request, *, update: bool) -> Received:
    """The document in the body: Markdown (text/markdown), or JSON.

    Reading it runs in a worker thread: a large document must not hold the event loop."""
    raw = await request.body()
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocumentError("the body is not UTF-8", field="body") from error
    if not body.strip():
        raise UsageError('the request has no body: send JSON {"postmortem": …} or Markdown')
    settings = app_context(request).settings
    return await run_in_threadpool(
        _read_body, body, settings, markdown=_is_markdown(request), update=update
    )


def _read_body(body: str, settings: Settings, *, markdown: bool, update: bool) -> Received:
    limits = settings.document_limits()
    if markdown:
        loaded = load_text(body, "body", default_timezone=settings.timezone, limits=limits)
        require_postmortem(loaded, "body")
        return Received(
            loaded.result.postmortem,
            base_revision=loaded.revision,
            document_id=loaded.document_id,
            warnings=[f"line {d.line}: {d.message}" for d in loaded.result.diagnostics],
        )
    if update:
        changed = PostmortemUpdate.model_validate_json(body)
        check_postmortem(changed.postmortem, limits)
        return Received(changed.postmortem, base_revision=changed.base_revision)
    created = PostmortemCreate.model_validate_json(body).postmortem
    check_postmortem(created, limits)
    return Received(created)


def _if_match(request: Request) -> int | None:
    header = request.headers.get("if-match")
    if header is None:
        return None
    found = re.fullmatch(r'\s*(?:W/)?"?(\d+)"?\s*', header)
    if found is None:
        raise UsageError(f'If-Match: expected a revision such as "3", got {header!r}')
    revision = int(found.group(1))
    if not 1 <= revision <= MAX_REVISION:
        raise UsageError(f"If-Match: revisions run from 1 to {MAX_REVISION}, got {revision}")
    return revision


def _written(result: WriteResult, response: Response, warnings: list[str]) -> WriteRead:
    response.headers["Location"] = f"/api/v1/postmortems/{result.postmortem_id}"
    response.headers["ETag"] = f'"{result.revision}"'
    return WriteRead(
        id=result.postmortem_id,
        outcome=result.outcome,
        revision=result.revision,
        warnings=warnings,
    )


@router.post(
    "",
    status_code=201,
    response_model=WriteRead,
    responses=ERRORS,
    openapi_extra=_body_doc("PostmortemCreate"),
)
async def create_postmortem(request: Request, user: Writer, response: Response) -> WriteRead:
    """Create a postmortem from JSON `{"postmortem": …}` or from Markdown (text/markdown)."""
    received = await _received(request, update=False)
    postmortem, warnings = received.postmortem, list(received.warnings)
    if postmortem.status != Status.draft:
        # Only review steps move a postmortem on; `hansei import` takes files as written.
        warnings.append(f"status {postmortem.status.value} → draft: the review steps move it")
        postmortem = postmortem.model_copy(update={"status": Status.draft})
    result = await run_in_threadpool(
        saving.create_postmortem, app_context(request).database, postmortem, user=user.user.name
    )
    return _written(result, response, warnings)


@router.put(
    "/{postmortem_id}",
    response_model=WriteRead,
    responses=ERRORS,
    openapi_extra=_body_doc("PostmortemUpdate"),
)
async def update_postmortem(
    postmortem_id: str,
    request: Request,
    user: Writer,
    response: Response,
    base_revision: Annotated[
        RevisionNumber | None,
        Query(description="For Markdown: the revision the change started from."),
    ] = None,
) -> WriteRead:
    """Save a new revision (PUT, or POST for tools that only post). The revision the
    change started from comes from the `If-Match` header, else `?base_revision=`, else
    the body: the JSON `base_revision` or the Markdown's `<!-- hansei-id: … revision: N
    -->` line; 409 if another revision was saved since, 428 if none is given."""
    database = app_context(request).database
    resolved = await run_in_threadpool(history.resolve, database, postmortem_id)
    received = await _received(request, update=True)
    if received.document_id is not None and received.document_id.replace("-", "") != resolved:
        raise DocumentError(
            f"the document is postmortem {received.document_id}, not {resolved}",
            line=1,
            field="hansei-id",
        )
    # The most explicit wins: the header, the query, then what the body says.
    base = _if_match(request) or base_revision or received.base_revision
    if base is None:
        raise HTTPException(
            428,
            "say which revision the change started from: base_revision, If-Match, "
            "or the <!-- hansei-id: … revision: N --> line",
        )
    result = await run_in_threadpool(
        saving.update_postmortem,
        database,
        resolved,
        received.postmortem,
        user=user.user.name,
        base_revision=base,
    )
    return _written(result, response, received.warnings)


router.post(
    "/{postmortem_id}",
    response_model=WriteRead,
    responses=ERRORS,
    openapi_extra=_body_doc("PostmortemUpdate"),
    operation_id="update_postmortem_by_post",
    summary="Update Postmortem (POST)",
)(update_postmortem)


@router.get(
    "", response_model=PostmortemPage, responses=ERRORS, openapi_extra=documented(ListQuery)
)
async def list_postmortems(
    request: Request, user: Reader, query: Annotated[ListQuery, Depends(list_query)]
) -> Response:
    """Postmortems, filtered and sorted, one page at a time (`total` counts them: up to
    10,000 with filters other than `status` alone)."""
    context = app_context(request)
    filters = query.filters(context.settings.timezone)
    summaries, total = await read(
        searching.list_postmortems,
        context.database,
        filters,
        sort=query.sort,
        limit=query.limit,
        offset=query.offset,
    )
    # The store's rows go to JSON as they are, in one call into pydantic's serializer:
    # building PostmortemPage (the documented shape) field by field costs more.
    page = _PageData(
        items=summaries,
        total=total,
        total_exact=searching.total_is_exact(filters, total),
        limit=query.limit,
        offset=query.offset,
    )
    return Response(_PAGE_JSON.dump_json(page), media_type="application/json")


@router.get(
    "/{postmortem_id}",
    response_model=PostmortemRead,
    responses={
        **ERRORS,
        200: {
            "content": {"text/markdown": {}, "text/html": {}},
            "description": "JSON, or Markdown / HTML with ?format=md|html",
        },
    },
)
async def read_postmortem(
    postmortem_id: str,
    request: Request,
    user: Reader,
    format: DocumentFormat = DocumentFormat.json,
    revision: Annotated[RevisionNumber | None, Query(description="an older revision")] = None,
    lang: Annotated[Language | None, Query(description="render in this language")] = None,
) -> Any:
    """One postmortem as JSON (with its computed figures), Markdown or an HTML page."""
    context = app_context(request)
    database = context.database
    stored = await current_postmortem(database, postmortem_id)
    postmortem = (
        stored.postmortem
        if revision is None
        else await run_in_threadpool(history.revision_document, database, stored.id, revision)
    )
    number = revision or stored.revision
    headers = {"ETag": f'"{number}"'}
    if format == DocumentFormat.md:
        markdown = await run_in_threadpool(render_markdown, postmortem, language=lang)
        text = with_id_comment(markdown, stored.id, number)
        return Response(text, media_type=MARKDOWN_TYPE, headers=headers)
    if format == DocumentFormat.html:
        # A page of its own, with its own inline style and no script at all.
        headers["Content-Security-Policy"] = STANDALONE_PAGE_POLICY
        page = await run_in_threadpool(render_html, postmortem, language=lang)
        return HTMLResponse(page, headers=headers)
    body = PostmortemRead(
        id=stored.id,
        revision=number,
        updated_at=stored.updated_at,
        updated_by=stored.updated_by,
        postmortem=postmortem,
        metrics=checking.metrics_of(postmortem, context.settings),
    )
    return Response(body.model_dump_json(), media_type="application/json", headers=headers)


async def _stored(request: Request, postmortem_id: str) -> Postmortem:
    stored = await current_postmortem(app_context(request).database, postmortem_id)
    return stored.postmortem


@router.get("/{postmortem_id}/metrics", response_model=Metrics, responses=ERRORS)
async def postmortem_metrics(postmortem_id: str, request: Request, user: Reader) -> Metrics:
    """TTD … TTF, downtime, availability and error budget (the team's SLO target where
    the document states none)."""
    settings = app_context(request).settings
    return checking.metrics_of(await _stored(request, postmortem_id), settings)


def _findings(checked: checking.Checked, *, first_line: int = 1) -> list[FindingRead]:
    """The findings, their lines counted from `first_line` (2 below an id comment)."""
    return [
        FindingRead(
            line=finding.line + first_line - 1,
            code=finding.code,
            severity=finding.severity.value,
            message=finding.message,
        )
        for finding in checked.findings
    ]


@router.get("/{postmortem_id}/lint", response_model=list[FindingRead], responses=ERRORS)
async def postmortem_lint(postmortem_id: str, request: Request, user: Reader) -> list[FindingRead]:
    """Lint findings; their lines are those of the Markdown that `?format=md` returns
    (whose first line is the id comment)."""
    settings = app_context(request).settings
    stored = await _stored(request, postmortem_id)
    checked = await run_in_threadpool(checking.check, stored, settings)
    return _findings(checked, first_line=2)


@router.get("/{postmortem_id}/revisions", response_model=list[RevisionRead], responses=ERRORS)
async def postmortem_revisions(
    postmortem_id: str, request: Request, user: Reader
) -> list[RevisionRead]:
    database = app_context(request).database
    resolved = await run_in_threadpool(history.resolve, database, postmortem_id)
    revisions = await run_in_threadpool(history.list_revisions, database, resolved)
    return [RevisionRead.model_validate(info, from_attributes=True) for info in revisions]


@router.get("/{postmortem_id}/diff", response_model=DiffRead, responses=ERRORS)
async def postmortem_diff(
    postmortem_id: str,
    request: Request,
    user: Reader,
    old: Annotated[RevisionNumber, Query()],
    new: Annotated[RevisionNumber, Query()],
) -> DiffRead:
    """A unified diff of two revisions' Markdown."""
    database = app_context(request).database
    resolved = await run_in_threadpool(history.resolve, database, postmortem_id)
    diff = await run_in_threadpool(history.diff_revisions, database, resolved, old, new)
    return DiffRead(old=old, new=new, diff=diff)


@router.post("/{postmortem_id}/restore", response_model=WriteRead, responses=ERRORS)
async def restore_postmortem(
    postmortem_id: str,
    restore: RestoreCreate,
    request: Request,
    user: Writer,
    response: Response,
) -> WriteRead:
    """Make an old revision current again, as a new revision."""
    database = app_context(request).database
    resolved = await run_in_threadpool(history.resolve, database, postmortem_id)
    result = await run_in_threadpool(
        history.restore_revision, database, resolved, restore.revision, user=user.user.name
    )
    return _written(result, response, [])


preview_router = APIRouter(tags=["postmortems"])


@preview_router.post(
    "/preview",
    response_model=CheckRead,
    responses=ERRORS,
    openapi_extra=_body_doc("PostmortemCreate"),
)
async def preview(request: Request, user: Reader) -> CheckRead:
    """Figures and lint findings of a document that is not stored (JSON or Markdown)."""
    received = await _received(request, update=False)
    checked = await run_in_threadpool(
        checking.check, received.postmortem, app_context(request).settings
    )
    return CheckRead(metrics=checked.metrics, findings=_findings(checked))
