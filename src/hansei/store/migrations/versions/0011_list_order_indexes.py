"""Indexes for the list's orders, each with the id that breaks ties.

Without them a page in order of last change ("updated", and "waiting" in review)
sorted every matching postmortem, reading on SQLite the part of each row stored
after its document; and PostgreSQL sorted the whole table for the newest first.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None

_PORTABLE = {
    "ix_postmortems_detected_at_id": ["detected_at", "id"],
    "ix_postmortems_updated_at_id": ["updated_at", "id"],
    "ix_postmortems_status_updated_at_id": ["status", "updated_at", "id"],
}
# Newest first with the undated last: PostgreSQL sorts NULL above every value, so it
# reads these in order only when they are built in that order (SQLite ignores the
# PostgreSQL options, and reads them backwards).
_NEWEST_FIRST = {
    "ix_postmortems_status_detected_at_id": (["status", "detected_at", "id"], "detected_at"),
    "ix_postmortems_severity_detected_at_id": (["severity", "detected_at", "id"], "detected_at"),
    "ix_postmortems_downtime_minutes_id": (["downtime_minutes", "id"], "downtime_minutes"),
}


def upgrade() -> None:
    # Replaced by the one with the id.
    op.drop_index("ix_postmortems_detected_at", "postmortems")
    for name, columns in _PORTABLE.items():
        op.create_index(name, "postmortems", columns)
    for name, (columns, descending) in _NEWEST_FIRST.items():
        op.create_index(
            name, "postmortems", columns, postgresql_ops={descending: "DESC NULLS LAST"}
        )
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_postmortems_newest",
            "postmortems",
            ["detected_at", "id"],
            postgresql_ops={"detected_at": "DESC NULLS LAST"},
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_postmortems_newest", "postmortems")
    for name in reversed(_NEWEST_FIRST):
        op.drop_index(name, "postmortems")
    for name in reversed(_PORTABLE):
        op.drop_index(name, "postmortems")
    op.create_index("ix_postmortems_detected_at", "postmortems", ["detected_at"])
