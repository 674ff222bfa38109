"""Adding a user hashes its password (argon2, a good part of a second's CPU) in a worker
thread: the event loop goes on answering meanwhile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from hansei.model.access import Role
from hansei.store.tables import UserRow
from tests.databases import fresh_database
from tests.web.site import Site, answered_while_held, site_serving


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    # PostgreSQL alone lets a reader pass an uncommitted insert, which holds the work back.
    with fresh_database("postgresql", tmp_path) as database, site_serving(database) as site:
        yield site


def test_adding_a_user_leaves_the_server_answering(site: Site) -> None:
    # Timing eight hashes against /health says the same but depends on the machine's
    # load; another transaction inserting the same name keeps the work from finishing
    # for sure (the unique index makes the second insert wait for the first to end).
    def add() -> int:
        body = {"name": "held", "role": "viewer", "password": "held-password"}
        with site.api(Role.admin) as api:
            return api.post("/api/v1/users", json=body).status_code

    answers = answered_while_held(
        site,
        lambda holder: holder.execute(
            sa.insert(UserRow).values(
                name="held", name_key="held", role="viewer", created_at=dt.datetime.now(dt.UTC)
            )
        ),
        add,
        settle=0.8,
    )
    assert answers == [201]
