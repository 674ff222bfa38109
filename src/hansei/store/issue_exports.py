"""Issues opened for action items: claimed before creation, kept with their URL after."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hansei.store.tables import IssueExportRow, table_of

_EXPORTS = table_of(IssueExportRow)


@dataclass(frozen=True)
class EarlierClaim:
    repository: str
    claimed_by: str
    claimed_at: dt.datetime
    issue_url: str | None
    """None: claimed but never confirmed (a run died, or one is running now)."""


def claim(
    session: Session,
    *,
    postmortem_id: str,
    item_key: str,
    repository: str,
    user: str,
    now: dt.datetime,
    take_over_before: dt.datetime | None = None,
) -> EarlierClaim | None:
    """Take the item for creating its issue: None when taken now, else the earlier claim
    (the unique key decides between two runs at once). An unconfirmed claim made before
    `take_over_before` is taken over: its run is known to have ended without an issue."""
    values = {
        "postmortem_id": postmortem_id,
        "item_key": item_key,
        "repository": repository,
        "claimed_by": user,
        "claimed_at": now,
    }
    statement: sa.Insert
    if session.get_bind().dialect.name == "postgresql":
        statement = postgresql.insert(_EXPORTS).values(values).on_conflict_do_nothing()
    else:
        statement = sqlite.insert(_EXPORTS).values(values).on_conflict_do_nothing()
    if session.execute(statement.returning(_EXPORTS.c.id)).first() is not None:
        return None
    if take_over_before is not None:
        taken = session.execute(
            sa.update(_EXPORTS)
            .where(
                _EXPORTS.c.postmortem_id == postmortem_id,
                _EXPORTS.c.item_key == item_key,
                _EXPORTS.c.issue_url.is_(None),
                _EXPORTS.c.claimed_at < take_over_before,
            )
            .values(repository=repository, claimed_by=user, claimed_at=now)
            .returning(_EXPORTS.c.id)
        ).first()
        if taken is not None:
            return None
    earlier = session.execute(
        sa.select(
            _EXPORTS.c.repository,
            _EXPORTS.c.claimed_by,
            _EXPORTS.c.claimed_at,
            _EXPORTS.c.issue_url,
        ).where(_EXPORTS.c.postmortem_id == postmortem_id, _EXPORTS.c.item_key == item_key)
    ).one()
    return EarlierClaim(*earlier)


def confirm(session: Session, *, postmortem_id: str, item_key: str, issue_url: str) -> None:
    session.execute(
        sa.update(_EXPORTS)
        .where(_EXPORTS.c.postmortem_id == postmortem_id, _EXPORTS.c.item_key == item_key)
        .values(issue_url=issue_url)
    )


def release(session: Session, *, postmortem_id: str, item_key: str) -> None:
    """Give a claim back: the issue was not created, and the next run tries again."""
    session.execute(
        sa.delete(_EXPORTS).where(
            _EXPORTS.c.postmortem_id == postmortem_id,
            _EXPORTS.c.item_key == item_key,
            _EXPORTS.c.issue_url.is_(None),
        )
    )
