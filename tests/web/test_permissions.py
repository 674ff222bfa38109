"""Who may do what: every role, and no credentials at all, against every kind of action.

The matrices below are the specification: viewers read, authors and reviewers also
write, admins also manage users; without credentials the API answers 401 in JSON and
the pages send the browser to the login page. A refused request must change nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import sqlalchemy as sa

from hansei.model.access import Role
from hansei.services import accounts, history, saving
from hansei.services.documents import load_document
from hansei.store.tables import ApiTokenRow, PostmortemRow, RevisionRow, UserRow
from tests.conftest import EXAMPLES
from tests.factories import as_draft
from tests.web.site import PASSWORDS, SignedInBrowser, Site

WALK = EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md"

# The columns of every matrix below, in this order; None is a client with no credentials.
ROLES: tuple[Role | None, ...] = (None, Role.viewer, Role.author, Role.reviewer, Role.admin)


@dataclass(frozen=True)
class Given:
    """What a test acts on: a fresh postmortem with two revisions, and a spare user."""

    site: Site
    postmortem_id: str
    revision: int
    document: dict[str, Any]
    spare_user: str
    spare_token_id: int


@pytest.fixture
def given(site: Site) -> Given:
    # Made through the services, not the HTTP API, so that no permission under test is
    # needed to set the scene.
    database = site.database
    first = as_draft(load_document(WALK).postmortem)
    created = saving.create_postmortem(database, first, user="setup")
    changed = first.model_copy(update={"summary": "Second revision, for diffs and restores."})
    updated = saving.update_postmortem(
        database, created.postmortem_id, changed, user="setup", base_revision=created.revision
    )
    assert updated.revision == 2
    stored = history.get_postmortem(database, created.postmortem_id)
    spare = f"spare-{uuid.uuid4().hex[:12]}"
    accounts.add_user(database, spare, role=Role.viewer, password=None)
    token, _ = accounts.create_token(database, spare, label="to be revoked")
    return Given(
        site=site,
        postmortem_id=created.postmortem_id,
        revision=stored.revision,
        document=stored.postmortem.model_dump(mode="json"),
        spare_user=spare,
        spare_token_id=token.id,
    )


def footprint(site: Site) -> dict[str, int]:
    """How much is stored: a refused request must leave every count as it was."""
    counts = {
        "postmortems": sa.select(sa.func.count()).select_from(PostmortemRow),
        "revisions": sa.select(sa.func.count()).select_from(RevisionRow),
        "users": sa.select(sa.func.count()).select_from(UserRow),
        "tokens": sa.select(sa.func.count()).select_from(ApiTokenRow),
        "revoked tokens": sa.select(sa.func.count())
        .select_from(ApiTokenRow)
        .where(ApiTokenRow.revoked_at.is_not(None)),
    }
    with site.database.engine.connect() as connection:
        return {name: connection.execute(query).scalar_one() for name, query in counts.items()}


def _id(role: Role | None) -> str:
    return "nobody" if role is None else role.value


def _matrix(table: dict[str, tuple[int, ...]]) -> list[Any]:
    return [
        pytest.param(role, action, status, id=f"{_id(role)}-{action}")
        for action, statuses in table.items()
        for role, status in zip(ROLES, statuses, strict=True)
    ]


# The API, with each role's token ------------------------------------------------------


@dataclass(frozen=True)
class ApiAction:
    call: Callable[[httpx.Client, Given], httpx.Response]
    changes: bool = False
    """Whether a successful call stores something (a read never does)."""
    answer_is_right: Callable[[httpx.Response, Given], bool] = field(
        default=lambda response, given: True
    )


def _pm(given: Given, tail: str = "") -> str:
    return f"/api/v1/postmortems/{given.postmortem_id}{tail}"


def _revision_numbers(response: httpx.Response) -> list[int]:
    return sorted(revision["number"] for revision in response.json())


API_ACTIONS: dict[str, ApiAction] = {
    "list": ApiAction(
        lambda client, given: client.get("/api/v1/postmortems", params={"limit": 200}),
        answer_is_right=lambda response, given: response.json()["total"] >= 1,
    ),
    "read one": ApiAction(
        lambda client, given: client.get(_pm(given)),
        answer_is_right=lambda response, given: response.json()["id"] == given.postmortem_id,
    ),
    "read markdown": ApiAction(
        lambda client, given: client.get(_pm(given), params={"format": "md"}),
        answer_is_right=lambda response, given: response.text.startswith(
            f"<!-- hansei-id: {given.postmortem_id} revision: {given.revision} -->"
        ),
    ),
    "read html": ApiAction(
        lambda client, given: client.get(_pm(given), params={"format": "html"}),
        answer_is_right=lambda response, given: "<h1>" in response.text,
    ),
    "metrics": ApiAction(
        lambda client, given: client.get(_pm(given, "/metrics")),
        answer_is_right=lambda response, given: "ttr_minutes" in response.json(),
    ),
    "lint": ApiAction(
        lambda client, given: client.get(_pm(given, "/lint")),
        answer_is_right=lambda response, given: isinstance(response.json(), list),
    ),
    "revisions": ApiAction(
        lambda client, given: client.get(_pm(given, "/revisions")),
        answer_is_right=lambda response, given: _revision_numbers(response) == [1, 2],
    ),
    "diff": ApiAction(
        lambda client, given: client.get(_pm(given, "/diff"), params={"old": 1, "new": 2}),
        answer_is_right=lambda response, given: "Second revision" in response.json()["diff"],
    ),
    "search": ApiAction(
        lambda client, given: client.get("/api/v1/search", params={"q": "nil", "limit": 200}),
        answer_is_right=lambda response, given: (
            given.postmortem_id in {hit["id"] for hit in response.json()["items"]}
        ),
    ),
    "action items": ApiAction(
        lambda client, given: client.get("/api/v1/action-items", params={"limit": 1000}),
        answer_is_right=lambda response, given: (
            given.postmortem_id in {item["postmortem_id"] for item in response.json()}
        ),
    ),
    "preview": ApiAction(
        lambda client, given: client.post("/api/v1/preview", json={"postmortem": given.document}),
        answer_is_right=lambda response, given: "findings" in response.json(),
    ),
    "create from json": ApiAction(
        lambda client, given: client.post(
            "/api/v1/postmortems", json={"postmortem": {"title": "Created from JSON"}}
        ),
        changes=True,
    ),
    "create from markdown": ApiAction(
        lambda client, given: client.post(
            "/api/v1/postmortems",
            content=WALK.read_bytes(),
            headers={"Content-Type": "text/markdown; charset=utf-8"},
        ),
        changes=True,
    ),
    "update": ApiAction(
        lambda client, given: client.put(
            _pm(given),
            json={
                "base_revision": given.revision,
                "postmortem": {**given.document, "summary": "Changed through the API."},
            },
        ),
        changes=True,
        answer_is_right=lambda response, given: response.json()["revision"] == given.revision + 1,
    ),
    "restore": ApiAction(
        lambda client, given: client.post(_pm(given, "/restore"), json={"revision": 1}),
        changes=True,
        answer_is_right=lambda response, given: response.json()["revision"] == given.revision + 1,
    ),
    "me": ApiAction(lambda client, given: client.get("/api/v1/me")),
    "own tokens": ApiAction(lambda client, given: client.get("/api/v1/tokens")),
    # Tokens cannot make tokens, whatever the role: only a signed-in browser can.
    "new own token": ApiAction(
        lambda client, given: client.post(
            "/api/v1/tokens", json={"label": "matrix", "password": "whatever-it-is"}
        ),
        changes=True,
    ),
    "openapi schema": ApiAction(
        lambda client, given: client.get("/api/v1/openapi.json"),
        answer_is_right=lambda response, given: "/api/v1/postmortems" in response.json()["paths"],
    ),
    "list users": ApiAction(
        lambda client, given: client.get("/api/v1/users"),
        answer_is_right=lambda response, given: (
            given.spare_user in {user["name"] for user in response.json()}
        ),
    ),
    "add user": ApiAction(
        lambda client, given: client.post(
            "/api/v1/users",
            json={"name": f"new-{uuid.uuid4().hex[:12]}", "role": "viewer", "password": None},
        ),
        changes=True,
    ),
    "revoke another user's token": ApiAction(
        lambda client, given: client.delete(
            f"/api/v1/users/{given.spare_user}/tokens/{given.spare_token_id}"
        ),
        changes=True,
    ),
}

API_EXPECTED: dict[str, tuple[int, ...]] = {
    # action                       nobody viewer author reviewer admin
    "list": (401, 200, 200, 200, 200),
    "read one": (401, 200, 200, 200, 200),
    "read markdown": (401, 200, 200, 200, 200),
    "read html": (401, 200, 200, 200, 200),
    "metrics": (401, 200, 200, 200, 200),
    "lint": (401, 200, 200, 200, 200),
    "revisions": (401, 200, 200, 200, 200),
    "diff": (401, 200, 200, 200, 200),
    "search": (401, 200, 200, 200, 200),
    "action items": (401, 200, 200, 200, 200),
    # A preview stores nothing: it is a read of a document that is not in the store.
    "preview": (401, 200, 200, 200, 200),
    "create from json": (401, 403, 201, 201, 201),
    "create from markdown": (401, 403, 201, 201, 201),
    "update": (401, 403, 200, 200, 200),
    "restore": (401, 403, 200, 200, 200),
    "me": (401, 200, 200, 200, 200),
    "own tokens": (401, 200, 200, 200, 200),
    # A token carries its owner's role, so any user may make one for themselves.
    "new own token": (401, 403, 403, 403, 403),
    "openapi schema": (401, 200, 200, 200, 200),
    "list users": (401, 403, 403, 403, 200),
    "add user": (401, 403, 403, 403, 201),
    "revoke another user's token": (401, 403, 403, 403, 204),
}


def test_the_api_matrix_covers_every_action() -> None:
    assert set(API_EXPECTED) == set(API_ACTIONS)


@pytest.mark.parametrize(("role", "action", "expected"), _matrix(API_EXPECTED))
def test_api_permissions(given: Given, role: Role | None, action: str, expected: int) -> None:
    site = given.site
    before = footprint(site)
    with site.api(role) as client:
        response = API_ACTIONS[action].call(client, given)
    assert response.status_code == expected, response.text
    after = footprint(site)
    if expected >= 400:
        assert after == before, "a refused request changed the store"
        assert response.headers["content-type"].startswith("application/json")
        assert response.json()["status"] == expected
        if expected == 401:
            assert response.headers["www-authenticate"] == "Bearer"
        return
    assert API_ACTIONS[action].answer_is_right(response, given), response.text
    if API_ACTIONS[action].changes:
        assert after != before, "a successful write stored nothing"
    else:
        assert after == before, "a read changed the store"


# The pages, with a browser signed in through the login form ---------------------------


@pytest.fixture(scope="module")
def browsers(site: Site) -> Iterator[dict[Role, SignedInBrowser]]:
    """One signed-in browser per role, shared by the module's page tests."""
    signed_in = {role: site.browser(role) for role in Role}
    yield signed_in
    for browser in signed_in.values():
        browser.client.close()


