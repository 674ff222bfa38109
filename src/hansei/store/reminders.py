"""What reminders were posted, to whom and on which day."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hansei.store.tables import ReminderSentRow


def already_sent(session: Session, *, owner: str, day: dt.date, digest: str) -> bool:
    found = session.execute(
        sa.select(ReminderSentRow.id).where(
            ReminderSentRow.owner == owner,
            ReminderSentRow.sent_on == day,
            ReminderSentRow.digest == digest,
        )
    ).first()
    return found is not None


def mark_sent(session: Session, *, owner: str, day: dt.date, digest: str, now: dt.datetime) -> None:
    session.add(ReminderSentRow(owner=owner, sent_on=day, digest=digest, sent_at=now))
