"""Search: every query term must occur in the postmortem's folded text.

SQLite answers terms of 3+ characters from the FTS5 trigram index and shorter
terms from the bigram index, ordered by FTS5's rank (bm25, a title match
weighing 10× a body match); PostgreSQL answers each term from a GIN index of
the text's characters and pairs (and, for 3+ characters, LIKE over pg_trgm
GIN indexes), postmortems whose title holds more of the terms first. Then
both order by detection time, newest first. A term found in thousands of
postmortems says little of any of them: past RANKED_AT_MOST matches (for
titles compared first, TITLE_FIRST_AT_MOST) neither ranks, and the newest
come first. The set found is the same on both; the
order may differ.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from hansei.store.filters import (
    SearchFilters,
    filter_conditions,
    filter_keys,
    filter_parameters,
    services_of,
)
from hansei.store.search_text import (
    bigram_match,
    bigram_query,
    query_terms,
    snippet,
    trigram_match,
)
from hansei.store.tables import PostmortemRow, SearchDocumentRow


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
    filters = filters or SearchFilters()
    if terms and session.get_bind().dialect.name == "sqlite":
        # Most searches want the first page: FTS5 picks the best rows by its rank
        # first. With filters the best may be filtered out, so a wider window is
        # tried before all matches are ranked.
        wanted = limit + offset
        windows = [filtered_window(wanted), None] if filter_keys(filters) else [wanted]
        for window in windows:
            rows = _run(session, terms, filters, limit, offset, window)
            if window is None or len(rows) == limit:
                break
    else:
        if terms:
            # Checking a document's character pairs outside the index reads its vector
            # out of line, a cost PostgreSQL's planner does not count: after ANALYZE it
            # took a scan of the table for cheaper than the index for a frequent word
            # (14 ms against 2 at 100,000). For this transaction only.
            session.execute(sa.text("SET LOCAL enable_seqscan = off"))
        rows = _run(session, terms, filters, limit, offset, None)
    services = services_of(session, [row.id for row in rows])
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


def filtered_window(wanted: int) -> int:
    """How many of the best matches to filter before falling back to all of them."""
    return max(500, 25 * wanted)


def _run(
    session: Session,
    terms: list[str],
    filters: SearchFilters,
    limit: int,
    offset: int,
    window: int | None,
) -> list[sa.Row[Any]]:
    statement = sa.select(*_HIT_COLUMNS, SearchDocumentRow.display).join(
        SearchDocumentRow, SearchDocumentRow.postmortem_id == PostmortemRow.id
    )
    order: list[Any] = []
    if terms and session.get_bind().dialect.name == "sqlite":
        hits, title_first = _sqlite_hits(session, terms, window)
        statement = statement.join(hits, hits.c.doc == SearchDocumentRow.id)
        if title_first:
            order.append(_titles_matched(terms, sa.func.instr))
        order.append(hits.c.score)
    elif terms:
        matching = [_pg_term(term) for term in terms]
        if _few_matches(session, matching):
            statement = statement.where(*matching)
            order.append(_titles_matched(terms, sa.func.strpos))
        else:
            statement = _newest_matching(matching)
    statement = statement.where(*filter_conditions(filter_keys(filters)))
    order += [PostmortemRow.detected_at.desc().nulls_last(), PostmortemRow.id]
    statement = statement.order_by(*order).limit(limit).offset(offset)
    return list(session.execute(statement, filter_parameters(filters)).all())


_HIT_COLUMNS = (
    PostmortemRow.id,
    PostmortemRow.title,
    PostmortemRow.status,
    PostmortemRow.severity,
    PostmortemRow.detected_at,
    PostmortemRow.author,
)


def _newest_matching(matching: list[sa.ColumnElement[bool]]) -> sa.Select[Any]:
    """Many matches on PostgreSQL: postmortems newest first from the index, each one's
    text checked in turn, until the page is full.

    PostgreSQL cannot estimate how many documents a LIKE matches; it guesses few, and
    checks every candidate the indexes give before sorting them (for a word in every
    document, each of them: 110 ms at 3,000 where this reads 20 in 0.6 ms). OFFSET 0
    keeps the check a step of the walk rather than a join it would plan the same way."""
    matched = (
        sa.select(SearchDocumentRow.display)
        .where(SearchDocumentRow.postmortem_id == PostmortemRow.id, *matching)
        .offset(0)
        .lateral("matched")
    )
    return sa.select(*_HIT_COLUMNS, matched.c.display).join_from(PostmortemRow, matched, sa.true())


def _titles_matched(terms: list[str], position: Any) -> sa.UnaryExpression[Any]:
    """Postmortems whose title holds more of the terms first."""
    matched = [sa.case((position(SearchDocumentRow.title, term) > 0, 1), else_=0) for term in terms]
    return sa.desc(functools.reduce(operator.add, matched))


# Ranking costs about 10 µs a match (bm25 over 900 matches of a 7-letter word: 9 ms,
# where a plain LIKE scan finds 20 in 0.1 ms); past this many matches the newest come
# first instead (a word in hundreds of postmortems says little of any of them).
RANKED_AT_MOST = 200
# Comparing titles uses no index: every match is read. A short word found in most
# postmortems (障害 in a Japanese team's store) is ranked only when it is rare.
TITLE_FIRST_AT_MOST = 200


def _sqlite_hits(
    session: Session, terms: list[str], window: int | None
) -> tuple[sa.Subquery, bool]:
    """Matching rows with their order, and whether titles must be compared first.

    With few matches: FTS5's rank (bm25, a title match 10×, lower is better)
    when a term of 3+ characters gives the trigram index something to rank;
    for short terms alone (the bigram index keeps no positions, so bm25 knows
    nothing) title matches first, as on PostgreSQL. With many: the newest stored.
    """
    long_terms = [term for term in terms if len(term) >= 3]
    short_terms = [term for term in terms if len(term) < 3]
    params: dict[str, Any] = {}
    if short_terms:
        params["bigram"] = " AND ".join(bigram_match(term) for term in short_terms)
    if long_terms:
        params["trigram"] = " AND ".join(trigram_match(term) for term in long_terms)
        matching = "FROM search_trigram WHERE search_trigram MATCH :trigram"
        if short_terms:
            matching += (
                " AND rowid IN (SELECT rowid FROM search_bigram WHERE search_bigram MATCH :bigram)"
            )
    else:
        matching = "FROM search_bigram WHERE search_bigram MATCH :bigram"
    at_most = RANKED_AT_MOST if long_terms else TITLE_FIRST_AT_MOST
    probe = sa.text(f"SELECT count(*) FROM (SELECT rowid {matching} LIMIT {at_most + 1})")
    few = session.execute(probe, params).scalar_one() <= at_most
    title_first = few and not long_terms
    if title_first:
        score, order = "0", None  # every match is compared in the outer query
    elif few:
        score, order = "rank", "rank"
    else:
        score, order = "-rowid", "rowid DESC"
    sql = f"SELECT rowid AS doc, {score} AS score {matching}"
    if window is not None and order is not None:
        sql += f" ORDER BY {order} LIMIT :window"
        params["window"] = window
    hits = (
        sa.text(sql)
        .bindparams(**params)
        .columns(sa.column("doc", sa.Integer), sa.column("score", sa.Float))
        .subquery("hits")
    )
    return hits, title_first


def _few_matches(session: Session, conditions: list[sa.ColumnElement[bool]]) -> bool:
    """Whether ranking is worth it: PostgreSQL's counterpart of the probe on SQLite."""
    first = sa.select(SearchDocumentRow.id).where(*conditions).limit(TITLE_FIRST_AT_MOST + 1)
    probe = sa.select(sa.func.count()).select_from(first.subquery())
    return session.execute(probe).scalar_one() <= TITLE_FIRST_AT_MOST


def _pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _pg_term(term: str) -> sa.ColumnElement[bool]:
    """A term on PostgreSQL: its characters and pairs in the bigram index, and for three
    or more characters (where pairs may occur apart) the text itself. A document too
    large for the bigram index is read as text."""
    pattern = _pattern(term)
    in_text = sa.or_(
        SearchDocumentRow.title.like(pattern, escape="\\"),
        SearchDocumentRow.body.like(pattern, escape="\\"),
    )
    indexed = SearchDocumentRow.bigrams.bool_op("@@")(
        sa.cast(sa.literal(bigram_query(term)), postgresql.TSQUERY)
    )
    unindexed = SearchDocumentRow.bigrams.is_(None)
    if len(term) <= 2:
        return sa.or_(indexed, sa.and_(unindexed, in_text))
    return sa.and_(sa.or_(indexed, unindexed), in_text)
