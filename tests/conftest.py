from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hansei.store import Database
from tests.ci import running_in_ci
from tests.databases import empty_database_url, fresh_database

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples"
SHARED_TEMPLATE = ROOT.parent / "shared" / "seed" / "postmortem-template.ja.md"


@pytest.fixture
def template_text() -> str:
    return (FIXTURES / "postmortem-template.ja.md").read_text(encoding="utf-8")


def example_paths() -> list[Path]:
    return sorted(EXAMPLES.glob("*.md"))


DATABASE_KINDS = ["sqlite", "postgresql"]


@pytest.fixture(params=DATABASE_KINDS)
def database_kind(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    return kind


@pytest.fixture
def database(database_kind: str, tmp_path: Path) -> Iterator[Database]:
    """An empty store with the current schema, on SQLite and on PostgreSQL."""
    with fresh_database(database_kind, tmp_path) as opened:
        yield opened


@pytest.fixture
def database_url(database_kind: str, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database (no schema yet), on SQLite and on PostgreSQL."""
    with empty_database_url(database_kind, tmp_path) as url:
        yield url


CHROMIUM_PATHS = (Path("/usr/lib/chromium/chromium"), Path("/usr/bin/chromium"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's chromium, never a browser downloaded by Playwright (none is installed)."""
    executable = next((path for path in CHROMIUM_PATHS if path.exists()), None)
    if executable is None:
        message = "chromium is not installed (apt-get install chromium fonts-ipafont-gothic)"
        if running_in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": str(executable),
        "args": ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
    }
