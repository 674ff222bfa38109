"""The account page: who you are, your role, your API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from hansei.errors import AuthenticationError, RateLimitedError
from hansei.services import accounts
from hansei.services.accounts import SignedIn
from hansei.web.auth import client_address, signed_in
from hansei.web.context import app_context
from hansei.web.i18n import words
from hansei.web.parameters import FormLine, RevisionNumber
from hansei.web.rendering import render, ui_language

router = APIRouter(include_in_schema=False)
Anyone = Annotated[SignedIn, Depends(signed_in)]


async def _account_page(
    request: Request,
    user: SignedIn,
    new_token: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    tokens = await run_in_threadpool(
        accounts.list_tokens, app_context(request).database, user.user.name
    )
    return render(
        request,
        "account.html",
        user,
        status_code=status_code,
        tokens=tokens,
        new_token=new_token,
        error=error,
    )


@router.get("/account")
async def account(request: Request, user: Anyone) -> Response:
    return await _account_page(request, user)


@router.post("/account/tokens")
async def create_token(
    request: Request,
    user: Anyone,
    password: Annotated[str, Form()],
    label: Annotated[FormLine, Form()] = "token",
) -> Response:
    database = app_context(request).database
    t = words(ui_language(request, user))
    try:
        # The password again: a stolen session alone must not make lasting credentials.
        await run_in_threadpool(
            accounts.check_password,
            database,
            user.user.name,
            password,
            client=client_address(request),
        )
    except RateLimitedError as error:
        response = await _account_page(
            request, user, error=t("login_limited", seconds=error.retry_after), status_code=429
        )
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    except AuthenticationError:
        return await _account_page(request, user, error=t("login_failed"), status_code=401)
    _, secret = await run_in_threadpool(
        accounts.create_token, database, user.user.name, label=label
    )
    # Shown in this response only: no redirect, so that it is never in a URL or a log.
    response = await _account_page(request, user, new_token=secret)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/account/tokens/{token_id}/revoke")
async def revoke_token(request: Request, token_id: RevisionNumber, user: Anyone) -> Response:
    await run_in_threadpool(
        accounts.revoke_token, app_context(request).database, user.user.name, token_id
    )
    return RedirectResponse("/account", status_code=303)
