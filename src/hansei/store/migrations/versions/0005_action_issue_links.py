"""Action items link to the tracker issue that follows them up.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("action_items") as table:
        table.add_column(sa.Column("issue_url", sa.Text()))


def downgrade() -> None:
    with op.batch_alter_table("action_items") as table:
        table.drop_column("issue_url")
