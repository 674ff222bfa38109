"""/api/v1/me, /api/v1/tokens and /api/v1/users: who you are, your tokens, the team."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from hansei.errors import PermissionDeniedError
from hansei.model.access import Permission
from hansei.services import accounts
from hansei.services.accounts import SignedIn, TokenInfo, User
from hansei.web.api.schemas import TokenCreate, TokenCreated, TokenRead, UserCreate, UserRead
from hansei.web.auth import client_address, require, signed_in
from hansei.web.context import app_context
from hansei.web.errors import ERRORS
from hansei.web.parameters import RevisionNumber

router = APIRouter(tags=["accounts"])
Anyone = Annotated[SignedIn, Depends(signed_in)]
Admin = Annotated[SignedIn, Depends(require(Permission.manage_users))]


def _user_read(user: User) -> UserRead:
    return UserRead(name=user.name, role=user.role.value, language=user.language)


def _token_read(info: TokenInfo) -> TokenRead:
    return TokenRead(
        id=info.id, label=info.label, created_at=info.created_at, revoked_at=info.revoked_at
    )


@router.get("/me", response_model=UserRead, responses=ERRORS)
async def me(user: Anyone) -> UserRead:
    return _user_read(user.user)


@router.get("/tokens", response_model=list[TokenRead], responses=ERRORS)
async def my_tokens(request: Request, user: Anyone) -> list[TokenRead]:
    database = app_context(request).database
    tokens = await run_in_threadpool(accounts.list_tokens, database, user.user.name)
    return [_token_read(info) for info in tokens]


@router.post("/tokens", status_code=201, response_model=TokenCreated, responses=ERRORS)
async def create_token(
    request: Request, body: TokenCreate, user: Anyone, response: Response
) -> TokenCreated:
    """A new API token for yourself, with your role; the token is in this response only.
    Only a signed-in browser may ask, with the password again: a leaked token or a
    stolen cookie must not be able to make credentials that outlive it."""
    if user.csrf_token is None:
        raise PermissionDeniedError("an API token cannot make API tokens: sign in")
    database = app_context(request).database
    await run_in_threadpool(
        accounts.check_password,
        database,
        user.user.name,
        body.password,
        client=client_address(request),
    )
    info, secret = await run_in_threadpool(
        accounts.create_token, database, user.user.name, label=body.label
    )
    response.headers["Cache-Control"] = "no-store"
    return TokenCreated(**_token_read(info).model_dump(), token=secret)


@router.delete("/tokens/{token_id}", status_code=204, responses=ERRORS)
async def revoke_token(request: Request, token_id: RevisionNumber, user: Anyone) -> Response:
    """Revoke one of your tokens (an admin revokes others' with /users/{name}/tokens)."""
    await run_in_threadpool(
        accounts.revoke_token, app_context(request).database, user.user.name, token_id
    )
    return Response(status_code=204)


@router.get("/users", response_model=list[UserRead], responses=ERRORS)
async def list_users(request: Request, admin: Admin) -> list[UserRead]:
    users = await run_in_threadpool(accounts.list_users, app_context(request).database)
    return [_user_read(user) for user in users]


@router.post("/users", status_code=201, response_model=UserRead, responses=ERRORS)
async def add_user(request: Request, body: UserCreate, admin: Admin) -> UserRead:
    database = app_context(request).database
    # argon2 takes a good part of a second's CPU: off the event loop, so that adding
    # users does not stall every other request.
    user = await run_in_threadpool(
        accounts.add_user, database, body.name, role=body.role, password=body.password
    )
    return _user_read(user)


@router.delete("/users/{name}/tokens/{token_id}", status_code=204, responses=ERRORS)
async def revoke_users_token(
    request: Request, name: str, token_id: RevisionNumber, admin: Admin
) -> Response:
    await run_in_threadpool(accounts.revoke_token, app_context(request).database, name, token_id)
    return Response(status_code=204)
