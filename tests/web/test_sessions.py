"""Signing in and out, the session cookie, CSRF, the sign-in rate limit and API tokens."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote, urljoin, urlsplit

import httpx
import pytest
import sqlalchemy as sa

from hansei.model.access import Role
from hansei.services import accounts, history, saving
from hansei.services.accounts import MAX_FAILURES_PER_CLIENT
from hansei.services.documents import load_document
from hansei.store.tables import ApiTokenRow, SessionRow, UserRow
from hansei.web.auth import SESSION_COOKIE
from hansei.web.i18n import words
from hansei.web.pages.session import LOGIN_CSRF_COOKIE
from tests.conftest import EXAMPLES
from tests.factories import as_draft
from tests.web.site import Site, hidden_field, log_in

WALK = EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md"
ENGLISH = words("en")
# The documented limit: the sixth attempt for a name within the window is refused.
FAILURES_BEFORE_LOCKOUT = 5


@contextmanager
def browser(site: Site, *, client_address: str | None = None) -> Iterator[httpx.Client]:
    """A browser that has not signed in; `client_address` poses as another machine
    (uvicorn takes X-Forwarded-For from 127.0.0.1, as from a proxy in front of it)."""
    headers = {"Accept-Language": "en"}
    if client_address is not None:
        headers["X-Forwarded-For"] = client_address
    with httpx.Client(
        base_url=site.url, headers=headers, timeout=30, follow_redirects=False
    ) as client:
        yield client


def fresh_address() -> str:
    """An address no other test uses, so that failed sign-ins are counted per test."""
    a, b, c = uuid.uuid4().bytes[:3]
    return f"10.{a}.{b}.{c}"


def new_user(site: Site, role: Role = Role.author) -> tuple[str, str]:
    """A user of the test's own, so that its sign-ins do not disturb other tests."""
    name = f"user-{uuid.uuid4().hex[:10]}"
    password = f"pw-{uuid.uuid4().hex}"
    accounts.add_user(site.database, name, role=role, password=password)
    return name, password


def set_cookie(response: httpx.Response, name: str) -> dict[str, str]:
    """The attributes of the Set-Cookie header for `name` (lower-case keys; flags map to '')."""
    for header in response.headers.get_list("set-cookie"):
        first, *attributes = (part.strip() for part in header.split(";"))
        cookie_name, _, value = first.partition("=")
        if cookie_name == name:
            parsed = {"value": value}
            for attribute in attributes:
                key, _, attribute_value = attribute.partition("=")
                parsed[key.lower()] = attribute_value
            return parsed
    raise AssertionError(f"no Set-Cookie for {name}: {response.headers.get_list('set-cookie')}")


def signed_in_csrf(client: httpx.Client) -> str:
    return hidden_field(client.get("/account").text, "csrf_token")


def new_postmortem(site: Site) -> str:
    created = saving.create_postmortem(
        site.database, as_draft(load_document(WALK).postmortem), user="setup"
    )
    return created.postmortem_id


def revision_of(site: Site, postmortem_id: str) -> int:
    return history.get_postmortem(site.database, postmortem_id).revision


def count(site: Site, query: sa.Select[tuple[int]]) -> int:
    with site.database.engine.connect() as connection:
        return connection.execute(query).scalar_one()


def tokens_of(site: Site, name: str) -> int:
    return count(
        site,
        sa.select(sa.func.count())
        .select_from(ApiTokenRow)
        .join(UserRow, UserRow.id == ApiTokenRow.user_id)
        .where(UserRow.name == name),
    )


# Signing in and out ------------------------------------------------------------------


def test_signing_in_through_the_form_opens_a_session(site: Site) -> None:
    name, password = new_user(site)
    with browser(site) as client:
        before = client.get("/")
        assert before.status_code == 303
        assert before.headers["location"] == "/login?next=%2F"
        signed = log_in(client, name, password)
        assert signed.status_code == 303
        assert signed.headers["location"] == "/"
        home = client.get("/")
        assert home.status_code == 200
        assert name in home.text
        assert client.get("/api/v1/me").json()["name"] == name


def test_a_wrong_password_gets_the_login_page_again_with_401(site: Site) -> None:
    name, password = new_user(site)
    with browser(site, client_address=fresh_address()) as client:
        refused = log_in(client, name, password + "-wrong")
        assert refused.status_code == 401
        assert refused.headers["content-type"].startswith("text/html")
        assert ENGLISH("login_failed") in refused.text
        assert 'name="login_csrf"' in refused.text
        assert SESSION_COOKIE not in client.cookies
        assert client.get("/").status_code == 303