@dataclass(frozen=True)
class PageAction:
    path: Callable[[Given], str]
    form: Callable[[Given], dict[str, str]] | None = None
    """The fields of a form post; None: the page is read with GET."""
    changes: bool = False
    location: Callable[[httpx.Response, Given], bool] = field(default=lambda response, given: True)
    """Where a successful form post sends the browser."""


def submit(browser: SignedInBrowser, path: str, fields: dict[str, str]) -> httpx.Response:
    """A form post carrying the session's CSRF token, as the pages' forms send it."""
    # Not SignedInBrowser.post_form: it hands httpx a list of pairs, which httpx sends as
    # raw bytes with a deprecation warning instead of as a form.
    return browser.client.post(path, data={"csrf_token": browser.csrf, **fields})


def _page(given: Given, tail: str = "") -> str:
    return f"/postmortems/{given.postmortem_id}{tail}"


PAGE_ACTIONS: dict[str, PageAction] = {
    "health": PageAction(lambda given: "/health"),
    "login page": PageAction(lambda given: "/login"),
    "list": PageAction(lambda given: "/?q=nil&sort=newest"),
    "postmortem": PageAction(lambda given: _page(given)),
    "export markdown": PageAction(lambda given: _page(given, "/export.md")),
    "history": PageAction(lambda given: _page(given, "/history?old=1&new=2")),
    "editor for a postmortem": PageAction(lambda given: _page(given, "/edit")),
    "editor for a new postmortem": PageAction(lambda given: "/postmortems/new"),
    "action items": PageAction(lambda given: "/actions?overdue=true"),
    "account": PageAction(lambda given: "/account"),
    "api docs": PageAction(lambda given: "/api/v1/docs"),
    "openapi schema": PageAction(lambda given: "/api/v1/openapi.json"),
    "create": PageAction(
        lambda given: "/postmortems/new",
        form=lambda given: {"title": "Created in the editor", "language": "en"},
        changes=True,
        location=lambda response, given: (
            response.headers["location"].startswith("/postmortems/")
            and given.postmortem_id not in response.headers["location"]
        ),
    ),
    "save": PageAction(
        lambda given: _page(given, "/edit"),
        form=lambda given: {
            "base_revision": str(given.revision),
            "title": "Saved in the editor",
            "summary": "Changed through the editor.",
        },
        changes=True,
        location=lambda response, given: response.headers["location"] == _page(given),
    ),
    "restore": PageAction(
        lambda given: _page(given, "/restore"),
        form=lambda given: {"revision": "1"},
        changes=True,
        location=lambda response, given: response.headers["location"] == _page(given, "/history"),
    ),
    "editor preview": PageAction(
        lambda given: "/postmortems/preview",
        form=lambda given: {"postmortem_id": given.postmortem_id, "title": "Previewed"},
    ),
    "new own token": PageAction(
        lambda given: "/account/tokens",
        form=lambda given: {"label": "page", "password": OWN_PASSWORD},
        changes=True,
    ),
}

