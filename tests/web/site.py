"""A real hansei server on 127.0.0.1 for the web tests, with one user per role."""

from __future__ import annotations

import html
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
import uvicorn

from hansei.config import Settings
from hansei.model.access import Role
from hansei.services import accounts
from hansei.store import Database
from hansei.web import create_app

PASSWORDS = {role: f"{role.value}-password" for role in Role}


def user_name(role: Role) -> str:
    return f"{role.value}-user"


@dataclass
class Site:
    url: str
    database: Database
    tokens: dict[Role, str] = field(default_factory=dict)
    opened: list[httpx.Client] = field(default_factory=list)

    def close(self) -> None:
        """Close the signed-in clients `browser()` made."""
        for client in self.opened:
            client.close()
        self.opened.clear()

    def api(self, role: Role | None) -> httpx.Client:
        """A script's client: the role's API token (None: no credentials at all)."""
        return self.script(None if role is None else self.tokens[role])

    def script(self, token: str | None) -> httpx.Client:
        """A client that sends `token` as `Authorization: Bearer` (None: nothing)."""
        headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)

    def browser(self, role: Role) -> SignedInBrowser:
        """A client signed in as the role's user through the login form."""
        return self.signed_in(user_name(role), PASSWORDS[role])

    def signed_in(self, name: str, password: str) -> SignedInBrowser:
        """A client that signs in through the login form, as a browser does."""
        client = httpx.Client(base_url=self.url, timeout=30, follow_redirects=False)
        self.opened.append(client)
        signed = log_in(client, name, password)
        assert signed.status_code == 303, signed.text
        return SignedInBrowser(client, hidden_field(client.get("/account").text, "csrf_token"))


@dataclass
class SignedInBrowser:
    client: httpx.Client
    csrf: str

    def get(self, path: str, **options: Any) -> httpx.Response:
        return self.client.get(path, **options)

    def post_form(self, path: str, data: dict[str, Any] | list[tuple[str, str]]) -> httpx.Response:
        """A form post carrying the session's CSRF token, as the pages' forms do.

        Repeated names (the editor's rows) come as a list of pairs, in page order.
        """
        pairs = list(data.items()) if isinstance(data, dict) else list(data)
        fields: dict[str, list[str]] = {"csrf_token": [self.csrf]}
        for name, value in pairs:
            fields.setdefault(name, []).append(value)
        return self.client.post(path, data=fields)


def hidden_field(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no hidden {name} field in the page"
    return html.unescape(found.group(1))


def log_in(
    client: httpx.Client, name: str, password: str, *, next_path: str = "/"
) -> httpx.Response:
    """Fill in and send the login form, as a person does."""
    form = client.get("/login", params={"next": next_path})
    assert form.status_code == 200
    return client.post(
        "/login",
        data={
            "name": name,
            "password": password,
            "login_csrf": hidden_field(form.text, "login_csrf"),
            "next": hidden_field(form.text, "next"),
        },
    )


@contextmanager
def site_serving(database: Database, settings: Settings | None = None) -> Iterator[Site]:
    """A site on `database` with a user and an API token of every role, served over real
    HTTP until the block ends."""
    tokens = add_role_users(database)
    with running_server(database, settings) as url:
        site = Site(url=url, database=database, tokens=tokens)
        try:
            yield site
        finally:
            site.close()


@contextmanager
def running_server(database: Database, settings: Settings | None = None) -> Iterator[str]:
    """Serve the app over real HTTP on a free port of 127.0.0.1; yields its base URL."""
    app = create_app(settings or Settings(), database=database)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def add_role_users(database: Database) -> dict[Role, str]:
    tokens = {}
    for role in Role:
        accounts.add_user(database, user_name(role), role=role, password=PASSWORDS[role])
        _, tokens[role] = accounts.create_token(database, user_name(role), label="tests")
    return tokens


def post_markdown(site: Site, markdown: str | bytes, role: Role = Role.author) -> str:
    """Create a postmortem through the API from Markdown; its id."""
    content = markdown.encode() if isinstance(markdown, str) else markdown
    with site.api(role) as api:
        created = api.post(
            "/api/v1/postmortems", content=content, headers={"Content-Type": "text/markdown"}
        )
    assert created.status_code == 201, created.text
    identifier: str = created.json()["id"]
    return identifier


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving_process(arguments: list[str], log: Path) -> Iterator[str]:
    """`hansei serve ARGUMENTS --port P` as a process of its own (as an operator starts
    it), until its /health answers; yields its base URL and stops it afterwards."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "hansei"), "serve", *arguments]
    with log.open("w") as output:
        server = subprocess.Popen([*command, "--port", str(port)], stdout=output, stderr=output)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, f"{' '.join(command)} stopped:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"{' '.join(command)}:\n{log.read_text()}"
            time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def answered_while_locked(site: Site, table: str, request: Callable[[], int]) -> list[int]:
    """The statuses of `request`, sent while another connection holds `table`."""
    return answered_while_held(
        site,
        lambda holder: holder.exec_driver_sql(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"),
        request,
    )


def answered_while_held(
    site: Site,
    hold: Callable[[sa.Connection], object],
    request: Callable[[], int],
    *,
    settle: float = 0.5,
) -> list[int]:
    """The statuses of `request`, sent while another connection's open transaction
    (`hold`) keeps it waiting; meanwhile /health must go on answering."""
    answers: list[int] = []
    with site.database.engine.connect() as holder:
        hold(holder)
        waiting = threading.Thread(target=lambda: answers.append(request()))
        waiting.start()
        try:
            # The request is now waiting on the database: the event loop must not wait.
            time.sleep(settle)
            assert waiting.is_alive()
            assert httpx.get(f"{site.url}/health", timeout=5).status_code == 200
        finally:
            holder.rollback()
            waiting.join(timeout=30)
    return answers
