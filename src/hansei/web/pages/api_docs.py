"""/api/v1/docs: the API reference, rendered from the app's own OpenAPI schema."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from hansei.services.accounts import SignedIn
from hansei.web.auth import signed_in
from hansei.web.rendering import render

router = APIRouter(include_in_schema=False)
_METHODS = ("get", "post", "put", "patch", "delete")


def _schema_name(schema: dict[str, Any] | None) -> str:
    if not schema:
        return ""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"list of {_schema_name(schema.get('items'))}"
    if "anyOf" in schema:
        return " or ".join(_schema_name(s) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"])
    return str(schema.get("type", ""))


def operations(openapi: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for path, item in openapi.get("paths", {}).items():
        for method in _METHODS:
            if method not in item:
                continue
            operation = item[method]
            body = operation.get("requestBody", {}).get("content", {})
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "type": _schema_name(p.get("schema")),
                            "description": p.get("description")
                            or p.get("schema", {}).get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": [
                        (content_type, _schema_name(media.get("schema")))
                        for content_type, media in body.items()
                    ],
                    "responses": [
                        (
                            status,
                            _schema_name(
                                response.get("content", {})
                                .get("application/json", {})
                                .get("schema")
                            ),
                        )
                        for status, response in operation.get("responses", {}).items()
                    ],
                }
            )
    return found


@router.get("/api/v1/docs")
async def api_docs(request: Request, user: Annotated[SignedIn, Depends(signed_in)]) -> Response:
    openapi = request.app.openapi()
    schemas = openapi.get("components", {}).get("schemas", {})
    return render(
        request,
        "api_docs.html",
        user,
        operations=operations(openapi),
        schemas={
            name: [
                (field, _schema_name(spec), field in schema.get("required", []))
                for field, spec in schema.get("properties", {}).items()
            ]
            for name, schema in sorted(schemas.items())
        },
    )