OWN_PASSWORD = "<the signed-in user's password>"
"""A form value the visit replaces with the password of the role it signs in as."""

PAGE_EXPECTED: dict[str, tuple[int, ...]] = {
    # action                           nobody viewer author reviewer admin
    "health": (200, 200, 200, 200, 200),
    "login page": (200, 200, 200, 200, 200),
    "list": (303, 200, 200, 200, 200),
    "postmortem": (303, 200, 200, 200, 200),
    "export markdown": (303, 200, 200, 200, 200),
    "history": (303, 200, 200, 200, 200),
    "editor for a postmortem": (303, 403, 200, 200, 200),
    "editor for a new postmortem": (303, 403, 200, 200, 200),
    "action items": (303, 200, 200, 200, 200),
    "account": (303, 200, 200, 200, 200),
    # Under /api/, so a client without credentials gets the API's JSON 401.
    "api docs": (303, 200, 200, 200, 200),
    "openapi schema": (401, 200, 200, 200, 200),
    "create": (303, 403, 303, 303, 303),
    "save": (303, 403, 303, 303, 303),
    "restore": (303, 403, 303, 303, 303),
    # The editor's live panel: only those who may open the editor use it.
    "editor preview": (303, 403, 200, 200, 200),
    "new own token": (303, 200, 200, 200, 200),
}


