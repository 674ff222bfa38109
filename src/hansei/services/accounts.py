"""Users and how they prove who they are: passwords, browser sessions, API tokens.

Passwords are hashed with argon2. Session and API tokens are long random
strings; the database keeps only their SHA-256, so a copy of it lets no one in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from hansei.errors import AuthenticationError, NotFoundError, RateLimitedError, UsageError
from hansei.model.access import Role
from hansei.model.limits import describe_character, forbidden_character
from hansei.store import Database
from hansei.store import accounts as store
from hansei.store.tables import UserRow

TOKEN_PREFIX = "hansei_"
SESSION_LIFETIME = dt.timedelta(days=14)
FAILURE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_CLIENT = 30
MIN_PASSWORD_LENGTH = 8
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role
    language: str | None


@dataclass(frozen=True)
class SignedIn:
    """A user on a request, with the CSRF token of the browser session (None for a script)."""

    user: User
    csrf_token: str | None = None


@dataclass(frozen=True)
class TokenInfo:
    id: int
    label: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user(row: UserRow) -> User:
    return User(id=row.id, name=row.name, role=Role(row.role), language=row.language)


def _checked_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise UsageError(
            f"user name {name!r}: use 1-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return name


def _password_hash(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UsageError(f"password: at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher().hash(password)


def add_user(database: Database, name: str, *, role: Role, password: str | None) -> User:
    """A new user; one without a password can only use API tokens."""
    password_hash = None if password is None else _password_hash(password)
    with database.transaction() as session:
        # Taken is said first: `ａｄｍ` beside `adm` learns more from that than from the rules.
        store.refuse_taken(session, name)
        row = store.add_user(
            session,
            name=_checked_name(name),
            role=role.value,
            password_hash=password_hash,
            now=_now(),
        )
        return _user(row)


def set_password(database: Database, name: str, password: str) -> None:
    """A new password; every browser signed in as the user is signed out."""
    password_hash = _password_hash(password)
    with database.transaction() as session:
        row = store.require_user(session, name)
        row.password_hash = password_hash
        store.end_sessions_of(session, row)


def set_role(database: Database, name: str, role: Role) -> User:
    with database.transaction() as session:
        row = store.require_user(session, name)
        row.role = role.value
        return _user(row)


def set_language(database: Database, user_id: int, language: str | None) -> None:
    with database.transaction() as session:
        row = session.get(UserRow, user_id)
        if row is None:
            raise NotFoundError(f"no user with id {user_id}")
        row.language = language


def list_users(database: Database) -> list[User]:
    with database.reading() as session:
        return [_user(row) for row in store.users(session)]


def find_user(database: Database, name: str) -> User | None:
    with database.reading() as session:
        row = store.user_by_name(session, name)
        return None if row is None else _user(row)


def create_token(database: Database, name: str, *, label: str) -> tuple[TokenInfo, str]:
    """A new API token for the user: the token itself is returned here and never again."""
    if (character := forbidden_character(label)) is not None:
        raise UsageError(
            f"label: a control character ({describe_character(character)}) is not allowed"
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with database.transaction() as session:
        row = store.add_token(
            session,
            user=store.require_user(session, name),
            label=label.strip() or "token",
            token_hash=digest(secret),
            now=_now(),
        )
        return _token_info(row.id, row.label, row.created_at, row.revoked_at), secret


def _token_info(
    token_id: int, label: str, created_at: dt.datetime, revoked_at: dt.datetime | None
) -> TokenInfo:
    return TokenInfo(id=token_id, label=label, created_at=created_at, revoked_at=revoked_at)


def list_tokens(database: Database, name: str) -> list[TokenInfo]:
    with database.reading() as session:
        return [
            _token_info(row.id, row.label, row.created_at, row.revoked_at)
            for row in store.tokens_of(session, store.require_user(session, name))
        ]


def revoke_token(database: Database, name: str, token_id: int) -> TokenInfo:
    """Revoke one of the user's tokens; it stops working on the next request."""
    with database.transaction() as session:
        user = store.require_user(session, name)
        for row in store.tokens_of(session, user):
            if row.id == token_id:
                if row.revoked_at is None:
                    row.revoked_at = _now()
                return _token_info(row.id, row.label, row.created_at, row.revoked_at)
    raise NotFoundError(f"user {name!r} has no API token {token_id}")


