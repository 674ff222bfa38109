"""Keeping the search index in step with each save (same transaction)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hansei.model import Postmortem
from hansei.store.search_text import bigram_tokens, search_text
from hansei.store.tables import SearchDocumentRow

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


def write(session: Session, postmortem_id: str, postmortem: Postmortem, *, replace: bool) -> None:
    text = search_text(postmortem)
    values = {"title": text.title, "body": text.body, "display": text.display}
    sqlite = session.get_bind().dialect.name == "sqlite"
    old = None
    if replace:
        old = session.execute(
            sa.select(SearchDocumentRow.id, SearchDocumentRow.title, SearchDocumentRow.body).where(
                SearchDocumentRow.postmortem_id == postmortem_id
            )
        ).first()
    if old is None:
        row_id = session.execute(
            sa.insert(SearchDocumentRow)
            .values(postmortem_id=postmortem_id, **values)
            .returning(SearchDocumentRow.id)
        ).scalar_one()
    else:
        row_id = old.id
        if sqlite:
            # External-content and contentless FTS5 tables forget a row only when
            # told exactly what was indexed for it.
            _fts(session, _FTS_DELETE, row_id, old.title, old.body)
        session.execute(
            sa.update(SearchDocumentRow).where(SearchDocumentRow.id == row_id).values(**values)
        )
    if sqlite:
        _fts(session, _FTS_INSERT, row_id, text.title, text.body)


def _fts(
    session: Session, statements: dict[str, sa.TextClause], row_id: int, title: str, body: str
) -> None:
    session.execute(statements["search_trigram"], {"id": row_id, "title": title, "body": body})
    session.execute(
        statements["search_bigram"],
        {"id": row_id, "title": bigram_tokens(title), "body": bigram_tokens(body)},
    )
