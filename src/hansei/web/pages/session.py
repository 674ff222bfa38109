"""Signing in and out, and the UI language of a browser."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from hansei.errors import AuthenticationError, RateLimitedError
from hansei.services import accounts
from hansei.services.accounts import SESSION_LIFETIME, SignedIn
from hansei.web.auth import SESSION_COOKIE, client_address, signed_in
from hansei.web.context import app_context
from hansei.web.i18n import LANGUAGE_COOKIE, LANGUAGES, words
from hansei.web.parameters import FormLine
from hansei.web.rendering import render, ui_language

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "hansei_login_csrf"


def _safe_next(target: str | None) -> str:
    """Only a path on this site: `//evil.example` or a full URL would leave it."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def _secure(request: Request) -> bool:
    # Behind a TLS-terminating proxy, uvicorn's proxy headers make this "https".
    return request.url.scheme == "https"


def _login_page(
    request: Request, next_path: str, *, error: str | None = None, status_code: int = 200
) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(
        request,
        "login.html",
        None,
        status_code=status_code,
        login_csrf=token,
        next_path=next_path,
        error=error,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path="/login",
    )
    return response


@router.get("/login")
async def login_form(request: Request, next: str | None = None) -> Response:
    return _login_page(request, _safe_next(next))


@router.post("/login")
async def login(
    request: Request,
    name: Annotated[FormLine, Form()],
    password: Annotated[str, Form()],
    login_csrf: Annotated[str, Form()] = "",
    next_path: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    t = words(ui_language(request, None))
    target = _safe_next(next_path)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, login_csrf):
        return _login_page(request, target, error=t("form_expired"), status_code=400)
    try:
        # argon2 takes a good part of a second's CPU: off the event loop, so that
        # sign-ins do not stall every other request.
        token, _ = await run_in_threadpool(
            accounts.sign_in,
            app_context(request).database,
            name.strip(),
            password,
            client=client_address(request),
        )
    except RateLimitedError as error:
        response = _login_page(
            request, target, error=t("login_limited", seconds=error.retry_after), status_code=429
        )
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    except AuthenticationError:
        return _login_page(request, target, error=t("login_failed"), status_code=401)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
async def logout(request: Request, user: Annotated[SignedIn, Depends(signed_in)]) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await run_in_threadpool(accounts.sign_out, app_context(request).database, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/language")
async def choose_language(
    request: Request,
    user: Annotated[SignedIn, Depends(signed_in)],
    language: Annotated[str, Form()],
    next_path: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    """The UI language, kept with the user (and in a cookie for the login page)."""
    chosen = language if language in LANGUAGES else None
    await run_in_threadpool(
        accounts.set_language, app_context(request).database, user.user.id, chosen
    )
    response = RedirectResponse(_safe_next(next_path), status_code=303)
    if chosen:
        response.set_cookie(
            LANGUAGE_COOKIE, chosen, max_age=365 * 86400, samesite="lax", secure=_secure(request)
        )
    return response
