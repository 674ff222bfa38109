"""Issues opened for action items: claimed before creation, kept with their URL after."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hansei.store.database import insert_or_ignore
from hansei.store.tables import IssueExportRow, table_of

_EXPORTS = table_of(IssueExportRow)


@dataclass(frozen=True)
class ClaimedItem:
    """An item as a claim knows it: by its key, and what it said when it was claimed."""

    key: str
    horizon: str
    number: int | None
    task: str


@dataclass(frozen=True)
class EarlierClaim:
    item: ClaimedItem
    repositories: tuple[str, ...]
    """Where the issue was asked for, first first; once confirmed, where it is."""
    claimed_by: str
    claimed_at: dt.datetime
    first_claimed_at: dt.datetime
    issue_url: str | None
    """None: claimed but not confirmed (a run is at it, or one ended without knowing)."""


@dataclass(frozen=True)
class Claim:
    """This run's hold on an item: only the holder of `token` confirms or releases it."""

    postmortem_id: str
    item_key: str
    token: str
    taken_over: EarlierClaim | None = None
    """The unconfirmed claim of a run that is over: its issue may exist."""


_COLUMNS = (
    _EXPORTS.c.item_key,
    _EXPORTS.c.horizon,
    _EXPORTS.c.number,
    _EXPORTS.c.task,
    _EXPORTS.c.repositories,
    _EXPORTS.c.claimed_by,
    _EXPORTS.c.claimed_at,
    _EXPORTS.c.first_claimed_at,
    _EXPORTS.c.issue_url,
)


def _earlier(row: Sequence[Any]) -> EarlierClaim:
    key, horizon, number, task, repositories, *rest = row
    return EarlierClaim(ClaimedItem(key, horizon, number, task), tuple(repositories.split()), *rest)


def claim(
    session: Session,
    *,
    postmortem_id: str,
    item: ClaimedItem,
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
        "item_key": item.key,
        "horizon": item.horizon,
        "number": item.number,
        "task": item.task,
        "repositories": repository,
        "claim_token": token,
        "claimed_by": user,
        "claimed_at": now,
        "first_claimed_at": now,
    }
    mine = (_EXPORTS.c.postmortem_id == postmortem_id, _EXPORTS.c.item_key == item.key)
    while True:
        statement = insert_or_ignore(session, _EXPORTS, values)
        if session.execute(statement.returning(_EXPORTS.c.id)).first() is not None:
            return Claim(postmortem_id, item.key, token)
        row = session.execute(sa.select(*_COLUMNS, _EXPORTS.c.claim_token).where(*mine)).first()
        if row is not None:
            break
        # Given back between the insert and the look: try again.
    earlier = _earlier(row[:-1])
    if earlier.issue_url is not None or earlier.claimed_at >= take_over_before:
        return earlier
    # The first claim's time stays, and this run's repository joins the earlier ones before
    # anything is sent: they say where and since when to look.
    asked = " ".join(dict.fromkeys([*earlier.repositories, repository]))
    taken = session.execute(
        sa.update(_EXPORTS)
        .where(*mine, _EXPORTS.c.issue_url.is_(None), _EXPORTS.c.claim_token == row[-1])
        .values(claim_token=token, claimed_by=user, claimed_at=now, repositories=asked)
        .returning(_EXPORTS.c.id)
    ).first()
    if taken is None:
        return earlier
    return Claim(postmortem_id, item.key, token, taken_over=earlier)


def _held(held: Claim) -> tuple[sa.ColumnElement[bool], ...]:
    return (
        _EXPORTS.c.postmortem_id == held.postmortem_id,
        _EXPORTS.c.item_key == held.item_key,
        _EXPORTS.c.claim_token == held.token,
    )


def confirm(session: Session, held: Claim, issue_url: str, repository: str) -> bool:
    """Keep the issue's URL (and its repository) with the claim; False when another run
    took the claim over."""
    done = session.execute(
        sa.update(_EXPORTS)
        .where(*_held(held), _EXPORTS.c.issue_url.is_(None))
        .values(issue_url=issue_url, repositories=repository)
        .returning(_EXPORTS.c.id)
    ).first()
    return done is not None


def release(session: Session, held: Claim) -> None:
    """Give a claim back: no issue was created, and the next run tries again."""
    session.execute(sa.delete(_EXPORTS).where(*_held(held), _EXPORTS.c.issue_url.is_(None)))


def rekey(session: Session, postmortem_id: str, old_key: str, item: ClaimedItem) -> None:
    """The claim follows its item to a new key (the item was retitled or renumbered),
    unless a claim holds that key already."""
    other = _EXPORTS.alias("other")
    taken = sa.exists().where(other.c.postmortem_id == postmortem_id, other.c.item_key == item.key)
    session.execute(
        sa.update(_EXPORTS)
        .where(_EXPORTS.c.postmortem_id == postmortem_id, _EXPORTS.c.item_key == old_key, ~taken)
        .values(item_key=item.key, horizon=item.horizon, number=item.number, task=item.task)
    )


def claims_of(session: Session, postmortem_id: str) -> list[EarlierClaim]:
    """The claims on a postmortem's items."""
    rows = session.execute(
        sa.select(*_COLUMNS)
        .where(_EXPORTS.c.postmortem_id == postmortem_id)
        .order_by(_EXPORTS.c.id)
    )
    return [_earlier(row) for row in rows]
