"""The REST API under /api/v1 (JSON; Markdown in and out where a document is sent)."""

from fastapi import APIRouter

from hansei.web.api import accounts, postmortems, queries, reviews

router = APIRouter()
router.include_router(postmortems.router)
router.include_router(postmortems.preview_router)
router.include_router(queries.router)
router.include_router(reviews.router)
router.include_router(accounts.router)

__all__ = ["router"]