def test_an_unknown_name_is_refused_exactly_like_a_wrong_password(site: Site) -> None:
    name, password = new_user(site)
    with browser(site, client_address=fresh_address()) as client:
        wrong_password = log_in(client, name, "not-the-password")
        unknown_name = log_in(client, f"nobody-{uuid.uuid4().hex[:8]}", password)
    assert wrong_password.status_code == unknown_name.status_code == 401
    for refused in (wrong_password, unknown_name):
        assert ENGLISH("login_failed") in refused.text


def test_a_user_without_a_password_cannot_sign_in(site: Site) -> None:
    name = f"script-{uuid.uuid4().hex[:8]}"
    accounts.add_user(site.database, name, role=Role.author, password=None)
    with browser(site, client_address=fresh_address()) as client:
        # An empty password may already be refused as an incomplete form (422).
        assert log_in(client, name, "").status_code in (401, 422)
        assert log_in(client, name, "anything-at-all").status_code == 401
        assert SESSION_COOKIE not in client.cookies


def test_logging_out_ends_the_session_for_good(site: Site) -> None:
    name, password = new_user(site)
    with browser(site) as client:
        assert log_in(client, name, password).status_code == 303
        cookie = client.cookies[SESSION_COOKIE]
        csrf = signed_in_csrf(client)
        out = client.post("/logout", data={"csrf_token": csrf})
        assert out.status_code == 303
        assert out.headers["location"] == "/login"
        cleared = set_cookie(out, SESSION_COOKIE)
        assert cleared["value"] in ("", '""')
        assert client.get("/").status_code == 303
    # The old cookie, kept by someone, no longer signs anyone in.
    with browser(site) as replay:
        replay.cookies.set(SESSION_COOKIE, cookie)
        assert replay.get("/").status_code == 303
        assert replay.get("/api/v1/me").status_code == 401
    digest = hashlib.sha256(cookie.encode()).hexdigest()
    assert (
        count(
            site,
            sa.select(sa.func.count())
            .select_from(SessionRow)
            .where(SessionRow.token_hash == digest),
        )
        == 0
    )


def test_logging_out_needs_the_csrf_token(site: Site) -> None:
    name, password = new_user(site)
    with browser(site) as client:
        assert log_in(client, name, password).status_code == 303
        refused = client.post("/logout", data={})
        assert refused.status_code == 403
        assert client.get("/").status_code == 200


def test_a_new_password_signs_out_every_browser(site: Site) -> None:
    name, password = new_user(site)
    with browser(site) as client:
        assert log_in(client, name, password).status_code == 303
        accounts.set_password(site.database, name, "a-brand-new-password")
        assert client.get("/").status_code == 303


def test_the_session_cookie_is_stored_only_as_its_sha256(site: Site) -> None:
    name, password = new_user(site)
    with browser(site) as client:
        assert log_in(client, name, password).status_code == 303
        cookie = client.cookies[SESSION_COOKIE]
    with site.database.engine.connect() as connection:
        rows = connection.execute(
            sa.select(SessionRow.token_hash, SessionRow.csrf_token)
            .join(UserRow, UserRow.id == SessionRow.user_id)
            .where(UserRow.name == name)
        ).all()
    assert [row.token_hash for row in rows] == [hashlib.sha256(cookie.encode()).hexdigest()]
    assert all(cookie not in value for row in rows for value in row)


# The session cookie's attributes ------------------------------------------------------


def test_the_session_cookie_is_httponly_and_lax_and_not_secure_over_plain_http(
    site: Site,
) -> None:
    name, password = new_user(site)
    with browser(site) as client:
        form = client.get("/login")
        login_cookie = set_cookie(form, LOGIN_CSRF_COOKIE)
        assert "httponly" in login_cookie
        assert login_cookie["samesite"].lower() == "strict"
        assert login_cookie["path"] == "/login"
        assert "secure" not in login_cookie
        signed = log_in(client, name, password)
    cookie = set_cookie(signed, SESSION_COOKIE)
    assert "httponly" in cookie
    assert cookie["samesite"].lower() == "lax"
    assert cookie["path"] == "/"
    assert int(cookie["max-age"]) == int(accounts.SESSION_LIFETIME.total_seconds())
    assert "secure" not in cookie


