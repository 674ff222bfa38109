"""Who each postmortem asks to review it, in a table of its own.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from hansei.model.reviews import person

revision = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None

# Documents are read a batch at a time: a large store is filled without holding it all.
_BATCH = 500


def upgrade() -> None:
    reviewers = op.create_table(
        "postmortem_reviewers",
        sa.Column(
            "postmortem_id",
            sa.String(32),
            sa.ForeignKey("postmortems.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("reviewer_key", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("postmortem_id", "reviewer_key", name="pk_postmortem_reviewers"),
    )
    op.create_index(
        "ix_postmortem_reviewers_reviewer_key", "postmortem_reviewers", ["reviewer_key"]
    )
    batch: list[dict[str, Any]] = []
    for row in _reviewer_rows():
        batch.append(row)
        if len(batch) >= _BATCH:
            op.bulk_insert(reviewers, batch)
            batch = []
    if batch:
        op.bulk_insert(reviewers, batch)


def _reviewer_rows() -> Iterator[dict[str, Any]]:
    document_type = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    postmortems = sa.table(
        "postmortems", sa.column("id", sa.String(32)), sa.column("document", document_type)
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(postmortems.c.id, postmortems.c.document).execution_options(yield_per=_BATCH)
    )
    for postmortem_id, document in rows:
        names = document.get("reviewers", []) if isinstance(document, dict) else []
        for key in dict.fromkeys(person(name) for name in names if isinstance(name, str)):
            if key:
                yield {"postmortem_id": postmortem_id, "reviewer_key": key}


def downgrade() -> None:
    op.drop_table("postmortem_reviewers")
