"""Accounts under concurrent requests: password hashing never holds the event loop."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from hansei.model.access import Role
from hansei.store import Database
from tests.web.site import Site, add_role_users, running_server


@pytest.fixture
def site(database: Database) -> Iterator[Site]:
    tokens = add_role_users(database)
    with running_server(database) as url:
        site = Site(url=url, database=database, tokens=tokens)
        yield site
        site.close()


def test_adding_users_leaves_the_server_answering(site: Site) -> None:
    def add(name: str) -> int:
        with site.api(Role.admin) as api:
            body = {"name": name, "role": "viewer", "password": f"{name}-password"}
            return api.post("/api/v1/users", json=body).status_code

    started = time.monotonic()
    assert add("alone") == 201
    one = time.monotonic() - started

    answers: list[int] = []
    threads = [
        threading.Thread(target=lambda n=n: answers.append(add(f"user{n}"))) for n in range(8)
    ]
    for thread in threads:
        thread.start()
    slowest = 0.0
    with httpx.Client(base_url=site.url, timeout=30) as client:
        while any(thread.is_alive() for thread in threads):
            asked = time.monotonic()
            assert client.get("/health").status_code == 200
            slowest = max(slowest, time.monotonic() - asked)
    for thread in threads:
        thread.join()
    assert answers == [201] * 8
    # Eight hashes on the event loop kept /health waiting for several of them in turn
    # (3 to 4 times one creation); off it, /health shares the CPU with them but waits
    # for none (about half of one creation on 2 cores).
    assert slowest < 2 * one, (slowest, one)