def test_the_cookies_are_secure_when_a_proxy_says_the_request_came_over_https(
    site: Site,
) -> None:
    name, password = new_user(site)
    https = {"X-Forwarded-Proto": "https"}
    with browser(site) as client:
        form = client.get("/login", headers=https)
        login_cookie = set_cookie(form, LOGIN_CSRF_COOKIE)
        assert "secure" in login_cookie
        assert "httponly" in login_cookie
        # The client talks plain http to the test server, so it would not send a
        # Secure cookie back by itself: send it as the browser would over https.
        signed = client.post(
            "/login",
            data={
                "name": name,
                "password": password,
                "login_csrf": hidden_field(form.text, "login_csrf"),
                "next": "/",
            },
            headers={**https, "Cookie": f"{LOGIN_CSRF_COOKIE}={login_cookie['value']}"},
        )
    assert signed.status_code == 303, signed.text
    cookie = set_cookie(signed, SESSION_COOKIE)
    assert "secure" in cookie
    assert "httponly" in cookie
    assert cookie["samesite"].lower() == "lax"


# CSRF ---------------------------------------------------------------------------------


@pytest.fixture
def author(site: Site) -> Iterator[tuple[httpx.Client, str]]:
    """A browser signed in as a new author, and its session's CSRF token."""
    name, password = new_user(site, Role.author)
    with browser(site) as client:
        assert log_in(client, name, password).status_code == 303
        yield client, signed_in_csrf(client)


def _edit(postmortem_id: str, revision: int, **extra: str) -> dict[str, str]:
    return {
        "base_revision": str(revision),
        "title": "Changed in the editor",
        "summary": "A change that must not happen without the form's token.",
        **extra,
    }


@pytest.mark.parametrize(
    "csrf",
    [
        pytest.param(None, id="no token"),
        pytest.param("", id="empty token"),
        pytest.param("forged-0123456789abcdef", id="wrong token"),
    ],
)
def test_a_form_post_without_the_sessions_csrf_token_is_refused_and_changes_nothing(
    site: Site, author: tuple[httpx.Client, str], csrf: str | None
) -> None:
    client, _ = author
    postmortem_id = new_postmortem(site)
    revision = revision_of(site, postmortem_id)
    fields = _edit(postmortem_id, revision)
    if csrf is not None:
        fields["csrf_token"] = csrf
    refused = client.post(f"/postmortems/{postmortem_id}/edit", data=fields)
    assert refused.status_code == 403
    assert revision_of(site, postmortem_id) == revision
    stored = history.get_postmortem(site.database, postmortem_id).postmortem
    assert stored.title != "Changed in the editor"

    name = client.get("/api/v1/me").json()["name"]
    tokens = tokens_of(site, name)
    token_fields = {"label": "forged", "password": "irrelevant"} | (
        {} if csrf is None else {"csrf_token": csrf}
    )
    assert client.post("/account/tokens", data=token_fields).status_code == 403
    assert tokens_of(site, name) == tokens

    restore = {"revision": "1"} | ({} if csrf is None else {"csrf_token": csrf})
    assert client.post(f"/postmortems/{postmortem_id}/restore", data=restore).status_code == 403
    assert revision_of(site, postmortem_id) == revision


def test_the_csrf_token_of_another_session_is_refused(
    site: Site, author: tuple[httpx.Client, str]
) -> None:
    client, _ = author
    name, password = new_user(site, Role.author)
    with browser(site) as other:
        assert log_in(other, name, password).status_code == 303
        others_token = signed_in_csrf(other)
    postmortem_id = new_postmortem(site)
    revision = revision_of(site, postmortem_id)
    refused = client.post(
        f"/postmortems/{postmortem_id}/edit",
        data={**_edit(postmortem_id, revision), "csrf_token": others_token},
    )
    assert refused.status_code == 403
    assert revision_of(site, postmortem_id) == revision


def test_a_form_post_with_the_sessions_csrf_token_is_accepted(
    site: Site, author: tuple[httpx.Client, str]
) -> None:
    client, csrf = author
    postmortem_id = new_postmortem(site)
    revision = revision_of(site, postmortem_id)
    saved = client.post(
        f"/postmortems/{postmortem_id}/edit",
        data={**_edit(postmortem_id, revision), "csrf_token": csrf},
    )
    assert saved.status_code == 303, saved.text
    assert revision_of(site, postmortem_id) == revision + 1


