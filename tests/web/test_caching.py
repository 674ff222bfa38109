"""What a browser or a proxy may keep: nothing of a signed-in page or an API answer."""

from __future__ import annotations

import pytest

from hansei.model.access import Role
from tests.conftest import EXAMPLES
from tests.web.site import Site, post_markdown

EXAMPLE = EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md"

PAGES = [
    "/",
    "/?q=API",
    "/postmortems/{id}",
    "/postmortems/{id}/edit",
    "/postmortems/{id}/history",
    "/postmortems/{id}/export.md",
    "/postmortems/new",
    "/actions",
    "/account",
    "/api/v1/docs",
]
API = [
    "/api/v1/me",
    "/api/v1/tokens",
    "/api/v1/postmortems",
    "/api/v1/postmortems/{id}",
    "/api/v1/postmortems/{id}?format=md",
    "/api/v1/postmortems/{id}?format=html",
    "/api/v1/postmortems/{id}/metrics",
    "/api/v1/postmortems/{id}/revisions",
    "/api/v1/action-items",
    "/api/v1/search?q=API",
    "/api/v1/openapi.json",
]


@pytest.fixture(scope="module")
def postmortem_id(site: Site) -> str:
    return post_markdown(site, EXAMPLE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", PAGES)
def test_signed_in_pages_are_not_stored(site: Site, postmortem_id: str, path: str) -> None:
    response = site.browser(Role.admin).get(path.format(id=postmortem_id))
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", API)
def test_api_answers_are_not_stored(site: Site, postmortem_id: str, path: str) -> None:
    with site.api(Role.admin) as api:
        response = api.get(path.format(id=postmortem_id))
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"


def test_api_errors_and_writes_are_not_stored_either(site: Site, postmortem_id: str) -> None:
    with site.api(Role.author) as api:
        answers = [
            api.get("/api/v1/postmortems/no-such-id"),
            api.get("/api/v1/postmortems", params={"limit": "0"}),
            api.post(
                "/api/v1/preview",
                content=EXAMPLE.read_bytes(),
                headers={"Content-Type": "text/markdown"},
            ),
        ]
    with site.api(None) as anonymous:
        answers.append(anonymous.get("/api/v1/me"))
    assert [answer.status_code for answer in answers] == [404, 422, 200, 401]
    assert all(answer.headers["cache-control"] == "no-store" for answer in answers)


def test_the_login_page_with_its_csrf_token_is_not_stored(site: Site) -> None:
    with site.api(None) as client:
        response = client.get("/login")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"


def test_static_files_may_be_cached(site: Site) -> None:
    with site.api(None) as client:
        response = client.get("/static/editor.js")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("cache-control", "")
