from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.databases import fresh_database
from tests.web.site import Site, site_serving


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One server per test module on a SQLite store of its own, a user for every role."""
    folder: Path = tmp_path_factory.mktemp("site")
    with fresh_database("sqlite", folder) as database, site_serving(database) as site:
        yield site


@pytest.fixture
def postgresql_site(tmp_path: Path) -> Iterator[Site]:
    """On PostgreSQL alone: there another connection can hold a request back (a table lock)."""
    with fresh_database("postgresql", tmp_path) as database, site_serving(database) as site:
        yield site
