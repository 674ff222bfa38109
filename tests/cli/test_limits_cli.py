"""Files past the size limit are refused unread: `file: too large (N MB, limit M MB)`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hansei.cli.app import app
from tests.conftest import EXAMPLES

WALK = EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def huge(tmp_path: Path) -> Path:
    """The example with a 1.2 MB appendix: a real document, only too large."""
    path = tmp_path / "huge.md"
    padding = "\n## 雑記\n\n" + ("ログの行です。" * 20 + "\n\n") * 2900
    path.write_text(WALK.read_text(encoding="utf-8") + padding, encoding="utf-8")
    assert 1_100_000 < path.stat().st_size < 1_300_000
    return path


@pytest.mark.parametrize("command", ["parse", "render", "metrics"])
def test_reading_commands_refuse_a_file_over_the_limit(
    runner: CliRunner, huge: Path, command: str
) -> None:
    result = runner.invoke(app, [command, str(huge)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{huge}: too large (1.2 MB, limit 1 MB)")
    assert result.stdout == ""


def test_the_limit_is_a_setting(runner: CliRunner, huge: Path) -> None:
    result = runner.invoke(
        app, ["parse", str(huge), "--json"], env={"HANSEI_MAX_DOCUMENT_BYTES": "2000000"}
    )
    assert result.exit_code == 0, result.stderr
    assert '"title"' in result.stdout
    refused = runner.invoke(app, ["parse", str(WALK)], env={"HANSEI_MAX_DOCUMENT_LINES": "100"})
    assert refused.exit_code == 2
    assert f"{WALK}:101: too many lines" in refused.stderr


def test_lint_reports_it_as_an_error_of_the_file(runner: CliRunner, huge: Path) -> None:
    result = runner.invoke(app, ["lint", str(huge), str(WALK)])
    assert result.exit_code == 1
    assert f"{huge}:1: error parse-error too large (1.2 MB, limit 1 MB)" in result.stdout


def test_import_stores_the_others(runner: CliRunner, huge: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    result = runner.invoke(app, ["import", str(huge), str(WALK), "--db", db])
    assert result.exit_code == 1
    assert result.stdout == "1 created, 0 updated, 0 unchanged, 1 failed\n"
    assert f"{huge}: too large (1.2 MB, limit 1 MB)" in result.stderr


def test_json_that_would_read_back_over_a_limit_is_refused(
    runner: CliRunner, tmp_path: Path
) -> None:
    document = {"title": "多すぎる", "went_well": [f"項目 {n}" for n in range(200)]}
    path = tmp_path / "many.json"
    path.write_text(json.dumps({"postmortem": document}, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["parse", str(path)], env={"HANSEI_MAX_DOCUMENT_LINES": "150"})
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:151: too many lines")
