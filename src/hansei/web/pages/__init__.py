"""The HTML pages (server-rendered; the editor's rows and live figures use a little JS)."""

from fastapi import APIRouter

from hansei.web.pages import (
    account,
    actions,
    api_docs,
    editor,
    postmortems,
    reviews,
    session,
)

router = APIRouter()
# The editor first: /postmortems/new must not be taken for a postmortem id.
for module in (session, editor, postmortems, reviews, actions, account, api_docs):
    router.include_router(module.router)

__all__ = ["router"]