def test_a_browser_calling_the_api_needs_the_csrf_header_for_changes(
    site: Site, author: tuple[httpx.Client, str]
) -> None:
    client, csrf = author
    new = {"postmortem": {"title": "From a page's script"}}
    assert client.get("/api/v1/postmortems").status_code == 200
    refused = client.post("/api/v1/postmortems", json=new)
    assert refused.status_code == 403
    assert refused.json()["status"] == 403
    wrong = client.post("/api/v1/postmortems", json=new, headers={"X-CSRF-Token": "forged"})
    assert wrong.status_code == 403
    accepted = client.post("/api/v1/postmortems", json=new, headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 201, accepted.text


def test_an_api_call_with_a_bearer_token_needs_no_csrf(site: Site) -> None:
    name, _ = new_user(site, Role.author)
    _, token = accounts.create_token(site.database, name, label="script")
    with site.script(token) as script:
        created = script.post("/api/v1/postmortems", json={"postmortem": {"title": "By a script"}})
        assert created.status_code == 201, created.text
        postmortem_id = created.json()["id"]
        restored = script.post(f"/api/v1/postmortems/{postmortem_id}/restore", json={"revision": 1})
        assert restored.status_code == 200, restored.text


def test_the_login_form_needs_its_own_csrf_cookie_and_field(site: Site) -> None:
    name, password = new_user(site)
    with browser(site) as client:
        form = client.get("/login")
        token = hidden_field(form.text, "login_csrf")
        fields = {"name": name, "password": password, "next": "/"}

        missing_field = client.post("/login", data=fields)
        wrong_field = client.post("/login", data={**fields, "login_csrf": "forged"})
        for refused in (missing_field, wrong_field):
            assert refused.status_code == 400
            assert ENGLISH("form_expired") in refused.text
            assert SESSION_COOKIE not in client.cookies

    # A page on another site can copy a field, but it cannot give the browser the cookie.
    with browser(site) as forger:
        without_cookie = forger.post("/login", data={**fields, "login_csrf": token})
        assert without_cookie.status_code == 400
        assert SESSION_COOKIE not in forger.cookies
        assert forger.get("/").status_code == 303


# The sign-in rate limit ---------------------------------------------------------------


def test_after_five_failures_for_a_name_even_the_right_password_waits(site: Site) -> None:
    name, password = new_user(site)
    with browser(site, client_address=fresh_address()) as client:
        for _ in range(FAILURES_BEFORE_LOCKOUT):
            assert log_in(client, name, "wrong-password").status_code == 401
        limited = log_in(client, name, password)
        assert limited.status_code == 429
        assert SESSION_COOKIE not in client.cookies
        retry_after = int(limited.headers["retry-after"])
        assert 0 < retry_after <= accounts.FAILURE_WINDOW.total_seconds() + 1
        assert retry_after > accounts.FAILURE_WINDOW.total_seconds() - 60
        assert ENGLISH("login_limited", seconds=retry_after) in limited.text
    # The limit is the name's, wherever the attempts come from.
    with browser(site, client_address=fresh_address()) as elsewhere:
        assert log_in(elsewhere, name, password).status_code == 429


def test_the_rate_limit_of_one_name_leaves_other_names_alone(site: Site) -> None:
    limited_name, _ = new_user(site)
    other_name, other_password = new_user(site)
    address = fresh_address()
    with browser(site, client_address=address) as client:
        for _ in range(FAILURES_BEFORE_LOCKOUT):
            assert log_in(client, limited_name, "wrong-password").status_code == 401
        assert log_in(client, limited_name, "wrong-password").status_code == 429
        assert log_in(client, other_name, other_password).status_code == 303


def test_four_failures_do_not_lock_the_name(site: Site) -> None:
    name, password = new_user(site)
    with browser(site, client_address=fresh_address()) as client:
        for _ in range(FAILURES_BEFORE_LOCKOUT - 1):
            assert log_in(client, name, "wrong-password").status_code == 401
        assert log_in(client, name, password).status_code == 303


def test_many_failures_from_one_client_lock_that_client_out(site: Site) -> None:
    name, password = new_user(site)
    address = fresh_address()
    with browser(site, client_address=address) as client:
        for attempt in range(MAX_FAILURES_PER_CLIENT):
            refused = log_in(client, f"guess-{attempt}-{uuid.uuid4().hex[:6]}", "guessed")
            assert refused.status_code == 401
        limited = log_in(client, name, password)
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) > 0
    with browser(site, client_address=fresh_address()) as other_client:
        assert log_in(other_client, name, password).status_code == 303


