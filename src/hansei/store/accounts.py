"""Users, API tokens, browser sessions and failed sign-ins."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hansei.errors import NotFoundError, UsageError
from hansei.model.access import name_key
from hansei.store.database import Reader
from hansei.store.tables import ApiTokenRow, LoginFailureRow, SessionRow, UserRow


def user_by_name(session: Session, name: str) -> UserRow | None:
    """The user whose name is `name` without regard to case and width (`ADM` finds `adm`)."""
    return session.scalars(
        sa.select(UserRow).where(UserRow.name_key == name_key(name))
    ).one_or_none()


def require_user(session: Session, name: str) -> UserRow:
    row = user_by_name(session, name)
    if row is None:
        raise NotFoundError(f"no user named {name!r}")
    return row


def refuse_taken(session: Session, name: str) -> None:
    """UsageError if `name`, or a name that differs from it only in case or width, is taken."""
    existing = user_by_name(session, name)
    if existing is not None:
        same = "" if existing.name == name else " (names differing only in case or width are one)"
        raise UsageError(f"a user named {existing.name!r} exists already{same}")


def add_user(
    session: Session, *, name: str, role: str, password_hash: str | None, now: dt.datetime
) -> UserRow:
    refuse_taken(session, name)
    row = UserRow(
        name=name, name_key=name_key(name), role=role, password_hash=password_hash, created_at=now
    )
    try:
        # In a savepoint: on PostgreSQL a failed INSERT spoils the transaction, and the
        # name that won must still be read for the message.
        with session.begin_nested():
            session.add(row)
    except sa.exc.IntegrityError:
        # Another transaction added the name (or a case or width variant of it) after
        # the check above: the unique index on name_key decided, the refusal is the same.
        refuse_taken(session, name)
        raise
    return row


def users(session: Session) -> list[UserRow]:
    return list(session.scalars(sa.select(UserRow).order_by(UserRow.name)))


def add_token(
    session: Session, *, user: UserRow, label: str, token_hash: str, now: dt.datetime
) -> ApiTokenRow:
    row = ApiTokenRow(user_id=user.id, label=label, token_hash=token_hash, created_at=now)
    session.add(row)
    session.flush()
    return row


def tokens_of(session: Session, user: UserRow) -> list[ApiTokenRow]:
    return list(
        session.scalars(
            sa.select(ApiTokenRow).where(ApiTokenRow.user_id == user.id).order_by(ApiTokenRow.id)
        )
    )


# Who a request is, asked once per request: built once, only the columns needed.
_USER_COLUMNS = (UserRow.id, UserRow.name, UserRow.role, UserRow.language)
_USER_OF_TOKEN = (
    sa.select(*_USER_COLUMNS)
    .join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
    .where(ApiTokenRow.token_hash == sa.bindparam("token_hash"), ApiTokenRow.revoked_at.is_(None))
)
_USER_OF_SESSION = (
    sa.select(*_USER_COLUMNS, SessionRow.csrf_token)
    .join(SessionRow, SessionRow.user_id == UserRow.id)
    .where(
        SessionRow.token_hash == sa.bindparam("token_hash"),
        SessionRow.expires_at > sa.bindparam("now", type_=SessionRow.expires_at.type),
    )
)


def user_of_token(session: Reader, token_hash: str) -> sa.Row[Any] | None:
    """The user (id, name, role, language) of a token that is not revoked."""
    return session.execute(_USER_OF_TOKEN, {"token_hash": token_hash}).one_or_none()


def add_session(
    session: Session,
    *,
    user: UserRow,
    token_hash: str,
    csrf_token: str,
    now: dt.datetime,
    expires_at: dt.datetime,
) -> None:
    session.execute(sa.delete(SessionRow).where(SessionRow.expires_at < now))
    session.add(
        SessionRow(
            token_hash=token_hash,
            user_id=user.id,
            csrf_token=csrf_token,
            created_at=now,
            expires_at=expires_at,
        )
    )


def session_of(session: Reader, token_hash: str, now: dt.datetime) -> sa.Row[Any] | None:
    """The user (id, name, role, language) and CSRF token of a session not expired."""
    return session.execute(_USER_OF_SESSION, {"token_hash": token_hash, "now": now}).one_or_none()


def end_session(session: Session, token_hash: str) -> None:
    session.execute(sa.delete(SessionRow).where(SessionRow.token_hash == token_hash))


def end_sessions_of(session: Session, user: UserRow) -> None:
    session.execute(sa.delete(SessionRow).where(SessionRow.user_id == user.id))


def _failure_name(user_name: str) -> str:
    # Counted by key, so that `ADM` and `ａｄｍ` add up with `adm` instead of each
    # getting a limit of their own.
    return name_key(user_name)[:64]


def lock_sign_in(session: Session, *, user_name: str, client: str) -> None:
    """Hold, until the transaction ends, the right to count and record sign-in attempts
    for this name and this client.

    Without it, parallel attempts on PostgreSQL each count the failures committed before
    any of them and each get a password check: 25 at once beat a limit of 5. SQLite
    needs nothing: a writer's transaction holds the whole database already.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    keys = {
        _lock_key(f"sign-in name {_failure_name(user_name)}"),
        _lock_key(f"sign-in client {client[:64]}"),
    }
    # Always in the same order: two attempts that share a name and a client, each
    # holding one lock and waiting for the other, would deadlock.
    for key in sorted(keys):
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(key)))


def _lock_key(text: str) -> int:
    """A signed 64-bit advisory lock key for `text`, the same in every process."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big", signed=True)


def record_failure(session: Session, *, user_name: str, client: str, now: dt.datetime) -> None:
    session.add(LoginFailureRow(user_name=_failure_name(user_name), client=client[:64], at=now))


def recent_failures(
    session: Session, *, user_name: str, client: str, since: dt.datetime
) -> tuple[list[dt.datetime], list[dt.datetime]]:
    """When the user name, and the client, last failed to sign in since `since` (oldest first)."""

    def times(condition: sa.ColumnElement[bool]) -> list[dt.datetime]:
        return list(
            session.scalars(
                sa.select(LoginFailureRow.at)
                .where(condition, LoginFailureRow.at >= since)
                .order_by(LoginFailureRow.at)
            )
        )

    return (
        times(LoginFailureRow.user_name == _failure_name(user_name)),
        times(LoginFailureRow.client == client[:64]),
    )


def forget_failures_before(session: Session, before: dt.datetime) -> None:
    session.execute(sa.delete(LoginFailureRow).where(LoginFailureRow.at < before))


def forget_failures(session: Session, *, user_name: str) -> None:
    session.execute(
        sa.delete(LoginFailureRow).where(LoginFailureRow.user_name == _failure_name(user_name))
    )
