"""Pages to find and read postmortems: the list, one postmortem, its history."""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from hansei.config import Settings
from hansei.lint.findings import Finding
from hansei.markdown import render_markdown
from hansei.markdown.html import HtmlSection, html_sections
from hansei.markdown.lines import split_lines
from hansei.model import Postmortem, Severity, Status
from hansei.model.access import Permission, Role, allows
from hansei.model.limits import MAX_REVISION
from hansei.services import checking, history, searching
from hansei.services.accounts import SignedIn
from hansei.services.connection import Database
from hansei.services.documents import with_id_comment
from hansei.services.history import RevisionInfo, StoredPostmortem
from hansei.services.searching import PostmortemSummary, SearchFilters, SearchHit, SortOrder
from hansei.web.auth import require
from hansei.web.context import app_context
from hansei.web.figures import figures
from hansei.web.parameters import RevisionNumber
from hansei.web.reads import current_postmortem, read
from hansei.web.rendering import render, ui_language
from hansei.workflow import ReviewAction, is_author

router = APIRouter(include_in_schema=False)
Reader = Annotated[SignedIn, Depends(require(Permission.read))]
Writer = Annotated[SignedIn, Depends(require(Permission.write))]
PAGE_SIZE = 25
# The longest waiting of a reviewer's postmortems; the rest are a link away.
WAITING_ON_PAGE = 10


def _blank_to_none(value: str | None) -> str | None:
    return value.strip() or None if value else None


