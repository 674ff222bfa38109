"""No request holds the event loop while it waits for the database: with a table
locked by another connection, the request waits and /health goes on answering."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from hansei.model.access import Role
from hansei.services import saving
from hansei.web.app import WORKER_THREADS
from tests.factories import postmortem
from tests.web.site import Site, answered_while_locked


@pytest.mark.parametrize(
    ("path", "table", "as_browser"),
    [
        ("/api/v1/postmortems", "api_tokens", False),
        ("/api/v1/postmortems", "postmortems", False),
        ("/api/v1/reviews/waiting", "postmortem_reviewers", False),
        ("/", "sessions", True),
        ("/postmortems/{id}", "postmortems", True),
        ("/postmortems/{id}/history", "revisions", True),
        ("/api/v1/postmortems/{id}", "postmortems", False),
        ("/actions", "action_items", True),
        ("/api/v1/action-items", "action_items", False),
    ],
)
def test_a_request_waiting_for_the_database_leaves_the_server_answering(
    postgresql_site: Site, path: str, table: str, as_browser: bool
) -> None:
    site = postgresql_site
    stored = saving.create_postmortem(site.database, postmortem(title="待つ"), user="t")
    target = path.format(id=stored.postmortem_id)
    client = site.browser(Role.viewer).client if as_browser else site.api(Role.viewer)
    assert client.get(target).status_code == 200
    try:
        answers = answered_while_locked(site, table, lambda: client.get(target).status_code)
    finally:
        client.close()
    assert answers == [200]


def test_requests_wait_for_the_database_on_a_bounded_number_of_threads(
    postgresql_site: Site,
) -> None:
    site = postgresql_site
    clients = [site.api(Role.viewer) for _ in range(WORKER_THREADS + 4)]
    answers: list[int] = []
    with site.database.engine.connect() as holder:
        holder.exec_driver_sql("LOCK TABLE postmortems IN ACCESS EXCLUSIVE MODE")
        waiting = [
            threading.Thread(
                target=lambda client=client: answers.append(
                    client.get("/api/v1/postmortems").status_code
                )
            )
            for client in clients
        ]
        for thread in waiting:
            thread.start()
        try:
            time.sleep(1.0)
            with site.database.engine.connect() as observer:
                blocked = observer.exec_driver_sql(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                ).scalar_one()
            assert blocked == WORKER_THREADS
            assert httpx.get(f"{site.url}/health", timeout=5).status_code == 200
        finally:
            holder.rollback()
            for thread in waiting:
                thread.join(timeout=30)
            for client in clients:
                client.close()
    assert answers == [200] * len(clients)


@pytest.mark.parametrize(
    ("method", "path", "body", "table"),
    [
        ("POST", "/api/v1/postmortems", "document", "postmortems"),
        ("PUT", "/api/v1/postmortems/{id}", "update", "postmortems"),
        ("POST", "/api/v1/postmortems/{id}/restore", {"revision": 1}, "postmortems"),
        ("POST", "/api/v1/postmortems/{id}/review", {"action": "request_review"}, "postmortems"),
        ("GET", "/api/v1/postmortems/{id}/metrics", None, "postmortems"),
        ("GET", "/api/v1/postmortems/{id}/lint", None, "postmortems"),
        ("GET", "/api/v1/postmortems/{id}/revisions", None, "revisions"),
        ("GET", "/api/v1/postmortems/{id}/diff?old=1&new=1", None, "postmortems"),
        ("GET", "/api/v1/tokens", None, "api_tokens"),
        ("GET", "/api/v1/users", None, "users"),
    ],
)
def test_a_write_or_read_waiting_for_the_database_leaves_the_server_answering(
    postgresql_site: Site, method: str, path: str, body: object, table: str
) -> None:
    site = postgresql_site
    stored = saving.create_postmortem(site.database, postmortem(title="待つ"), user="t")
    target = path.format(id=stored.postmortem_id)
    client = site.api(Role.admin)
    document = client.get(f"/api/v1/postmortems/{stored.postmortem_id}").json()["postmortem"]
    payload = (
        {
            "document": {"postmortem": document},
            "update": {"base_revision": 1, "postmortem": {**document, "summary": "変えた"}},
        }.get(body, body)
        if isinstance(body, str)
        else body
    )
    try:
        answers = answered_while_locked(
            site, table, lambda: client.request(method, target, json=payload).status_code
        )
    finally:
        client.close()
    assert len(answers) == 1
    assert answers[0] < 500