def test_a_name_is_signed_in_whatever_its_case_or_width(site: Site) -> None:
    name, password = new_user(site)
    with browser(site, client_address=fresh_address()) as client:
        assert log_in(client, name.upper(), password).status_code == 303
        assert client.get("/api/v1/me").json()["name"] == name
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in name)
    with browser(site, client_address=fresh_address()) as client:
        assert log_in(client, wide, password).status_code == 303
        assert client.get("/api/v1/me").json()["name"] == name


def test_case_variants_of_a_name_share_its_rate_limit(site: Site) -> None:
    name, password = new_user(site)
    with browser(site, client_address=fresh_address()) as client:
        for attempt in range(FAILURES_BEFORE_LOCKOUT):
            variant = name.upper() if attempt % 2 else name.title()
            assert log_in(client, variant, "wrong-password").status_code == 401
        assert log_in(client, name, password).status_code == 429


def test_the_admin_api_refuses_a_name_that_differs_only_in_case(site: Site) -> None:
    name, _ = new_user(site)
    with site.api(Role.admin) as api:
        refused = api.post(
            "/api/v1/users", json={"name": name.upper(), "role": "viewer", "password": None}
        )
    assert refused.status_code == 400, refused.text
    assert f"a user named '{name}' exists already" in refused.json()["message"]


# Guessing the password through the token route -----------------------------------------


def _make_token(client: httpx.Client, password: str) -> httpx.Response:
    return client.post(
        "/api/v1/tokens",
        json={"label": "guess", "password": password},
        headers={"X-CSRF-Token": signed_in_csrf(client)},
    )


def test_wrong_passwords_on_the_token_route_lock_it_like_sign_in(site: Site) -> None:
    name, password = new_user(site)
    with browser(site, client_address=fresh_address()) as client:
        assert log_in(client, name, password).status_code == 303
        for _ in range(FAILURES_BEFORE_LOCKOUT):
            assert _make_token(client, "a guess!").status_code == 401
        limited = _make_token(client, password)
        assert limited.status_code == 429, limited.text
        retry_after = int(limited.headers["retry-after"])
        assert accounts.FAILURE_WINDOW.total_seconds() - 60 < retry_after
        assert retry_after <= accounts.FAILURE_WINDOW.total_seconds() + 1
        assert limited.json()["status"] == 429
        page = client.post(
            "/account/tokens",
            data={"label": "page", "password": password, "csrf_token": signed_in_csrf(client)},
        )
        assert page.status_code == 429
        assert int(page.headers["retry-after"]) > 0
        assert "new-token" not in page.text
    assert tokens_of(site, name) == 0
    # The same count as sign-in: the name cannot sign in anywhere either.
    with browser(site, client_address=fresh_address()) as elsewhere:
        assert log_in(elsewhere, name, password).status_code == 429


def test_the_account_pages_token_form_counts_failures_too(site: Site) -> None:
    name, password = new_user(site)
    with browser(site, client_address=fresh_address()) as client:
        assert log_in(client, name, password).status_code == 303
        for _ in range(FAILURES_BEFORE_LOCKOUT):
            guessed = client.post(
                "/account/tokens",
                data={"label": "x", "password": "a guess!", "csrf_token": signed_in_csrf(client)},
            )
            assert guessed.status_code == 401
        limited = _make_token(client, password)
        assert limited.status_code == 429
    assert tokens_of(site, name) == 0


def test_failed_sign_ins_count_against_the_token_route(site: Site) -> None:
    name, password = new_user(site)
    with browser(site, client_address=fresh_address()) as client:
        assert log_in(client, name, password).status_code == 303
        with browser(site, client_address=fresh_address()) as guesser:
            for _ in range(FAILURES_BEFORE_LOCKOUT):
                assert log_in(guesser, name, "wrong-password").status_code == 401
        assert _make_token(client, password).status_code == 429
    assert tokens_of(site, name) == 0


# API tokens ---------------------------------------------------------------------------