@router.get("/")
async def postmortem_list(
    request: Request,
    user: Reader,
    q: str = "",
    service: str | None = None,
    severity: str | None = None,
    status: str | None = None,
    reviewer: str | None = None,
    sort: str = SortOrder.newest.value,
    page: Annotated[int, Query(le=MAX_REVISION // PAGE_SIZE)] = 1,
) -> Response:
    database = app_context(request).database
    filters = SearchFilters(
        service=_blank_to_none(service),
        severity=_blank_to_none(severity),
        status=_blank_to_none(status),
        reviewer=_blank_to_none(reviewer),
    )
    order = SortOrder(sort) if sort in SortOrder.__members__.values() else SortOrder.newest
    page = max(page, 1)
    offset = (page - 1) * PAGE_SIZE
    problem = searching.query_problem(q)
    found = await read(_list_page, database, user.user.name, q, filters, order, offset)
    exact = found.total is not None and searching.total_is_exact(filters, found.total)
    pages = max(1, math.ceil((found.total or 0) / PAGE_SIZE)) if exact else None
    # A page past the last one leads back to the last one, when the count tells it.
    last_page = pages or page - 1
    waiting_query = {"status": "review", "reviewer": user.user.name, "sort": "waiting"}
    query = {
        "q": q,
        "service": filters.service or "",
        "severity": filters.severity or "",
        "status": filters.status or "",
        "reviewer": filters.reviewer or "",
        "sort": order.value,
    }
    return render(
        request,
        "list.html",
        user,
        query=query,
        search_problem=problem,
        hits=found.hits,
        summaries=found.summaries,
        total=found.total,
        pages=pages,
        total_exact=exact,
        counted_at_most=searching.COUNTED_AT_MOST,
        page=page,
        previous_url=f"/?{urlencode({**query, 'page': min(page - 1, last_page)})}"
        if page > 1
        else None,
        next_url=f"/?{urlencode({**query, 'page': page + 1})}" if found.more else None,
        services=found.services,
        severities=[s.value for s in Severity],
        statuses=[s.value for s in Status],
        sorts=[s.value for s in SortOrder],
        can_write=allows(user.user.role, Permission.write),
        waiting=found.waiting,
        waiting_total=found.waiting_total,
        waiting_url=f"/?{urlencode(waiting_query)}",
    )


@dataclass(frozen=True)
class ListPage:
    hits: list[SearchHit]
    summaries: list[PostmortemSummary]
    total: int | None
    more: bool
    services: list[str]
    waiting: list[PostmortemSummary]
    waiting_total: int


def _list_page(
    database: Database,
    reader: str,
    q: str,
    filters: SearchFilters,
    order: SortOrder,
    offset: int,
) -> ListPage:
    """What the list shows, read in a worker thread: a search can take a while, and
    the event loop must go on answering other requests meanwhile."""
    total: int | None
    rows: list[SearchHit] = []
    listed = not q.strip() and searching.query_problem(q) is None
    # One more than a page: past the count's bound, the total cannot tell whether a
    # next page exists.
    read = searching.front_page(
        database,
        reader,
        filters,
        sort=order,
        list_limit=PAGE_SIZE + 1 if listed else 0,
        offset=offset,
        waiting_limit=WAITING_ON_PAGE,
    )
    summaries = read.summaries[:PAGE_SIZE]
    if listed:
        more, total = len(read.summaries) > PAGE_SIZE, read.total
    elif searching.query_problem(q) is not None:
        # The page names the limit; neither a search nor the whole list would answer.
        more, total = False, None
    else:
        hits = searching.search_postmortems(
            database, q, filters, limit=PAGE_SIZE + 1, offset=offset
        )
        more = len(hits) > PAGE_SIZE
        rows, total = hits[:PAGE_SIZE], None
    return ListPage(
        hits=rows,
        summaries=summaries,
        total=total,
        more=more,
        services=read.services,
        waiting=read.waiting,
        waiting_total=read.waiting_total,
    )


@dataclass(frozen=True)
class ViewSection:
    section: HtmlSection
    findings: list[Finding]


def place_findings(sections: list[HtmlSection], findings: list[Finding]) -> list[ViewSection]:
    """Each finding beside the section whose lines hold it (the first, if none does)."""
    placed: list[list[Finding]] = [[] for _ in sections]
    for finding in findings:
        index = next(
            (i for i, s in enumerate(sections) if s.first_line <= finding.line <= s.last_line), 0
        )
        placed[index].append(finding)
    return [ViewSection(s, f) for s, f in zip(sections, placed, strict=True)]


def review_steps(postmortem: Postmortem, user: SignedIn) -> list[str]:
    """The review steps this user may offer to take on the page (the workflow still
    checks each when it is taken)."""
    role, name = user.user.role, user.user.name
    author = is_author(postmortem, name)
    steps = {
        Status.draft: [ReviewAction.request_review] if allows(role, Permission.write) else [],
        Status.review: [ReviewAction.approve, ReviewAction.request_changes]
        if allows(role, Permission.review) and not author
        else [ReviewAction.request_changes]
        if allows(role, Permission.review)
        else [],
        Status.final: [ReviewAction.reopen]
        if role == Role.admin or (author and allows(role, Permission.write))
        else [],
    }
    return [step.value for step in steps[postmortem.status]]


@dataclass(frozen=True)
class DocumentView:
    checked: checking.Checked
    sections: list[ViewSection]


_VIEWS: OrderedDict[tuple[str, Settings], DocumentView] = OrderedDict()
_VIEWS_KEPT = 256


async def document_view(stored: StoredPostmortem, settings: Settings) -> DocumentView:
    """The document's checks and sections. A revision's content never changes, so they
    are kept by content hash: rendering and linting are most of a page's cost, and run
    in a worker thread, the event loop serving other requests meanwhile."""
    key = (stored.content_hash, settings)
    view = _VIEWS.get(key)
    if view is None:
        view = await run_in_threadpool(_view, stored.postmortem, settings)
        _VIEWS[key] = view
        if len(_VIEWS) > _VIEWS_KEPT:
            _VIEWS.popitem(last=False)
    else:
        _VIEWS.move_to_end(key)
    return view


def _view(postmortem: Postmortem, settings: Settings) -> DocumentView:
    checked = checking.check(postmortem, settings)
    sections = html_sections(postmortem, checked.markdown)
    return DocumentView(checked, place_findings(sections, checked.findings))


@router.get("/postmortems/{postmortem_id}")
async def postmortem_page(postmortem_id: str, request: Request, user: Reader) -> Response:
    context = app_context(request)
    database = context.database
    stored = await current_postmortem(database, postmortem_id)
    view = await document_view(stored, context.settings)
    return render(
        request,
        "postmortem.html",
        user,
        stored=stored,
        postmortem=stored.postmortem,
        figures=figures(view.checked.metrics, ui_language(request, user)),
        sections=view.sections,
        finding_count=len(view.checked.findings),
        can_write=allows(user.user.role, Permission.write),
        steps=review_steps(stored.postmortem, user),
    )


@router.get("/postmortems/{postmortem_id}/export.md")
async def export_markdown(postmortem_id: str, request: Request, user: Reader) -> Response:
    database = app_context(request).database
    stored = await current_postmortem(database, postmortem_id)
    markdown = await run_in_threadpool(render_markdown, stored.postmortem)
    text = with_id_comment(markdown, stored.id, stored.revision)
    name = f"postmortem-{stored.id[:8]}-r{stored.revision}.md"
    return Response(
        text,
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@dataclass(frozen=True)
class DiffLine:
    kind: str
    text: str


def diff_lines(diff: str) -> list[DiffLine]:
    kinds = {"+": "added", "-": "removed", "@": "hunk"}
    lines = split_lines(diff.removesuffix("\n")) if diff else []
    return [
        DiffLine("file" if line.startswith(("+++", "---")) else kinds.get(line[:1], "same"), line)
        for line in lines
    ]


def _revisions_and_diff(
    database: Database, postmortem_id: str, old: int, new: int
) -> tuple[list[RevisionInfo], str]:
    """What the history page reads, in one trip to a worker thread."""
    revisions = history.list_revisions(database, postmortem_id)
    diff = history.diff_revisions(database, postmortem_id, old, new) if old != new else ""
    return revisions, diff


@router.get("/postmortems/{postmortem_id}/history")
async def history_page(
    postmortem_id: str,
    request: Request,
    user: Reader,
    old: RevisionNumber | None = None,
    new: RevisionNumber | None = None,
) -> Response:
    database = app_context(request).database
    stored = await current_postmortem(database, postmortem_id)
    new = new or stored.revision
    old = old or max(1, new - 1)
    revisions, diff = await run_in_threadpool(_revisions_and_diff, database, stored.id, old, new)
    return render(
        request,
        "history.html",
        user,
        stored=stored,
        postmortem=stored.postmortem,
        revisions=list(reversed(revisions)),
        old=old,
        new=new,
        diff=diff_lines(diff),
        can_write=allows(user.user.role, Permission.write),
    )


@router.post("/postmortems/{postmortem_id}/restore")
async def restore(
    postmortem_id: str,
    request: Request,
    user: Writer,
    revision: Annotated[RevisionNumber, Form()],
) -> Response:
    database = app_context(request).database
    resolved = await run_in_threadpool(history.resolve, database, postmortem_id)
    await run_in_threadpool(
        history.restore_revision, database, resolved, revision, user=user.user.name
    )
    return RedirectResponse(f"/postmortems/{resolved}/history", status_code=303)
