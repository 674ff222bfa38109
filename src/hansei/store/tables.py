"""The database tables: the canonical document plus the rows that queries need.

The whole document (canonical JSON) is the truth of each postmortem and of each
revision; the other tables are derived from it on every save so that action
items, timelines and services can be queried across postmortems.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

DOCUMENT_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BIGRAM_VECTOR = sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql")


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An instant, stored as naive UTC on every database and read back as aware UTC."""

    impl = sa.DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            raise ValueError(f"an aware datetime is needed, got {value!r}")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    metadata = sa.MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


def _postmortem_fk() -> Mapped[str]:
    return mapped_column(
        sa.String(32), sa.ForeignKey("postmortems.id", ondelete="CASCADE"), index=True
    )


_NEWEST_FIRST = "DESC NULLS LAST"


class PostmortemRow(Base):
    __tablename__ = "postmortems"
    __table_args__ = (
        sa.Index(None, "title", "detected_at"),
        # The list's orders with the id that breaks ties: a page is read off the index
        # in order, and the page's ids without visiting the rows.
        sa.Index(None, "detected_at", "id"),
        sa.Index(None, "updated_at", "id"),
        sa.Index(None, "status", "updated_at", "id"),
        # PostgreSQL sorts NULL above every value: newest first (or longest down) with
        # the undated last reads only an index built in that order; SQLite reads these
        # backwards.
        sa.Index(
            None, "status", "detected_at", "id", postgresql_ops={"detected_at": _NEWEST_FIRST}
        ),
        sa.Index(
            None, "severity", "detected_at", "id", postgresql_ops={"detected_at": _NEWEST_FIRST}
        ),
        sa.Index(
            None, "downtime_minutes", "id", postgresql_ops={"downtime_minutes": _NEWEST_FIRST}
        ),
        sa.Index(
            "ix_postmortems_newest",
            "detected_at",
            "id",
            postgresql_ops={"detected_at": _NEWEST_FIRST},
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    title: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), index=True)
    severity: Mapped[str | None] = mapped_column(sa.String(16), index=True)
    language: Mapped[str] = mapped_column(sa.String(8))
    author: Mapped[str | None] = mapped_column(sa.Text, index=True)
    occurred_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    detected_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    recovered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    downtime_minutes: Mapped[float | None] = mapped_column(sa.Float)
    document: Mapped[dict[str, Any]] = mapped_column(DOCUMENT_JSON)
    content_hash: Mapped[str] = mapped_column(sa.String(64), index=True)
    revision: Mapped[int] = mapped_column(sa.Integer)
    last_revision: Mapped[int] = mapped_column(sa.Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(sa.Text)


class RevisionRow(Base):
    """Every version ever saved, including updates refused as conflicts."""

    __tablename__ = "revisions"
    __table_args__ = (sa.UniqueConstraint("postmortem_id", "number"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    postmortem_id: Mapped[str] = _postmortem_fk()
    number: Mapped[int] = mapped_column(sa.Integer)
    kind: Mapped[str] = mapped_column(sa.String(16))
    based_on: Mapped[int | None] = mapped_column(sa.Integer)
    document: Mapped[dict[str, Any]] = mapped_column(DOCUMENT_JSON)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(sa.Text)
    note: Mapped[str | None] = mapped_column(sa.Text)


class ServiceRow(Base):
    __tablename__ = "postmortem_services"

    postmortem_id: Mapped[str] = mapped_column(
        sa.String(32), sa.ForeignKey("postmortems.id", ondelete="CASCADE"), primary_key=True
    )
    service: Mapped[str] = mapped_column(sa.Text, primary_key=True, index=True)


class TimelineEventRow(Base):
    __tablename__ = "timeline_events"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    postmortem_id: Mapped[str] = _postmortem_fk()
    position: Mapped[int] = mapped_column(sa.Integer)
    at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    event: Mapped[str | None] = mapped_column(sa.Text)
    actor: Mapped[str | None] = mapped_column(sa.Text)
    action: Mapped[str | None] = mapped_column(sa.Text)


class ActionItemRow(Base):
    __tablename__ = "action_items"
    # "Whose items are overdue" reads one owner's items in due order and stops early.
    __table_args__ = (sa.Index(None, "owner", "due"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    postmortem_id: Mapped[str] = _postmortem_fk()
    position: Mapped[int] = mapped_column(sa.Integer)
    number: Mapped[int | None] = mapped_column(sa.Integer)
    horizon: Mapped[str | None] = mapped_column(sa.String(16), index=True)
    task: Mapped[str | None] = mapped_column(sa.Text)
    owner: Mapped[str | None] = mapped_column(sa.Text)
    due: Mapped[dt.date | None] = mapped_column(sa.Date, index=True)
    status: Mapped[str | None] = mapped_column(sa.String(16), index=True)
    issue_url: Mapped[str | None] = mapped_column(sa.Text)


class ReviewRow(Base):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    postmortem_id: Mapped[str] = _postmortem_fk()
    position: Mapped[int] = mapped_column(sa.Integer)
    date: Mapped[dt.date | None] = mapped_column(sa.Date)
    reviewer: Mapped[str | None] = mapped_column(sa.Text)
    comment: Mapped[str | None] = mapped_column(sa.Text)
    # Wide enough for every ReviewStatus ("changes_requested" is 17 characters).
    status: Mapped[str | None] = mapped_column(sa.String(32))


class PostmortemCountRow(Base):
    """How many postmortems are in each status, kept by every write that adds one or
    moves one between statuses: the list's total, unfiltered or for one status, is
    read here instead of counted over every row on each view."""

    __tablename__ = "postmortem_counts"

    status: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    postmortems: Mapped[int] = mapped_column(sa.Integer)


class ReviewerRow(Base):
    """Who a postmortem asks to review it, as `person` keys: "waiting for my review"
    is an index lookup, not a read of every document in review.

    `status` and `updated_at` repeat the postmortem's (every write rewrites these
    rows), so that a reviewer's waiting postmortems, longest waiting first, and how
    many there are, are read off one index whatever else the store holds."""

    __tablename__ = "postmortem_reviewers"
    __table_args__ = (
        sa.Index(
            "ix_postmortem_reviewers_waiting",
            "reviewer_key",
            "status",
            "updated_at",
            "postmortem_id",
        ),
    )

    postmortem_id: Mapped[str] = mapped_column(
        sa.String(32), sa.ForeignKey("postmortems.id", ondelete="CASCADE"), primary_key=True
    )
    reviewer_key: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(16))
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class SearchDocumentRow(Base):
    """The searchable text of a postmortem: folded for matching, as written for snippets.

    On SQLite the FTS5 tables `search_trigram` and `search_bigram` (created by
    the migrations, not here) index `title` and `body` by this row's id; on
    PostgreSQL pg_trgm indexes them, and `bigrams` holds what pg_trgm cannot
    index: terms of one or two characters, and Japanese under a `C` ctype.
    """

    __tablename__ = "search_documents"
    __table_args__ = (
        *(
            sa.Index(
                f"ix_search_documents_{column}_trgm",
                column,
                postgresql_using="gin",
                postgresql_ops={column: "gin_trgm_ops"},
            ).ddl_if(dialect="postgresql")
            for column in ("title", "body")
        ),
        sa.Index("ix_search_documents_bigrams", "bigrams", postgresql_using="gin").ddl_if(
            dialect="postgresql"
        ),
        # The few documents too large for a tsvector are found by this, then scanned.
        sa.Index(
            "ix_search_documents_without_bigrams",
            "id",
            postgresql_where=sa.text("bigrams IS NULL"),
        ).ddl_if(dialect="postgresql"),
        # Ids are never reused, so an index entry left by a deleted row matches nothing.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    postmortem_id: Mapped[str] = mapped_column(
        sa.String(32), sa.ForeignKey("postmortems.id", ondelete="CASCADE"), unique=True
    )
    title: Mapped[str] = mapped_column(sa.Text)
    body: Mapped[str] = mapped_column(sa.Text)
    display: Mapped[str] = mapped_column(sa.Text)
    bigrams: Mapped[str | None] = mapped_column(BIGRAM_VECTOR)
    """PostgreSQL's index of characters and pairs (SQLite keeps `search_bigram`)."""


class ActionStatusChangeRow(Base):
    """Who moved an action item's status, and when (the item is known by its task)."""

    __tablename__ = "action_status_changes"
    __table_args__ = (sa.Index(None, "postmortem_id", "task"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    postmortem_id: Mapped[str] = mapped_column(
        sa.String(32), sa.ForeignKey("postmortems.id", ondelete="CASCADE")
    )
    number: Mapped[int | None] = mapped_column(sa.Integer)
    task: Mapped[str | None] = mapped_column(sa.Text)
    from_status: Mapped[str | None] = mapped_column(sa.String(16))
    to_status: Mapped[str | None] = mapped_column(sa.String(16))
    changed_by: Mapped[str] = mapped_column(sa.Text)
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ReminderSentRow(Base):
    """A reminder posted to someone on a day: the same one is not posted twice that day."""

    __tablename__ = "reminders_sent"
    __table_args__ = (sa.UniqueConstraint("owner", "sent_on", "digest"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    owner: Mapped[str] = mapped_column(sa.Text)
    sent_on: Mapped[dt.date] = mapped_column(sa.Date)
    digest: Mapped[str] = mapped_column(sa.String(64))
    sent_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class IssueExportRow(Base):
    """An issue opened for an action item: claimed before it is created, so that two runs
    never both create it, and kept with its URL once the tracker answered."""

    __tablename__ = "issue_exports"
    __table_args__ = (sa.UniqueConstraint("postmortem_id", "item_key"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    postmortem_id: Mapped[str] = mapped_column(
        sa.String(32), sa.ForeignKey("postmortems.id", ondelete="CASCADE")
    )
    item_key: Mapped[str] = mapped_column(sa.String(64))
    horizon: Mapped[str] = mapped_column(sa.String(16))
    number: Mapped[int | None] = mapped_column(sa.Integer)
    task: Mapped[str] = mapped_column(sa.Text)
    """The item as it was claimed: a claim whose key no item has any more (the item was
    retitled or renumbered) still finds its item by horizon and number, or by task."""
    repositories: Mapped[str] = mapped_column(sa.Text)
    """Every repository the issue was asked of, separated by spaces (a run may have
    opened it in any); once confirmed, the one that holds it."""
    claim_token: Mapped[str] = mapped_column(sa.String(32))
    """Which run holds the claim: only that run confirms or releases it."""
    claimed_by: Mapped[str] = mapped_column(sa.Text)
    claimed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    first_claimed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    """When the first run claimed the item: its issue, if any, is no older."""
    issue_url: Mapped[str | None] = mapped_column(sa.Text)


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # name_key(name): names that differ only in case or width are one name, and
    # sign-in finds the user by it.
    name_key: Mapped[str] = mapped_column(sa.String(64), index=True, unique=True)
    role: Mapped[str] = mapped_column(sa.String(16))
    password_hash: Mapped[str | None] = mapped_column(sa.Text)
    language: Mapped[str | None] = mapped_column(sa.String(8))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ApiTokenRow(Base):
    """A script's credential: only a SHA-256 of the token is kept, the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(
        sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(sa.Text)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class SessionRow(Base):
    """A signed-in browser: the cookie carries a random token, the row its SHA-256."""

    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)


class LoginFailureRow(Base):
    """Failed sign-ins, counted per user name and per client to slow down guessing."""

    __tablename__ = "login_failures"
    __table_args__ = (sa.Index(None, "user_name", "at"), sa.Index(None, "client", "at"))

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    user_name: Mapped[str] = mapped_column(sa.String(64))
    client: Mapped[str] = mapped_column(sa.String(64))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


CHILD_TABLES = (ServiceRow, TimelineEventRow, ActionItemRow, ReviewRow, ReviewerRow)


def table_of(row_class: type[Base]) -> sa.Table:
    """The Core table of a mapped class, for writes that need no ORM bookkeeping."""
    table = row_class.__table__
    assert isinstance(table, sa.Table)
    return table
