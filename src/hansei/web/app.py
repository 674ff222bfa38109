"""The web app: create_app(settings) builds it; nothing connects until it starts."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from anyio import to_thread
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hansei.config import Settings, load_settings
from hansei.model import issue_label
from hansei.services.accounts import SignedIn
from hansei.services.connection import Database, open_database
from hansei.web import api, pages
from hansei.web.api.openapi import install_openapi
from hansei.web.auth import signed_in
from hansei.web.body_limit import BodyLimit
from hansei.web.context import STATIC, TEMPLATES, AppContext
from hansei.web.errors import install_error_handlers
from hansei.web.figures import duration, local_time
from hansei.web.parameters import refuse_control_characters

API_PREFIX = "/api/v1"
_STATIC_PREFIX = "/static/"
# Pages run only the app's own script; inline styles and scripts are refused, so text
# that slipped through escaping could still not run.
_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


WORKER_THREADS = 8
"""Threads that read the store for requests (anyio's default is 40; the pool holds 15)."""


def create_app(settings: Settings, *, database: Database | None = None) -> FastAPI:
    """The app for `settings`; the database opens when the app starts (or is given)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = database or open_database(settings.resolved_database_url(), create=True)
        templates = _templates(settings)
        app.state.context = AppContext(settings=settings, database=opened, templates=templates)
        # Reads run in worker threads, each holding one of the pool's connections: more
        # threads than that only queue for a connection, and contend for the GIL.
        to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        # What start-up made lives as long as the process: full collections need not
        # walk it again and again, stalling every connection while they do.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            if database is None:
                opened.dispose()

    app = FastAPI(
        title="hansei",
        summary="Postmortems for teams that run services against SLOs.",
        version="1",
        lifespan=lifespan,
        # Served below, behind sign-in like every endpoint but login and health.
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(refuse_control_characters)],
    )
    app.include_router(api.router, prefix=API_PREFIX)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    install_error_handlers(app)
    install_openapi(app)

    @app.get(f"{API_PREFIX}/openapi.json", include_in_schema=False)
    async def openapi(user: Annotated[SignedIn, Depends(signed_in)]) -> dict[str, Any]:
        return app.openapi()

    @app.get("/health", include_in_schema=False)
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    app.add_middleware(BodyLimit, document_bytes=settings.max_document_bytes)
    app.add_middleware(SecurityHeaders)
    return app


class SecurityHeaders:
    """Headers every response carries (a plain ASGI middleware: it costs next to nothing)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        # Everything but the static files is someone's: postmortems, tokens, CSRF
        # tokens. A shared or browser cache must not keep it for the next person.
        private = not scope["path"].startswith(_STATIC_PREFIX)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", _CONTENT_SECURITY_POLICY)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                if private:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _templates(settings: Settings) -> Jinja2Templates:
    templates = Jinja2Templates(directory=TEMPLATES)
    templates.env.trim_blocks = True
    templates.env.lstrip_blocks = True
    templates.env.filters["local"] = local_time(settings.timezone)
    templates.env.filters["duration"] = duration
    templates.env.filters["issue_label"] = issue_label
    return templates


def app_from_environment() -> FastAPI:
    """The app for HANSEI_* settings: what `hansei serve` runs in each worker process."""
    return create_app(load_settings())
