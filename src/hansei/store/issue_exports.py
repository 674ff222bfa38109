"""Issues opened for action items: claimed before creation, kept with their URL after."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hansei.store.database import insert_or_ignore
from hansei.store.tables import IssueExportRow, table_of

_EXPORTS = table_of(IssueExportRow)


@dataclass(frozen=True)
class Claim:
    """This run's hold on an item: only the holder of `token` confirms or releases it."""

    postmortem_id: str
    item_key: str
    token: str
    taken_over_from: dt.datetime | None = None
    """When the run whose unconfirmed claim this took over had claimed the item: its issue
    may exist, created since then."""


@dataclass(frozen=True)
class EarlierClaim:
    repository: str
    claimed_by: str
    claimed_at: dt.datetime
    issue_url: str | None
    """None: claimed but not confirmed (a run is at it, or one ended without knowing)."""


def claim(
    session: Session,
    *,
    postmortem_id: str,
    item_key: str,
    repository: str,
    user: str,
    now: dt.datetime,
    take_over_before: dt.datetime,
) -> Claim | EarlierClaim:
    """Take the item for creating its issue, else the claim that holds it (the unique key
    decides between two runs at once). An unconfirmed claim made before
    `take_over_before` belongs to a run that is over: it is taken over."""
    token = uuid.uuid4().hex
    values = {
        "postmortem_id": postmortem_id,
        "item_key": item_key,
        "repository": repository,
        "claim_token": token,
        "claimed_by": user,
        "claimed_at": now,
    }
    statement = insert_or_ignore(session, _EXPORTS, values)
    if session.execute(statement.returning(_EXPORTS.c.id)).first() is not None:
        return Claim(postmortem_id, item_key, token)
    mine = (_EXPORTS.c.postmortem_id == postmortem_id, _EXPORTS.c.item_key == item_key)
    row = session.execute(
        sa.select(
            _EXPORTS.c.repository,
            _EXPORTS.c.claimed_by,
            _EXPORTS.c.claimed_at,
            _EXPORTS.c.issue_url,
            _EXPORTS.c.claim_token,
        ).where(*mine)
    ).one()
    earlier = EarlierClaim(*row[:4])
    if earlier.issue_url is not None or earlier.claimed_at >= take_over_before:
        return earlier
    taken = session.execute(
        sa.update(_EXPORTS)
        .where(*mine, _EXPORTS.c.issue_url.is_(None), _EXPORTS.c.claim_token == row.claim_token)
        .values(repository=repository, claim_token=token, claimed_by=user, claimed_at=now)
        .returning(_EXPORTS.c.id)
    ).first()
    if taken is None:
        return earlier
    return Claim(postmortem_id, item_key, token, taken_over_from=earlier.claimed_at)


def _held(held: Claim) -> tuple[sa.ColumnElement[bool], ...]:
    return (
        _EXPORTS.c.postmortem_id == held.postmortem_id,
        _EXPORTS.c.item_key == held.item_key,
        _EXPORTS.c.claim_token == held.token,
    )


def confirm(session: Session, held: Claim, issue_url: str) -> bool:
    """Keep the issue's URL with the claim; False when another run took the claim over."""
    done = session.execute(
        sa.update(_EXPORTS)
        .where(*_held(held), _EXPORTS.c.issue_url.is_(None))
        .values(issue_url=issue_url)
        .returning(_EXPORTS.c.id)
    ).first()
    return done is not None


def release(session: Session, held: Claim) -> None:
    """Give a claim back: no issue was created, and the next run tries again."""
    session.execute(sa.delete(_EXPORTS).where(*_held(held), _EXPORTS.c.issue_url.is_(None)))


def claims_of(session: Session, postmortem_id: str) -> dict[str, EarlierClaim]:
    """The claims on a postmortem's items, by item key."""
    rows = session.execute(
        sa.select(
            _EXPORTS.c.item_key,
            _EXPORTS.c.repository,
            _EXPORTS.c.claimed_by,
            _EXPORTS.c.claimed_at,
            _EXPORTS.c.issue_url,
        ).where(_EXPORTS.c.postmortem_id == postmortem_id)
    )
    return {row.item_key: EarlierClaim(*row[1:]) for row in rows}
