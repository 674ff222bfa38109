"""Rendering a page: the template, the user, the UI language and the CSRF token."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from hansei.model.access import Permission, allows
from hansei.services.accounts import SignedIn
from hansei.web.context import app_context
from hansei.web.i18n import LANGUAGE_COOKIE, choose_language, has_word, words


def ui_language(request: Request, user: SignedIn | None) -> str:
    return choose_language(
        chosen=user.user.language if user else None,
        cookie=request.cookies.get(LANGUAGE_COOKIE),
        accept_language=request.headers.get("accept-language"),
        default=app_context(request).settings.language,
    )


def render(
    request: Request,
    template: str,
    user: SignedIn | None,
    *,
    status_code: int = 200,
    **values: Any,
) -> HTMLResponse:
    language = ui_language(request, user)

    def can(permission: str) -> bool:
        return user is not None and allows(user.user.role, Permission(permission))

    context = {
        "can": can,
        "request": request,
        "user": user,
        "csrf_token": user.csrf_token if user else None,
        "lang": language,
        "t": words(language),
        "has_word": has_word,
        **values,
    }
    return app_context(request).templates.TemplateResponse(
        request, template, context, status_code=status_code
    )


def render_error(
    request: Request, status: int, message: str, details: list[str] | None = None
) -> HTMLResponse:
    return render(
        request,
        "error.html",
        None,
        status_code=status,
        status=status,
        message=message,
        details=details or [],
    )