def test_a_token_is_shown_once_and_stored_only_as_its_sha256(site: Site) -> None:
    name, password = new_user(site)
    with browser(site) as client:
        assert log_in(client, name, password).status_code == 303
        csrf = {"X-CSRF-Token": signed_in_csrf(client)}
        created = client.post(
            "/api/v1/tokens", json={"label": "ci export", "password": password}, headers=csrf
        )
        assert created.status_code == 201, created.text
        assert created.headers["cache-control"] == "no-store"
        body = created.json()
        secret = body["token"]
        assert body["label"] == "ci export"
        with site.script(secret) as script:
            assert script.get("/api/v1/me").json()["name"] == name
            listed = script.get("/api/v1/tokens")
        assert listed.status_code == 200
        assert secret not in listed.text
        assert all("token" not in item for item in listed.json())
        assert body["id"] in {item["id"] for item in listed.json()}
    with site.database.engine.connect() as connection:
        rows = connection.execute(sa.select(ApiTokenRow)).mappings().all()
    stored = {row["id"]: row["token_hash"] for row in rows}
    assert stored[body["id"]] == hashlib.sha256(secret.encode()).hexdigest()
    assert not any(secret in str(value) for row in rows for value in row.values())


def test_a_token_cannot_make_a_token_nor_a_session_without_the_password(site: Site) -> None:
    name, password = new_user(site)
    _, leaked = accounts.create_token(site.database, name, label="leaked")
    before = tokens_of(site, name)
    with site.script(leaked) as script:
        minted = script.post("/api/v1/tokens", json={"label": "mine now", "password": password})
    assert minted.status_code == 403
    with browser(site) as client:
        assert log_in(client, name, password).status_code == 303
        csrf = {"X-CSRF-Token": signed_in_csrf(client)}
        guessed = client.post(
            "/api/v1/tokens", json={"label": "stolen cookie", "password": "a guess!"}, headers=csrf
        )
        assert guessed.status_code == 401
        page = client.post(
            "/account/tokens",
            data={
                "label": "stolen cookie",
                "password": "a guess!",
                **{"csrf_token": csrf["X-CSRF-Token"]},
            },
        )
        assert page.status_code == 401
        assert "new-token" not in page.text
    assert tokens_of(site, name) == before


def test_the_account_page_shows_a_new_token_once(site: Site) -> None:
    name, password = new_user(site)
    with browser(site) as client:
        assert log_in(client, name, password).status_code == 303
        made = client.post(
            "/account/tokens",
            data={
                "label": "from the page",
                "password": password,
                "csrf_token": signed_in_csrf(client),
            },
        )
        assert made.status_code == 200
        assert made.headers["cache-control"] == "no-store"
        shown = re.search(r'<code id="new-token">([^<]+)</code>', made.text)
        assert shown, made.text
        secret = shown.group(1)
        with site.script(secret) as script:
            assert script.get("/api/v1/me").json()["name"] == name
        again = client.get("/account")
        assert "from the page" in again.text
        assert secret not in again.text


def test_a_token_revoked_through_the_api_is_refused_on_the_next_request(site: Site) -> None:
    name, _ = new_user(site)
    _, keeper = accounts.create_token(site.database, name, label="keeper")
    _, doomed = accounts.create_token(site.database, name, label="doomed")
    doomed_id = next(t.id for t in accounts.list_tokens(site.database, name) if t.label == "doomed")
    with site.script(doomed) as script:
        assert script.get("/api/v1/me").status_code == 200
        assert script.delete(f"/api/v1/tokens/{doomed_id}").status_code == 204
        refused = script.get("/api/v1/me")
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == "Bearer"
        assert script.get("/api/v1/postmortems").status_code == 401
    with site.script(keeper) as script:
        assert script.get("/api/v1/me").status_code == 200
        listed = {item["id"]: item for item in script.get("/api/v1/tokens").json()}
        assert listed[doomed_id]["revoked_at"] is not None


def test_a_token_revoked_through_the_service_is_refused_on_the_next_request(site: Site) -> None:
    name, _ = new_user(site)
    info, token = accounts.create_token(site.database, name, label="to revoke")
    with site.script(token) as script:
        assert script.get("/api/v1/me").status_code == 200
        accounts.revoke_token(site.database, name, info.id)
        assert script.get("/api/v1/me").status_code == 401


