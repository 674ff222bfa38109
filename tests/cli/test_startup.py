"""Commands that need neither the store nor the web app do not load them.

`hansei --help` and `hansei lint` start fast because the store, SQLAlchemy,
Alembic, Jinja2 and the web stack are imported only by the commands that use
them (bench/cli.py times it). These tests guard the behaviour, not the time.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES, ROOT

HEAVY = (
    "sqlalchemy", "alembic", "psycopg", "jinja2", "uvicorn", "starlette", "fastapi", "httpx",
    "argon2", "hansei.store", "hansei.web", "hansei.markdown.html",
)  # fmt: skip
EXAMPLE = (EXAMPLES / "2025-05-20-search-latency.en.md").relative_to(ROOT)  # run from ROOT

# Runs the command line in a fresh interpreter, then names the heavy modules it loaded.
RUN = """
import json, sys
from hansei.cli.app import main
sys.argv = ["hansei", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
heavy = {heavy!r}
loaded = sorted(m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy))
print("LOADED " + json.dumps(loaded), file=sys.stderr)
"""


def loaded_modules(*arguments: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", RUN.format(heavy=HEAVY), *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    assert last.startswith("LOADED "), done.stderr
    loaded: list[str] = json.loads(last.removeprefix("LOADED "))
    return loaded


def test_importing_the_command_line_loads_no_store_nor_web() -> None:
    code = (
        "import sys, hansei.cli.app\n"
        f"heavy = {HEAVY!r}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "arguments",
    [
        ["--help"],
        ["--version"],
        ["lint", "--help"],
        ["lint", str(EXAMPLE)],
        ["lint", "--format", "json", str(EXAMPLE)],
        ["parse", str(EXAMPLE)],
        ["metrics", str(EXAMPLE)],
        ["db", "--help"],
        ["serve", "--help"],
        ["actions", "--help"],
    ],
    ids=" ".join,
)
def test_commands_without_the_store_do_not_load_it(arguments: list[str]) -> None:
    assert loaded_modules(*arguments) == []


def test_a_store_command_loads_the_store_when_it_runs() -> None:
    # The other side: the laziness moves the imports, it does not lose them.
    assert "sqlalchemy" in loaded_modules("db", "status", "--db", "sqlite:///:memory:")
