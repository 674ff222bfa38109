"""PostgreSQL indexes characters and pairs of characters for search.

pg_trgm makes no trigram of a term shorter than three characters, nor of
Japanese under a `C` ctype: such searches read the whole table. A tsvector of
the text's characters and pairs, GIN-indexed, finds them instead. SQLite has
its own FTS5 bigram table; the column stays empty there.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from hansei.store.search_text import bigram_vector

revision = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None

_BATCH = 500


def upgrade() -> None:
    column_type = sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql")
    op.add_column("search_documents", sa.Column("bigrams", column_type))
    if op.get_bind().dialect.name != "postgresql":
        return
    _fill()
    op.create_index(
        "ix_search_documents_bigrams",
        "search_documents",
        ["bigrams"],
        postgresql_using="gin",
    )
    op.create_index(
        "ix_search_documents_without_bigrams",
        "search_documents",
        ["id"],
        postgresql_where=sa.text("bigrams IS NULL"),
    )


def _fill() -> None:
    documents = sa.table(
        "search_documents",
        sa.column("id", sa.Integer),
        sa.column("title", sa.Text),
        sa.column("body", sa.Text),
        sa.column("bigrams", postgresql.TSVECTOR),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(documents.c.id, documents.c.title, documents.c.body).execution_options(
            yield_per=_BATCH
        )
    )
    update = (
        sa.update(documents)
        .where(documents.c.id == sa.bindparam("row_id"))
        .values(bigrams=sa.bindparam("vector"))
    )
    batch: list[dict[str, object]] = []
    for row_id, title, body in rows:
        batch.append({"row_id": row_id, "vector": bigram_vector(title, body)})
        if len(batch) >= _BATCH:
            connection.execute(update, batch)
            batch = []
    if batch:
        connection.execute(update, batch)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_search_documents_without_bigrams", "search_documents")
        op.drop_index("ix_search_documents_bigrams", "search_documents")
    op.drop_column("search_documents", "bigrams")
