"""The `hansei` commands, run in-process and, for exit codes, as the installed console script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hansei.cli.app import app
from hansei.markdown import parse_markdown
from hansei.model import Severity
from tests.conftest import EXAMPLES, example_paths

METRIC_KEYS = {
    "ttd_minutes", "tta_minutes", "ttm_minutes", "ttr_minutes", "ttf_minutes",
    "downtime_minutes", "availability_pct", "budget_minutes", "budget_consumed_window_pct",
    "budget_consumed_pct", "budget_remaining_window_pct", "budget_remaining_minutes",
}  # fmt: skip
WALK = EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_new_writes_a_document_with_what_is_known(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "pm.md"
    result = runner.invoke(
        app,
        [
            "new", "--title", "決済 API 障害", "--author", "@ito", "--service", "Payment API",
            "--service", "Auth API", "--severity", "high", "--detected", "2025-06-16 10:05",
            "--occurred", "2025-06-16 10:00", "--recovered", "2025-06-16 10:30", "-o", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    pm = parse_markdown(out.read_text(encoding="utf-8")).postmortem
    assert pm.title == "決済 API 障害"
    assert pm.author == "@ito"
    assert pm.impact.services == ["Payment API", "Auth API"]
    assert pm.impact.severity == Severity.high
    assert pm.times.detected is not None
    assert pm.times.detected.isoformat() == "2025-06-16T10:05:00+09:00"
    text = out.read_text(encoding="utf-8")
    assert "- **ダウンタイム**: 30分" in text
    assert "**著者**: @ito" in text
    assert "- **影響度**: High" in text


def test_new_refuses_to_overwrite_without_force(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "pm.md"
    out.write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["new", "-o", str(out)])
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert out.read_text(encoding="utf-8") == "keep me"
    assert runner.invoke(app, ["new", "-o", str(out), "--force", "--lang", "en"]).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# Postmortem: [Incident title]")


def test_new_rejects_a_bad_time_with_the_option_named(runner: CliRunner) -> None:
    result = runner.invoke(app, ["new", "--detected", "yesterday"])
    assert result.exit_code == 2
    assert "--detected: not a date and time" in result.output


def test_parse_json_has_the_model_and_every_metric(runner: CliRunner) -> None:
    result = runner.invoke(app, ["parse", str(WALK), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"postmortem", "metrics"}
    assert set(data["metrics"]) == METRIC_KEYS
    assert data["metrics"]["ttd_minutes"] == 5
    assert data["metrics"]["budget_minutes"] == 43.2
    assert data["postmortem"]["times"]["detected"] == "2025-01-16T12:05:00+09:00"


def test_parse_json_has_nulls_for_what_cannot_be_derived(
    runner: CliRunner, template_text: str, tmp_path: Path
) -> None:
    path = tmp_path / "template.md"
    path.write_text(template_text, encoding="utf-8")
    data = json.loads(runner.invoke(app, ["parse", str(path), "--json"]).stdout)
    assert all(data["metrics"][key] is None for key in METRIC_KEYS)


def test_parse_prints_a_summary(runner: CliRunner) -> None:
    result = runner.invoke(app, ["parse", str(WALK)])
    assert result.exit_code == 0
    assert "timeline rows: 8, whys: 5, action items: 8" in result.stdout


def test_render_round_trips_through_json(runner: CliRunner, tmp_path: Path) -> None:
    as_json = runner.invoke(app, ["render", str(WALK), "--format", "json"]).stdout
    path = tmp_path / "walk.json"
    path.write_text(as_json, encoding="utf-8")
    back = runner.invoke(app, ["render", str(path)])
    assert back.exit_code == 0
    assert back.stdout == WALK.read_text(encoding="utf-8")


def test_render_in_english_and_html(runner: CliRunner, tmp_path: Path) -> None:
    english = runner.invoke(app, ["render", str(WALK), "--lang", "en"]).stdout
    assert english.startswith("# Postmortem: ")
    assert "- **MTTD (Mean Time To Detect)**: 5 min" in english
    out = tmp_path / "walk.html"
    assert (
        runner.invoke(app, ["render", str(WALK), "--format", "html", "-o", str(out)]).exit_code == 0
    )
    assert "<h1>ポストモーテム: Walk API" in out.read_text(encoding="utf-8")


def test_metrics_table_and_json(runner: CliRunner) -> None:
    paths = [str(p) for p in example_paths()]
    table = runner.invoke(app, ["metrics", *paths])
    assert table.exit_code == 0
    assert "99.919%" in table.stdout
    assert "99.836%" in table.stdout
    rows = json.loads(runner.invoke(app, ["metrics", "--json", *paths]).stdout)
    assert [row["metrics"]["availability_pct"] for row in rows] == [99.919, 99.845, 99.836]


def test_schema_describes_the_model(runner: CliRunner) -> None:
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    assert schema["title"] == "Postmortem"
    assert {"times", "action_items", "rca"} <= set(schema["properties"])


def test_unreadable_values_are_warned_about_with_file_and_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "pm.md"
    path.write_text("# ポストモーテム: x\n\n- **検知**: 明日の朝\n", encoding="utf-8")
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 0
    assert f"{path}:3: warning: bad-timestamp:" in result.stderr


def test_json_input_errors_name_the_line_and_field(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "pm.json"
    path.write_text(
        '{\n  "title": "x",\n  "impact": {\n    "severity": "huge"\n  }\n}\n', encoding="utf-8"
    )
    result = runner.invoke(app, ["render", str(path)])
    assert result.exit_code == 2
    assert f"{path}:4: " in result.stderr
    assert "(impact.severity)" in result.stderr


def _console_script() -> str:
    script = shutil.which("hansei", path=os.path.dirname(sys.executable)) or shutil.which("hansei")
    assert script is not None, "the hansei console script is not installed"
    return script


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just notes\n", ":1: not a postmortem"),
        (b"# \xe3\x83\x9d\n\n\xff\xfe broken\n", ":3: not UTF-8 text"),
        (b"# \xe3\x83\x9d\r\r\n\r\xff\xfe broken\n", ":4: not UTF-8 text"),
        (b"", ":1: the document is empty"),
    ],
)
def test_a_bad_document_exits_2_with_file_and_line_and_no_traceback(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    done = subprocess.run(
        [_console_script(), "parse", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert f"{path}{message}" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    done = subprocess.run(
        [_console_script(), "metrics", str(tmp_path / "nope.md")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "nope.md: cannot read the file" in done.stderr


def test_version() -> None:
    done = subprocess.run(
        [_console_script(), "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("hansei ")


def test_titles_are_printed_as_written_not_as_markup(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text("# ポストモーテム: [P1] 決済 [/] 停止 [bold]x[/]\n", encoding="utf-8")
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 0
    assert "[P1] 決済 [/] 停止 [bold]x[/]" in result.stdout


def test_metrics_reports_a_bad_file_and_still_shows_the_others(
    runner: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "notes.md"
    bad.write_text("just notes\n", encoding="utf-8")
    result = runner.invoke(app, ["metrics", "--json", str(WALK), str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:1: not a postmortem" in result.stderr
    assert [row["file"] for row in json.loads(result.stdout)] == [str(WALK)]


def test_slo_target_fills_in_for_documents_without_one(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text(
        "# ポストモーテム: x\n\n- **検知**: 2025-01-16 12:05\n- **復旧**: 2025-01-16 12:20\n",
        encoding="utf-8",
    )
    plain = json.loads(runner.invoke(app, ["parse", str(path), "--json"]).stdout)
    assert plain["metrics"]["budget_consumed_pct"] is None
    targeted = runner.invoke(app, ["parse", str(path), "--json", "--slo-target", "0.999"])
    assert json.loads(targeted.stdout)["metrics"]["budget_consumed_pct"] == 34.7
    walk = runner.invoke(app, ["parse", str(WALK), "--json", "--slo-target", "0.9"])
    assert json.loads(walk.stdout)["metrics"]["budget_minutes"] == 43.2  # its own target wins
    assert runner.invoke(app, ["metrics", str(WALK), "--slo-target", "1"]).exit_code == 2


def test_a_bad_setting_is_named(runner: CliRunner) -> None:
    result = runner.invoke(app, ["new"], env={"HANSEI_SLO_TARGET": "oops"})
    assert result.exit_code == 2
    assert "HANSEI_SLO_TARGET:" in result.stderr


def test_new_creates_the_folder_and_takes_a_date(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "postmortems" / "2025" / "pm.md"
    result = runner.invoke(
        app, ["new", "--date", "2025-06-17", "--timezone", "PST", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    pm = parse_markdown(out.read_text(encoding="utf-8")).postmortem
    assert pm.date is not None
    assert pm.date.isoformat() == "2025-06-17"
    assert pm.timezone == "America/Los_Angeles"
