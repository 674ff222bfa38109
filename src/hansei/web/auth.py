"""Who is asking: a browser session cookie or an API token, and what their role allows.

A browser proves each change with the CSRF token of its session (a form field
or the X-CSRF-Token header); a script sends `Authorization: Bearer <token>`,
which a page on another site cannot make a browser send, so it needs none.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Awaitable, Callable
from typing import TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from hansei.errors import AuthenticationError, PermissionDeniedError
from hansei.model.access import Permission, allows
from hansei.services import accounts
from hansei.services.accounts import SignedIn
from hansei.services.connection import Database
from hansei.web.body_limit import read_form
from hansei.web.context import app_context

_Found = TypeVar("_Found")
SESSION_COOKIE = "hansei_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class NotSignedInError(AuthenticationError):
    """No session and no token: pages send the browser to the login page."""


class CsrfError(PermissionDeniedError):
    """A change from a browser without its session's CSRF token."""


async def signed_in(request: Request) -> SignedIn:
    database = app_context(request).database
    header = request.headers.get("authorization", "")
    scheme, _, credential = header.partition(" ")
    if scheme.lower() == "bearer" and credential.strip():
        return await _looked_up(database, accounts.token_user, credential.strip())
    token = request.cookies.get(SESSION_COOKIE)
    user = await _looked_up(database, accounts.session_user, token) if token else None
    if user is None:
        raise NotSignedInError("sign in first: no session cookie and no API token")
    if request.method not in _SAFE_METHODS:
        await _check_csrf(request, user)
    return user


async def _looked_up(
    database: Database, lookup: Callable[[Database, str], _Found], credential: str
) -> _Found:
    """One indexed row. On PostgreSQL, looked up in a worker thread: a lock or a busy
    pool can keep it waiting, and the event loop must go on answering meanwhile. SQLite
    (in WAL mode) never keeps a reader waiting, and the hop to a thread would cost more
    than the lookup: a quarter of a small API call's throughput, measured."""
    if database.dialect == "sqlite":
        return lookup(database, credential)
    return await run_in_threadpool(lookup, database, credential)


async def _check_csrf(request: Request, user: SignedIn) -> None:
    expected = user.csrf_token
    assert expected is not None
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        # Read whole first, so that a handler can read the body again; unless FastAPI
        # has parsed the form already (for Form() parameters), which keeps it.
        with contextlib.suppress(RuntimeError):
            await request.body()
        value = (await read_form(request)).get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if given is None or not secrets.compare_digest(given, expected):
        raise CsrfError("the form is out of date or came from another site: reload and try again")


def require(permission: Permission) -> Callable[..., Awaitable[SignedIn]]:
    """A dependency: the signed-in user, refused unless their role allows `permission`."""

    # Calls signed_in itself rather than depending on it: one dependency a request
    # instead of two is a measurable share of a small API call.
    async def dependency(request: Request) -> SignedIn:
        user = await signed_in(request)
        check_permission(user, permission)
        return user

    return dependency


def check_permission(user: SignedIn, permission: Permission) -> None:
    """Refuse with PermissionDeniedError unless the user's role allows `permission`."""
    if not allows(user.user.role, permission):
        raise PermissionDeniedError(
            f"your role ({user.user.role.value}) does not allow this ({permission.value})"
        )


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