def check_password(database: Database, name: str, password: str, *, client: str) -> None:
    """Refuse with AuthenticationError unless `password` is the user's (a second proof
    before something a stolen session must not do alone, such as making a token).

    Failures count with those of sign-in, under the same limits: a stolen session
    cookie must not become a way to guess the password.
    """
    with database.transaction() as session:
        row = _attempt(session, name, password, client=client, now=_now())
        failed = row is None
    # Raised after the transaction commits, so that the failure is remembered.
    if failed:
        raise AuthenticationError("wrong password")


def token_user(database: Database, token: str) -> SignedIn:
    with database.querying() as connection:
        row = store.user_of_token(connection, digest(token))
    if row is None:
        raise AuthenticationError("unknown or revoked API token")
    return SignedIn(User(id=row.id, name=row.name, role=Role(row.role), language=row.language))


def sign_in(database: Database, name: str, password: str, *, client: str) -> tuple[str, SignedIn]:
    """A new browser session: its cookie token and who it signs in.

    After MAX_FAILURES_PER_USER failures for a name (or MAX_FAILURES_PER_CLIENT
    from one client) within FAILURE_WINDOW, attempts are refused until the
    oldest of them leaves the window, whether the password is right or not.
    """
    now = _now()
    with database.transaction() as session:
        row = _attempt(session, name, password, client=client, now=now)
        if row is not None:
            token = secrets.token_urlsafe(32)
            csrf_token = secrets.token_urlsafe(32)
            store.add_session(
                session,
                user=row,
                token_hash=digest(token),
                csrf_token=csrf_token,
                now=now,
                expires_at=now + SESSION_LIFETIME,
            )
            signed_in = SignedIn(_user(row), csrf_token)
    # Raised after the transaction commits, so that the failure is remembered.
    if row is None:
        raise AuthenticationError("wrong user name or password")
    return token, signed_in


def _attempt(
    session: Session, name: str, password: str, *, client: str, now: dt.datetime
) -> UserRow | None:
    """The user if `password` is theirs, else None with the failure recorded; raises
    RateLimitedError, whatever the password, while the name or the client is locked out.

    Counting, checking and recording hold the name's and the client's locks until the
    caller's transaction ends, so that attempts at once are counted one after another."""
    store.lock_sign_in(session, user_name=name, client=client)
    by_user, by_client = store.recent_failures(
        session, user_name=name, client=client, since=now - FAILURE_WINDOW
    )
    for failures, limit in (
        (by_user, MAX_FAILURES_PER_USER),
        (by_client, MAX_FAILURES_PER_CLIENT),
    ):
        if len(failures) >= limit:
            reopens = failures[-limit] + FAILURE_WINDOW
            raise RateLimitedError(max(1, int((reopens - now).total_seconds()) + 1))
    # Failures older than the window count no more: they go, whatever this attempt is.
    store.forget_failures_before(session, now - FAILURE_WINDOW)
    row = store.user_by_name(session, name)
    # Checked whether the name exists or not: the time taken must not tell.
    matches = _password_matches(row.password_hash if row else None, password)
    if row is None or not matches:
        store.record_failure(session, user_name=name, client=client, now=now)
        return None
    store.forget_failures(session, user_name=name)
    return row


_UNKNOWN_USER_HASH: list[str] = []


def _password_matches(password_hash: str | None, password: str) -> bool:
    if password_hash is None:
        # Spend the same time as a real check, so that timing does not tell which names exist.
        if not _UNKNOWN_USER_HASH:
            _UNKNOWN_USER_HASH.append(_hasher().hash(secrets.token_hex(16)))
        password_hash = _UNKNOWN_USER_HASH[0]
        password = ""
    try:
        return _hasher().verify(password_hash, password) and bool(password)
    except (VerificationError, InvalidHashError):
        return False


def session_user(database: Database, token: str) -> SignedIn | None:
    with database.querying() as connection:
        row = store.session_of(connection, digest(token), _now())
    if row is None:
        return None
    user = User(id=row.id, name=row.name, role=Role(row.role), language=row.language)
    return SignedIn(user, row.csrf_token)


def sign_out(database: Database, token: str) -> None:
    with database.transaction() as session:
        store.end_session(session, digest(token))
