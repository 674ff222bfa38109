"""Keeping the search index in step with each save (same transaction)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hansei.store.mapping import PreparedDocument
from hansei.store.search_text import bigram_tokens
from hansei.store.tables import SearchDocumentRow, table_of

_SEARCH = table_of(SearchDocumentRow)
_INSERT_SEARCH = sa.insert(_SEARCH).returning(_SEARCH.c.id)
_INSERT_SEARCH_MANY = sa.insert(_SEARCH).returning(_SEARCH.c.postmortem_id, _SEARCH.c.id)

_FTS_DELETE = {
    table: sa.text(
        f"INSERT INTO {table}({table}, rowid, title, body) VALUES ('delete', :id, :title, :body)"
    )
    for table in ("search_trigram", "search_bigram")
}
_FTS_INSERT = {
    table: sa.text(f"INSERT INTO {table}(rowid, title, body) VALUES (:id, :title, :body)")
    for table in ("search_trigram", "search_bigram")
}


def write(
    session: Session, postmortem_id: str, prepared: PreparedDocument, *, replace: bool
) -> None:
    text = prepared.search
    sqlite = session.get_bind().dialect.name == "sqlite"
    values: dict[str, str | None] = {
        "title": text.title,
        "body": text.body,
        "display": text.display,
    }
    if not sqlite:
        values["bigrams"] = prepared.bigram_vector
    old = None
    if replace:
        old = session.execute(
            sa.select(_SEARCH.c.id, _SEARCH.c.title, _SEARCH.c.body).where(
                _SEARCH.c.postmortem_id == postmortem_id
            )
        ).first()
    if old is None:
        row_id = session.execute(
            _INSERT_SEARCH, {"postmortem_id": postmortem_id, **values}
        ).scalar_one()
    else:
        row_id = old.id
        if sqlite:
            # External-content and contentless FTS5 tables forget a row only when
            # told exactly what was indexed for it.
            old_bigrams = (bigram_tokens(old.title), bigram_tokens(old.body))
            _fts(session, _FTS_DELETE, row_id, (old.title, old.body), old_bigrams)
        session.execute(sa.update(_SEARCH).where(_SEARCH.c.id == row_id).values(**values))
    if sqlite:
        bigrams = prepared.bigrams or (bigram_tokens(text.title), bigram_tokens(text.body))
        _fts(session, _FTS_INSERT, row_id, (text.title, text.body), bigrams)


def _fts(
    session: Session,
    statements: dict[str, sa.TextClause],
    row_id: int,
    text: tuple[str, str],
    bigrams: tuple[str, str],
) -> None:
    session.execute(statements["search_trigram"], {"id": row_id, "title": text[0], "body": text[1]})
    session.execute(
        statements["search_bigram"], {"id": row_id, "title": bigrams[0], "body": bigrams[1]}
    )


def write_many(session: Session, documents: list[tuple[str, PreparedDocument]]) -> None:
    """`write` for postmortems new to the index, each table's rows in one statement."""
    if not documents:
        return
    sqlite = session.get_bind().dialect.name == "sqlite"
    connection = session.connection()
    rows = []
    for postmortem_id, prepared in documents:
        text = prepared.search
        row: dict[str, str | None] = {
            "postmortem_id": postmortem_id,
            "title": text.title,
            "body": text.body,
            "display": text.display,
        }
        if not sqlite:
            row["bigrams"] = prepared.bigram_vector
        rows.append(row)
    row_ids = dict(connection.execute(_INSERT_SEARCH_MANY, rows).tuples().all())
    if not sqlite:
        return
    trigrams = []
    bigrams = []
    for postmortem_id, prepared in documents:
        text = prepared.search
        row_id = row_ids[postmortem_id]
        tokens = prepared.bigrams or (bigram_tokens(text.title), bigram_tokens(text.body))
        trigrams.append({"id": row_id, "title": text.title, "body": text.body})
        bigrams.append({"id": row_id, "title": tokens[0], "body": tokens[1]})
    connection.execute(_FTS_INSERT["search_trigram"], trigrams)
    connection.execute(_FTS_INSERT["search_bigram"], bigrams)
