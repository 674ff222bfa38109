"""What reminders were posted, to whom and on which day."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hansei.store.database import insert_or_ignore
from hansei.store.tables import ReminderSentRow, table_of

_SENT = table_of(ReminderSentRow)


def claim(session: Session, *, owner: str, day: dt.date, digest: str, now: dt.datetime) -> bool:
    """Take the reminder for posting; False when it is taken already (by an earlier run
    today, or by a run going on at the same time): the unique key decides."""
    values = {"owner": owner, "sent_on": day, "digest": digest, "sent_at": now}
    statement = insert_or_ignore(session, _SENT, values)
    return session.execute(statement.returning(_SENT.c.id)).first() is not None


def release(session: Session, *, owner: str, day: dt.date, digest: str) -> None:
    """Give a claim back: its post failed, and the next run tries again."""
    session.execute(
        sa.delete(_SENT).where(
            _SENT.c.owner == owner, _SENT.c.sent_on == day, _SENT.c.digest == digest
        )
    )
