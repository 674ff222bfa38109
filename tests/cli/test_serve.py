"""`hansei serve --demo`, the README's run command, from nothing to a signed-in list."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from typer.testing import CliRunner

from hansei.cli.app import app
from hansei.services import demo, saving
from hansei.services.searching import ActionFilters, find_action_items
from hansei.store import open_database
from tests.factories import postmortem
from tests.web.site import log_in, serving_process

HANSEI = str(Path(sys.executable).parent / "hansei")


@contextmanager
def _serving(url: str, log: Path) -> Iterator[tuple[str, str]]:
    """`hansei serve --demo`: its address, and what it printed."""
    with serving_process(["--demo", "--db", url], log) as base:
        yield base, log.read_text()


def test_serve_demo_starts_from_nothing_and_lets_the_demo_login_in(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'not' / 'yet' / 'demo.db'}"
    with _serving(url, tmp_path / "serve.log") as (base, printed):
        assert f"added {demo.DEMO_POSTMORTEMS} demo postmortems" in printed
        assert f"serving {base}/" in printed
        assert f"demo login: {demo.DEMO_USER} / {demo.DEMO_PASSWORD}" in printed
        with httpx.Client(base_url=base) as browser:
            signed = log_in(browser, demo.DEMO_USER, demo.DEMO_PASSWORD)
            assert signed.status_code == 303
            listed = browser.get("/")
            assert f"{demo.DEMO_POSTMORTEMS} 件" in listed.text
    # A second start keeps the store as it is.
    with _serving(url, tmp_path / "again.log") as (_, printed):
        assert "demo postmortems" not in printed


def test_serve_demo_refuses_a_store_that_holds_real_postmortems(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'team.db'}"
    database = open_database(url)
    try:
        saving.create_postmortem(database, postmortem(title="real"), user="t")
    finally:
        database.dispose()
    result = CliRunner().invoke(app, ["serve", "--demo", "--db", url, "--port", "1"])
    assert result.exit_code == 2
    assert "--demo fills only an empty store" in result.stderr


def test_the_demo_login_owns_some_action_items(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        demo.seed_demo(database, count=8)
        mine = find_action_items(database, ActionFilters(owner=demo.DEMO_USER))
    finally:
        database.dispose()
    assert len({item.postmortem_id for item in mine}) == 2