def test_the_page_matrix_covers_every_action() -> None:
    assert set(PAGE_EXPECTED) == set(PAGE_ACTIONS)


def _visit(
    site: Site,
    browsers: dict[Role, SignedInBrowser],
    role: Role | None,
    action: PageAction,
    given: Given,
) -> httpx.Response:
    path = action.path(given)
    if role is None:
        with site.api(None) as client:
            if action.form is None:
                return client.get(path)
            return client.post(path, data=action.form(given))
    browser = browsers[role]
    if action.form is None:
        return browser.get(path)
    form = {
        name: PASSWORDS[role] if value == OWN_PASSWORD else value
        for name, value in action.form(given).items()
    }
    return submit(browser, path, form)


@pytest.mark.parametrize(("role", "action", "expected"), _matrix(PAGE_EXPECTED))
def test_page_permissions(
    given: Given,
    browsers: dict[Role, SignedInBrowser],
    role: Role | None,
    action: str,
    expected: int,
) -> None:
    site = given.site
    page = PAGE_ACTIONS[action]
    before = footprint(site)
    response = _visit(site, browsers, role, page, given)
    assert response.status_code == expected, response.text
    after = footprint(site)
    refused = expected in (401, 403) or (role is None and expected == 303)
    if refused:
        assert after == before, "a refused request changed the store"
    if role is None and expected == 303:
        wanted = page.path(given)
        assert response.headers["location"] == f"/login?next={quote(wanted, safe='')}"
    elif expected == 401:
        assert response.headers["content-type"].startswith("application/json")
        assert response.json()["status"] == 401
    elif expected == 403:
        assert response.headers["content-type"].startswith("text/html")
    elif page.form is not None and page.changes:
        assert after != before, "a successful form post stored nothing"
        if expected == 303:
            assert page.location(response, given), response.headers["location"]
    else:
        assert after == before, "reading a page changed the store"


