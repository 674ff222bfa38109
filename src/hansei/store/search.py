"""Search: every query term must occur in the postmortem's folded text.

SQLite answers terms of 3+ characters from the FTS5 trigram index and shorter
terms from the bigram index; PostgreSQL answers each term with LIKE over
pg_trgm GIN indexes. The set found is the same on both. Postmortems whose
title holds more of the terms come first on both; SQLite then orders by bm25
(the title weighs 4× the body), and both by detection time, newest first.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hansei.store.search_text import bigram_match, query_terms, snippet, trigram_match
from hansei.store.tables import ActionItemRow, PostmortemRow, SearchDocumentRow, ServiceRow


@dataclass(frozen=True)
class SearchFilters:
    service: str | None = None
    severity: str | None = None
    status: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    owner: str | None = None


@dataclass(frozen=True)
class SearchHit:
    id: str
    title: str | None
    status: str
    severity: str | None
    detected_at: dt.datetime | None
    author: str | None
    services: list[str] = field(default_factory=list)
    snippet: str = ""


def search(
    session: Session,
    query: str,
    filters: SearchFilters | None = None,
    *,
    limit: int = 20,
    offset: int = 0,
) -> list[SearchHit]:
    terms = query_terms(query)
    statement = sa.select(
        PostmortemRow.id,
        PostmortemRow.title,
        PostmortemRow.status,
        PostmortemRow.severity,
        PostmortemRow.detected_at,
        PostmortemRow.author,
        SearchDocumentRow.display,
    ).join(SearchDocumentRow, SearchDocumentRow.postmortem_id == PostmortemRow.id)
    order: list[Any] = []
    if terms:
        sqlite = session.get_bind().dialect.name == "sqlite"
        # Title matches first, on both databases; then bm25 where FTS5 gives it.
        position = sa.func.instr if sqlite else sa.func.strpos
        titles_matched = [
            sa.case((position(SearchDocumentRow.title, term) > 0, 1), else_=0) for term in terms
        ]
        order.append(sa.desc(functools.reduce(operator.add, titles_matched)))
        if sqlite:
            hits = _sqlite_hits(terms)
            statement = statement.join(hits, hits.c.doc == SearchDocumentRow.id)
            order.append(hits.c.score)
        else:
            statement = statement.where(*(_pg_term(term) for term in terms))
    statement = statement.where(*_filter_conditions(filters or SearchFilters()))
    order += [PostmortemRow.detected_at.desc().nulls_last(), PostmortemRow.id]
    rows = session.execute(statement.order_by(*order).limit(limit).offset(offset)).all()
    services = _services(session, [row.id for row in rows])
    return [
        SearchHit(
            id=row.id,
            title=row.title,
            status=row.status,
            severity=row.severity,
            detected_at=row.detected_at,
            author=row.author,
            services=services.get(row.id, []),
            snippet=snippet(row.display, terms),
        )
        for row in rows
    ]


def _sqlite_hits(terms: list[str]) -> sa.Subquery:
    long_terms = [term for term in terms if len(term) >= 3]
    short_terms = [term for term in terms if len(term) < 3]
    bigram_query = " AND ".join(bigram_match(term) for term in short_terms)
    params: dict[str, str] = {}
    if long_terms:
        sql = (
            "SELECT rowid AS doc, bm25(search_trigram, 4.0, 1.0) AS score "
            "FROM search_trigram WHERE search_trigram MATCH :trigram"
        )
        params["trigram"] = " AND ".join(trigram_match(term) for term in long_terms)
        if short_terms:
            sql += (
                " AND rowid IN (SELECT rowid FROM search_bigram WHERE search_bigram MATCH :bigram)"
            )
            params["bigram"] = bigram_query
    else:
        sql = (
            "SELECT rowid AS doc, bm25(search_bigram, 4.0, 1.0) AS score "
            "FROM search_bigram WHERE search_bigram MATCH :bigram"
        )
        params["bigram"] = bigram_query
    return (
        sa.text(sql)
        .bindparams(**params)
        .columns(sa.column("doc", sa.Integer), sa.column("score", sa.Float))
        .subquery("hits")
    )


def _pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _pg_term(term: str) -> sa.ColumnElement[bool]:
    pattern = _pattern(term)
    return sa.or_(
        SearchDocumentRow.title.like(pattern, escape="\\"),
        SearchDocumentRow.body.like(pattern, escape="\\"),
    )


def _filter_conditions(filters: SearchFilters) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if filters.service:
        conditions.append(
            sa.exists().where(
                ServiceRow.postmortem_id == PostmortemRow.id, ServiceRow.service == filters.service
            )
        )
    if filters.severity:
        conditions.append(PostmortemRow.severity == filters.severity)
    if filters.status:
        conditions.append(PostmortemRow.status == filters.status)
    when = sa.func.coalesce(PostmortemRow.detected_at, PostmortemRow.occurred_at)
    if filters.since:
        conditions.append(when >= filters.since)
    if filters.until:
        conditions.append(when < filters.until)
    if filters.owner:
        conditions.append(
            sa.or_(
                PostmortemRow.author == filters.owner,
                sa.exists().where(
                    ActionItemRow.postmortem_id == PostmortemRow.id,
                    ActionItemRow.owner == filters.owner,
                ),
            )
        )
    return conditions


def _services(session: Session, ids: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    if ids:
        for postmortem_id, service in session.execute(
            sa.select(ServiceRow.postmortem_id, ServiceRow.service)
            .where(ServiceRow.postmortem_id.in_(ids))
            .order_by(ServiceRow.postmortem_id, ServiceRow.service)
        ):
            found.setdefault(postmortem_id, []).append(service)
    return found
