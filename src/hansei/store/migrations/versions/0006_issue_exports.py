"""Issues opened for action items, claimed first so that none is opened twice.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "issue_exports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column(
            "postmortem_id",
            sa.String(32),
            sa.ForeignKey("postmortems.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("item_key", sa.String(64), nullable=False),
        sa.Column("horizon", sa.String(16), nullable=False),
        sa.Column("number", sa.Integer()),
        sa.Column("task", sa.Text(), nullable=False),
        sa.Column("repositories", sa.Text(), nullable=False),
        sa.Column("claim_token", sa.String(32), nullable=False),
        sa.Column("claimed_by", sa.Text(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("first_claimed_at", sa.DateTime(), nullable=False),
        sa.Column("issue_url", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_issue_exports"),
        sa.UniqueConstraint(
            "postmortem_id", "item_key", name="uq_issue_exports_postmortem_id_item_key"
        ),
    )


def downgrade() -> None:
    op.drop_table("issue_exports")
