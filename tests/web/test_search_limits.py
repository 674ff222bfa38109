"""Search over HTTP, on both databases: a query holds at most MAX_QUERY_WORDS words and
MAX_QUERY_LENGTH characters (the API and the list page refuse more naming the limit),
and a slow search never keeps the server from answering others."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hansei.model.access import Role
from hansei.services import saving
from hansei.services.searching import MAX_QUERY_LENGTH, MAX_QUERY_WORDS
from hansei.store import Database
from tests.factories import postmortem
from tests.web.site import Site, add_role_users, answered_while_locked, running_server

WORDS = [chr(0x4E00 + n) for n in range(MAX_QUERY_WORDS + 1)]


@pytest.fixture
def site(database: Database) -> Iterator[Site]:
    tokens = add_role_users(database)
    saving.create_postmortem(
        database, postmortem(title="障害", summary=" ".join(WORDS)), user="test"
    )
    with running_server(database) as url:
        site = Site(url=url, database=database, tokens=tokens)
        yield site
        site.close()


def test_the_api_refuses_a_search_of_too_many_words(site: Site) -> None:
    with site.api(Role.viewer) as api:
        refused = api.get("/api/v1/search", params={"q": " ".join(WORDS)})
        assert refused.status_code == 422, refused.text
        assert f"at most {MAX_QUERY_WORDS} " in refused.text
        assert refused.json()["errors"][0]["field"] == "q"
        answered = api.get("/api/v1/search", params={"q": " ".join(WORDS[:MAX_QUERY_WORDS])})
        assert answered.status_code == 200, answered.text
        assert [item["title"] for item in answered.json()["items"]] == ["障害"]


def test_the_api_refuses_a_search_too_long(site: Site) -> None:
    with site.api(Role.viewer) as api:
        refused = api.get("/api/v1/search", params={"q": "障" * (MAX_QUERY_LENGTH + 1)})
    assert refused.status_code == 422, refused.text
    assert f"{MAX_QUERY_LENGTH:,}" in refused.text


def test_the_list_page_names_the_limit_instead_of_searching(site: Site) -> None:
    browser = site.browser(Role.viewer)
    page = browser.get("/", params={"q": " ".join(WORDS)})
    assert page.status_code == 200
    assert f"at most {MAX_QUERY_WORDS} words" in page.text
    assert 'class="results"' not in page.text
    found = browser.get("/", params={"q": " ".join(WORDS[:MAX_QUERY_WORDS])})
    assert found.status_code == 200
    assert 'class="results"' in found.text
    assert "at most" not in found.text


@pytest.mark.parametrize("path", ["/api/v1/search", "/"])
def test_a_search_waiting_for_the_database_leaves_the_server_answering(
    postgresql_site: Site, path: str
) -> None:
    site = postgresql_site
    client = site.api(Role.viewer) if path.startswith("/api/") else site.browser(Role.viewer).client
    try:
        answers = answered_while_locked(
            site, "postmortems", lambda: client.get(path, params={"q": "障害"}).status_code
        )
    finally:
        client.close()
    assert answers == [200]
