"""The first schema: postmortems, revisions, derived rows and search.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _postmortem_fk() -> sa.Column[str]:
    return sa.Column(
        "postmortem_id",
        sa.String(32),
        sa.ForeignKey(
            "postmortems.id",
            ondelete="CASCADE",
            name=None,
        ),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "postmortems",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("title", sa.Text()),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("severity", sa.String(16)),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("author", sa.Text()),
        sa.Column("occurred_at", sa.DateTime()),
        sa.Column("detected_at", sa.DateTime()),
        sa.Column("recovered_at", sa.DateTime()),
        sa.Column("resolved_at", sa.DateTime()),
        sa.Column("downtime_minutes", sa.Float()),
        sa.Column("document", _JSON, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("last_revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_postmortems"),
    )
    op.create_index("ix_postmortems_status", "postmortems", ["status"])
    op.create_index("ix_postmortems_severity", "postmortems", ["severity"])
    op.create_index("ix_postmortems_author", "postmortems", ["author"])
    op.create_index("ix_postmortems_detected_at", "postmortems", ["detected_at"])
    op.create_index("ix_postmortems_title_detected_at", "postmortems", ["title", "detected_at"])
    op.create_index("ix_postmortems_content_hash", "postmortems", ["content_hash"])

    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _postmortem_fk(),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("based_on", sa.Integer()),
        sa.Column("document", _JSON, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_revisions"),
        sa.UniqueConstraint("postmortem_id", "number", name="uq_revisions_postmortem_id_number"),
    )
    op.create_index("ix_revisions_postmortem_id", "revisions", ["postmortem_id"])

    op.create_table(
        "postmortem_services",
        sa.Column(
            "postmortem_id",
            sa.String(32),
            sa.ForeignKey("postmortems.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("service", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("postmortem_id", "service", name="pk_postmortem_services"),
    )
    op.create_index("ix_postmortem_services_service", "postmortem_services", ["service"])

    op.create_table(
        "timeline_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _postmortem_fk(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime()),
        sa.Column("event", sa.Text()),
        sa.Column("actor", sa.Text()),
        sa.Column("action", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_timeline_events"),
    )
    op.create_index("ix_timeline_events_postmortem_id", "timeline_events", ["postmortem_id"])

    op.create_table(
        "action_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _postmortem_fk(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer()),
        sa.Column("horizon", sa.String(16)),
        sa.Column("task", sa.Text()),
        sa.Column("owner", sa.Text()),
        sa.Column("due", sa.Date()),
        sa.Column("status", sa.String(16)),
        sa.PrimaryKeyConstraint("id", name="pk_action_items"),
    )
    for column in ("postmortem_id", "horizon", "due", "status"):
        op.create_index(f"ix_action_items_{column}", "action_items", [column])
    op.create_index("ix_action_items_owner_due", "action_items", ["owner", "due"])

    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _postmortem_fk(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date()),
        sa.Column("reviewer", sa.Text()),
        sa.Column("comment", sa.Text()),
        sa.Column("status", sa.String(16)),
        sa.PrimaryKeyConstraint("id", name="pk_reviews"),
    )
    op.create_index("ix_reviews_postmortem_id", "reviews", ["postmortem_id"])

    op.create_table(
        "search_documents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column(
            "postmortem_id",
            sa.String(32),
            sa.ForeignKey("postmortems.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("display", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_search_documents"),
        sa.UniqueConstraint("postmortem_id", name="uq_search_documents_postmortem_id"),
        sqlite_autoincrement=True,
    )
    _create_search_indexes()


def _create_search_indexes() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        # Both tables index the folded text by search_documents.id. The trigram table
        # answers terms of 3+ characters; the bigram table (tokens written by hansei,
        # see store/search_text.py) answers 1- and 2-character terms.
        op.execute(
            "CREATE VIRTUAL TABLE search_trigram USING fts5("
            "title, body, content='search_documents', content_rowid='id', "
            "tokenize='trigram case_sensitive 1')"
        )
        op.execute(
            "CREATE VIRTUAL TABLE search_bigram USING fts5("
            "title, body, content='', tokenize='ascii', detail='none')"
        )
        # `ORDER BY rank` lets FTS5 keep only the best rows; a title match weighs 10×.
        # (The bigram index keeps no positions, so bm25 cannot rank its matches.)
        op.execute(
            "INSERT INTO search_trigram(search_trigram, rank) VALUES ('rank', 'bm25(10.0, 1.0)')"
        )
        # A deleted row leaves the trigram index with it. The bigram index cannot be
        # told from SQL (its tokens are written by hansei); its stale entries point
        # at ids that are never reused, so they match nothing.
        op.execute(
            "CREATE TRIGGER search_documents_deleted AFTER DELETE ON search_documents BEGIN "
            "INSERT INTO search_trigram(search_trigram, rowid, title, body) "
            "VALUES ('delete', old.id, old.title, old.body); END"
        )
    elif dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in ("title", "body"):
            op.create_index(
                f"ix_search_documents_{column}_trgm",
                "search_documents",
                [column],
                postgresql_using="gin",
                postgresql_ops={column: "gin_trgm_ops"},
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE search_bigram")
        op.execute("DROP TABLE search_trigram")
    for table in (
        "search_documents",
        "reviews",
        "action_items",
        "timeline_events",
        "postmortem_services",
        "revisions",
        "postmortems",
    ):
        op.drop_table(table)