def test_a_user_cannot_revoke_someone_elses_token(site: Site) -> None:
    owner, _ = new_user(site)
    other, _ = new_user(site)
    owner_token_info, owner_token = accounts.create_token(site.database, owner, label="mine")
    _, other_token = accounts.create_token(site.database, other, label="theirs")
    with site.script(other_token) as script:
        refused = script.delete(f"/api/v1/tokens/{owner_token_info.id}")
        assert refused.status_code == 404
    with site.script(owner_token) as script:
        assert script.get("/api/v1/me").status_code == 200


def test_the_account_page_revokes_only_the_users_own_tokens(site: Site) -> None:
    name, password = new_user(site)
    other, _ = new_user(site)
    mine, my_token = accounts.create_token(site.database, name, label="mine")
    theirs, their_token = accounts.create_token(site.database, other, label="theirs")
    with browser(site) as client:
        assert log_in(client, name, password).status_code == 303
        csrf = signed_in_csrf(client)
        refused = client.post(f"/account/tokens/{theirs.id}/revoke", data={"csrf_token": csrf})
        assert refused.status_code == 404
        revoked = client.post(f"/account/tokens/{mine.id}/revoke", data={"csrf_token": csrf})
        assert revoked.status_code == 303
        assert revoked.headers["location"] == "/account"
    with site.script(their_token) as script:
        assert script.get("/api/v1/me").status_code == 200
    with site.script(my_token) as script:
        assert script.get("/api/v1/me").status_code == 401


def test_a_made_up_token_is_refused(site: Site) -> None:
    with site.script(accounts.TOKEN_PREFIX + "made-up") as script:
        refused = script.get("/api/v1/me")
    assert refused.status_code == 401
    assert refused.json()["status"] == 401


# Where the login form sends the browser -----------------------------------------------


def resolved_by_a_browser(base: str, location: str) -> tuple[str, str]:
    """The scheme and host a browser goes to: like the URL standard, it drops tabs and
    newlines and reads a backslash as a slash before it resolves the address."""
    cleaned = re.sub(r"[\t\n\r]", "", location).replace("\\", "/")
    resolved = urlsplit(urljoin(base, cleaned))
    return resolved.scheme, resolved.netloc


def _log_in_with_next(site: Site, target: str) -> tuple[str, str]:
    """The `next` field the login page offers for `target`, and where a sign-in that
    posts `target` itself (as a forged form may) sends the browser."""
    name, password = new_user(site)
    with browser(site) as client:
        form = client.get("/login", params={"next": target})
        offered = hidden_field(form.text, "next")
        posted = client.post(
            "/login",
            data={
                "name": name,
                "password": password,
                "login_csrf": hidden_field(form.text, "login_csrf"),
                "next": target,
            },
        )
    assert posted.status_code == 303, posted.text
    return offered, posted.headers["location"]


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/path",
        "https://evil.example/",
        "http://evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_next_pointing_off_the_site_is_replaced_by_the_home_page(site: Site, target: str) -> None:
    offered, location = _log_in_with_next(site, target)
    assert offered == "/"
    assert location == "/"


@pytest.mark.parametrize(
    "target",
    ["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/%2F/evil.example"],
)
def test_next_with_hidden_characters_still_stays_on_the_site(site: Site, target: str) -> None:
    _, location = _log_in_with_next(site, target)
    assert resolved_by_a_browser(f"{site.url}/login", location) == tuple(urlsplit(site.url)[:2])


def test_choosing_a_language_never_sends_the_browser_to_another_site(site: Site) -> None:
    name, password = new_user(site)
    with browser(site) as client:
        assert log_in(client, name, password).status_code == 303
        csrf = signed_in_csrf(client)
        for target, expected in [
            ("//evil.example", "/"),
            ("/actions?mine=true", "/actions?mine=true"),
        ]:
            chosen = client.post(
                "/language", data={"language": "en", "next": target, "csrf_token": csrf}
            )
            assert chosen.status_code == 303
            assert chosen.headers["location"] == expected


def test_signing_in_returns_to_the_page_that_asked_for_it(site: Site) -> None:
    name, password = new_user(site)
    wanted = "/actions?owner=me&overdue=true"
    with browser(site) as client:
        sent = client.get(wanted)
        assert sent.status_code == 303
        assert sent.headers["location"] == f"/login?next={quote(wanted, safe='')}"
        signed = log_in(client, name, password, next_path=wanted)
        assert signed.status_code == 303
        assert signed.headers["location"] == wanted
        assert client.get(wanted).status_code == 200