def test_a_role_change_applies_to_the_next_request_of_tokens_and_sessions(site: Site) -> None:
    name, password = f"promoted-{uuid.uuid4().hex[:8]}", "promoted-password"
    accounts.add_user(site.database, name, role=Role.viewer, password=password)
    _, token = accounts.create_token(site.database, name, label="before the change")
    new = {"postmortem": {"title": "Written after a promotion"}}
    browser = site.signed_in(name, password)
    with site.script(token) as api:
        assert api.post("/api/v1/postmortems", json=new).status_code == 403
        assert browser.get("/postmortems/new").status_code == 403

        accounts.set_role(site.database, name, Role.author)
        assert api.post("/api/v1/postmortems", json=new).status_code == 201
        assert browser.get("/postmortems/new").status_code == 200
        assert api.get("/api/v1/users").status_code == 403

        accounts.set_role(site.database, name, Role.admin)
        assert name in {user["name"] for user in api.get("/api/v1/users").json()}

        accounts.set_role(site.database, name, Role.viewer)
        assert api.post("/api/v1/postmortems", json=new).status_code == 403
        assert api.get("/api/v1/users").status_code == 403
        assert browser.get("/postmortems/new").status_code == 403


def test_the_pages_offer_writing_only_to_roles_that_may_write(
    given: Given, browsers: dict[Role, SignedInBrowser]
) -> None:
    for role in Role:
        page = browsers[role].get(_page(given)).text
        may_write = role is not Role.viewer
        assert ('href="/postmortems/new"' in page) is may_write, role
        assert (f'href="{_page(given, "/edit")}"' in page) is may_write, role


def test_an_admin_adds_a_user_who_can_then_sign_in_with_that_role(site: Site) -> None:
    name = f"added-{uuid.uuid4().hex[:8]}"
    with site.api(Role.admin) as admin:
        added = admin.post(
            "/api/v1/users", json={"name": name, "role": "reviewer", "password": "reviewer-pw-1"}
        )
        assert added.status_code == 201, added.text
        assert added.json() == {"name": name, "role": "reviewer", "language": None}
        again = admin.post("/api/v1/users", json={"name": name, "password": "another-pw-1"})
        assert again.status_code == 400
        short = admin.post("/api/v1/users", json={"name": f"{name}-2", "password": "short"})
        assert short.status_code == 400
        assert f"{name}-2" not in {user["name"] for user in admin.get("/api/v1/users").json()}
    browser = site.signed_in(name, "reviewer-pw-1")
    assert "(reviewer)" in browser.get("/account").text


def test_an_admin_revokes_a_token_only_under_its_owners_name(given: Given) -> None:
    site = given.site
    with site.api(Role.admin) as admin:
        wrong_owner = admin.delete(
            f"/api/v1/users/{Role.viewer.value}-user/tokens/{given.spare_token_id}"
        )
        assert wrong_owner.status_code == 404
        listed = accounts.list_tokens(site.database, given.spare_user)
        assert [token.revoked_at for token in listed] == [None]
