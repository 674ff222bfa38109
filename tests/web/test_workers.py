"""`hansei serve --workers 2` against one PostgreSQL: the processes share nothing but it."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from hansei.model.access import Role
from hansei.services import history
from hansei.store import open_database
from tests.conftest import EXAMPLES
from tests.databases import fresh_database
from tests.factories import draft_markdown
from tests.web.site import Site, add_role_users, post_markdown, serving_process


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp_path = tmp_path_factory.mktemp("workers")
    with fresh_database("postgresql", tmp_path) as database:
        url = database.engine.url.render_as_string(hide_password=False)
        tokens = add_role_users(database)
        with serving_process(["--db", url, "--workers", "2"], tmp_path / "serve.log") as base:
            site = Site(url=base, database=database, tokens=tokens)
            yield site
            site.close()


def test_two_workers_share_sessions_writes_and_conflicts(two_workers: Site) -> None:
    site = two_workers
    browser = site.browser(Role.author)
    # Every request may land on either process: the session must hold on both.
    assert all(browser.get("/account").status_code == 200 for _ in range(20))

    markdown = draft_markdown((EXAMPLES / "2025-03-02-auth-db-pool-exhaustion.ja.md").read_text())

    def create(number: int) -> str:
        return post_markdown(
            site, markdown.replace("# ポストモーテム: ", f"# ポストモーテム: #{number} ", 1)
        )

    with site.api(Role.viewer) as api:
        before = api.get("/api/v1/postmortems").json()["total"]
    with ThreadPoolExecutor(8) as pool:
        identifiers = list(pool.map(create, range(16)))
    assert len(set(identifiers)) == 16
    with site.api(Role.viewer) as api:
        assert api.get("/api/v1/postmortems").json()["total"] == before + 16
        current = api.get(f"/api/v1/postmortems/{identifiers[0]}").json()

    def update(summary: str) -> int:
        changed = dict(current["postmortem"], summary=summary)
        with site.api(Role.author) as api:
            return api.put(
                f"/api/v1/postmortems/{identifiers[0]}",
                json={"base_revision": current["revision"], "postmortem": changed},
            ).status_code

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(update, ["From one worker.", "From the other."]))
    assert outcomes == [200, 409]


def test_the_workers_use_the_store_they_were_given(two_workers: Site) -> None:
    url = two_workers.database.engine.url.render_as_string(hide_password=False)
    database = open_database(url)
    try:
        identifier = post_markdown(
            two_workers, (EXAMPLES / "2025-05-20-search-latency.en.md").read_bytes()
        )
        stored = history.get_postmortem(database, identifier)
        assert stored.updated_by == "author-user"
    finally:
        database.dispose()
