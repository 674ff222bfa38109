"""The OpenAPI document: FastAPI's, plus the schemas of what the API reads by hand.

Bodies that may be JSON or Markdown, and the query strings read as one model
(filters.py), are described in `openapi_extra` by reference; FastAPI does not see
those models, so their schemas are added here, or the references would point
nowhere.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from hansei.web.api.filters import ListQuery, SearchQuery
from hansei.web.api.schemas import PostmortemCreate, PostmortemUpdate

REF_TEMPLATE = "#/components/schemas/{model}"
_READ_BY_HAND: tuple[type[BaseModel], ...] = (
    PostmortemCreate,
    PostmortemUpdate,
    ListQuery,
    SearchQuery,
)


def _schemas_read_by_hand() -> dict[str, Any]:
    _, document = models_json_schema(
        [(model, "validation") for model in _READ_BY_HAND], ref_template=REF_TEMPLATE
    )
    schemas: dict[str, Any] = document.get("$defs", {})
    return schemas


def install_openapi(app: FastAPI) -> None:
    """Make `app.openapi()` return the whole document, built once."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                routes=app.routes,
            )
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            for name, schema in _schemas_read_by_hand().items():
                schemas.setdefault(name, schema)
            app.openapi_schema = document
        return app.openapi_schema

    # FastAPI's documented way to change the document: replace the method.
    app.openapi = openapi  # type: ignore[method-assign]
