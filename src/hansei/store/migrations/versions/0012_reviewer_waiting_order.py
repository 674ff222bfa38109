"""Each reviewer row repeats its postmortem's status and last change, indexed with
who is asked: "waiting for my review" and its count read one index.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None

_INDEX = "ix_postmortem_reviewers_waiting"


def upgrade() -> None:
    with op.batch_alter_table("postmortem_reviewers") as table:
        table.add_column(sa.Column("status", sa.String(16), nullable=True))
        table.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))
    # One statement: the database copies the two columns itself, however many rows.
    op.execute(
        "UPDATE postmortem_reviewers SET "
        "status = (SELECT status FROM postmortems WHERE postmortems.id = postmortem_id), "
        "updated_at = (SELECT updated_at FROM postmortems WHERE postmortems.id = postmortem_id)"
    )
    with op.batch_alter_table("postmortem_reviewers") as table:
        table.alter_column("status", existing_type=sa.String(16), nullable=False)
        table.alter_column("updated_at", existing_type=sa.DateTime(), nullable=False)
        table.drop_index("ix_postmortem_reviewers_reviewer_key")
        table.create_index(_INDEX, ["reviewer_key", "status", "updated_at", "postmortem_id"])


def downgrade() -> None:
    with op.batch_alter_table("postmortem_reviewers") as table:
        table.drop_index(_INDEX)
        table.create_index("ix_postmortem_reviewers_reviewer_key", ["reviewer_key"])
        table.drop_column("updated_at")
        table.drop_column("status")
