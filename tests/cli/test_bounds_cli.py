"""The commands over values past the model's bounds: a diagnostic or a clear error with
the field or option, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hansei.cli.app import app
from hansei.config import load_settings
from hansei.errors import SettingsError
from hansei.model.limits import MAX_SLO_TARGET, MAX_WINDOW_DAYS
from tests.conftest import EXAMPLES

WALK = (EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md").read_text(encoding="utf-8")
YEAR_ONE = WALK.replace("**検知**: 2025-01-16 12:05:00 JST", "**検知**: 0001-01-01 00:00", 1)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), start=1) if fragment in line)


@pytest.mark.parametrize(
    "command",
    [
        ["parse"],
        ["lint"],
        ["render"],
        ["render", "--format", "json"],
        ["render", "--format", "html"],
        ["metrics"],
    ],
    ids=" ".join,
)
def test_a_timestamp_in_year_one_is_reported_by_every_reading_command(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    path = tmp_path / "pm.md"
    path.write_text(YEAR_ONE, encoding="utf-8")
    result = runner.invoke(app, [*command, str(path)])
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    assert result.exit_code in (0, 1), result.output
    if command == ["lint"]:
        line = _line_of(YEAR_ONE, "0001-01-01")
        assert f"pm.md:{line}" in result.stdout
        assert "bad-timestamp" in result.stdout


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"impact": {"downtime_minutes": 1e308}}, "impact.downtime_minutes"),
        ({"times": {"detected": "0001-01-01T00:00:00+09:00"}}, "times.detected"),
        ({"action_items": [{"number": 2**64, "horizon": "immediate"}]}, "action_items[0].number"),
    ],
)
def test_a_json_file_past_the_bounds_is_refused_naming_the_field(
    runner: CliRunner, tmp_path: Path, document: dict[str, object], field: str
) -> None:
    path = tmp_path / "pm.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    for command in (["render"], ["render", "--format", "html"], ["metrics"]):
        result = runner.invoke(app, [*command, str(path)])
        assert isinstance(result.exception, SystemExit), (command, result.exception)
        assert result.exit_code != 0
        assert field in result.output + result.stderr, (command, result.output)


@pytest.mark.parametrize(
    ("arguments", "option"),
    [
        (["new", "--detected", "0001-01-01 00:00"], "--detected"),
        (["search", "x", "--since", "0001-01-01"], "--since"),
        (["search", "x", "--until", "9999-12-31"], "--until"),
        (["show", "abcd", "--revision", str(2**31)], "--revision"),
        (["diff", "abcd", "1", str(2**64)], "NEW"),
        (["restore", "abcd", str(2**31)], "REVISION"),
        (["update", "abcd", "pm.md", "--base-revision", str(2**31)], "--base-revision"),
        (["new", "--slo-target", "0.99999999"], "--slo-target"),
        (["new", "--date", "0001-01-01"], "--date"),
        (["metrics", "pm.md", "--slo-target", "0.9999999999999999"], "--slo-target"),
    ],
)
def test_options_past_the_bounds_are_usage_errors_naming_the_option(
    runner: CliRunner, tmp_path: Path, arguments: list[str], option: str
) -> None:
    (tmp_path / "pm.md").write_text(WALK, encoding="utf-8")
    arguments = [str(tmp_path / "pm.md") if a == "pm.md" else a for a in arguments]
    db = f"sqlite:///{tmp_path / 'hansei.db'}"
    stored = {"new": ["-o", str(tmp_path / "new.md")], "metrics": []}.get(
        arguments[0], ["--db", db]
    )
    result = runner.invoke(app, [*arguments, *stored])
    assert result.exit_code == 2, result.output
    assert option.lower() in result.stderr.lower(), result.stderr


def test_the_slo_settings_take_the_models_bounds() -> None:
    assert load_settings({"HANSEI_SLO_WINDOW_DAYS": str(MAX_WINDOW_DAYS)}).slo_window_days == 3660
    assert load_settings({"HANSEI_SLO_TARGET": str(MAX_SLO_TARGET)}).slo_target == MAX_SLO_TARGET
    for name, value in [
        ("HANSEI_SLO_WINDOW_DAYS", str(MAX_WINDOW_DAYS + 1)),
        ("HANSEI_SLO_WINDOW_DAYS", str(2**64)),
        ("HANSEI_SLO_TARGET", "0.9999999"),
        ("HANSEI_SLO_TARGET", "nan"),
    ]:
        with pytest.raises(SettingsError, match=name):
            load_settings({name: value})
