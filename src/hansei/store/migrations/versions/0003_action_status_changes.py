"""Who changed an action item's status, and when.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "action_status_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column(
            "postmortem_id",
            sa.String(32),
            sa.ForeignKey("postmortems.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("number", sa.Integer()),
        sa.Column("task", sa.Text()),
        sa.Column("from_status", sa.String(16)),
        sa.Column("to_status", sa.String(16)),
        sa.Column("changed_by", sa.Text(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_action_status_changes"),
    )
    op.create_index(
        "ix_action_status_changes_postmortem_id_task",
        "action_status_changes",
        ["postmortem_id", "task"],
    )


def downgrade() -> None:
    op.drop_table("action_status_changes")
