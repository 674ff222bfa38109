"""The OpenAPI document the app serves is valid and whole: every reference resolves."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from openapi_spec_validator import validate

from hansei.model.access import Role
from tests.web.site import Site


@pytest.fixture(scope="module")
def document(site: Site) -> dict[str, Any]:
    with site.api(Role.viewer) as api:
        response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    served: dict[str, Any] = response.json()
    return served


def test_the_document_is_valid_openapi(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    # Raises on any error, a reference to nowhere included.
    validate(document)


def test_every_schema_reference_points_to_a_schema(document: dict[str, Any]) -> None:
    referenced = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(document)))
    assert referenced
    assert sorted(referenced - set(document["components"]["schemas"])) == []


@pytest.mark.parametrize(
    ("path", "method", "schema"),
    [
        ("/api/v1/postmortems", "post", "PostmortemCreate"),
        ("/api/v1/postmortems/{postmortem_id}", "put", "PostmortemUpdate"),
        ("/api/v1/postmortems/{postmortem_id}", "post", "PostmortemUpdate"),
    ],
)
def test_document_bodies_are_described_by_their_models(
    document: dict[str, Any], path: str, method: str, schema: str
) -> None:
    content = document["paths"][path][method]["requestBody"]["content"]
    assert content["application/json"]["schema"] == {"$ref": f"#/components/schemas/{schema}"}
    described = document["components"]["schemas"][schema]
    assert "postmortem" in described["properties"]
    assert "postmortem" in described["required"]


def test_the_list_sort_order_names_every_order(document: dict[str, Any]) -> None:
    parameters = document["paths"]["/api/v1/postmortems"]["get"]["parameters"]
    (sort,) = [p for p in parameters if p["name"] == "sort"]
    reference = sort["schema"]["$ref"].rsplit("/", 1)[-1]
    orders = document["components"]["schemas"][reference]["enum"]
    assert set(orders) == {
        "newest",
        "oldest",
        "title",
        "severity",
        "downtime",
        "updated",
        "waiting",
    }
