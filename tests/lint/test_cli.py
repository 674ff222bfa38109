"""`hansei lint` over files, folders and globs, with its exit codes and formats."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hansei.cli.app import app
from hansei.lint import RULES
from tests.conftest import EXAMPLES, ROOT

WALK = (EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md").read_text(encoding="utf-8")


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_clean_files_exit_0() -> None:
    result = CliRunner().invoke(app, ["lint", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_errors_exit_1_with_file_line_severity_code(tmp_path: Path) -> None:
    bad = _write(
        tmp_path, "a/b/bad.md", WALK.replace("- **ダウンタイム**: 35分", "- **ダウンタイム**: 20分")
    )
    result = CliRunner().invoke(app, ["lint", str(tmp_path)])
    assert result.exit_code == 1
    line = WALK.split("\n").index("- **ダウンタイム**: 35分") + 1
    assert f"{bad}:{line}: error downtime-mismatch " in result.stdout


def test_warnings_only_exit_0_and_json_lists_findings(tmp_path: Path) -> None:
    path = _write(tmp_path, "pm.md", WALK.replace("**著者**: @ksato", "**著者**: [担当者名]"))
    result = CliRunner().invoke(app, ["lint", "--format", "json", str(path)])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert {row["code"] for row in rows} == {"placeholder", "missing-field"}
    assert set(rows[0]) == {"file", "line", "code", "severity", "message"}


def test_globs_and_a_file_that_is_no_postmortem(tmp_path: Path) -> None:
    _write(tmp_path, "x/notes.md", "just notes\n")
    _write(tmp_path, "x/ok.md", WALK)
    result = CliRunner().invoke(app, ["lint", str(tmp_path / "x" / "*.md")])
    assert result.exit_code == 1
    assert "notes.md:1: error parse-error not a postmortem" in result.stdout


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["lint", str(tmp_path / "nothing-*.md")]).exit_code == 2
    assert runner.invoke(app, ["lint", "--explain", "no-such-rule"]).exit_code == 2
    assert runner.invoke(app, ["lint", "--disable", "no-such-rule", str(EXAMPLES)]).exit_code == 2
    assert runner.invoke(app, ["lint"]).exit_code == 2


def test_explain_prints_what_a_rule_checks() -> None:
    result = CliRunner().invoke(app, ["lint", "--explain", "horizon-due-mismatch"])
    assert result.exit_code == 0
    assert "within 7 days" in result.stdout


def test_team_words_and_minimum_whys(tmp_path: Path) -> None:
    path = _write(tmp_path, "pm.md", WALK)
    plain = CliRunner().invoke(app, ["lint", "--format", "json", str(path), "--min-whys", "6"])
    assert [row["code"] for row in json.loads(plain.stdout)] == ["too-few-whys"]
    worded = CliRunner().invoke(
        app, ["lint", "--format", "json", str(path), "--blame-word", "凍結"]
    )
    assert {row["code"] for row in json.loads(worded.stdout)} == {"blame-language"}


def test_every_rule_has_an_up_to_date_page(tmp_path: Path) -> None:
    assert CliRunner().invoke(app, ["lint", "--rules-doc", str(tmp_path)]).exit_code == 0
    generated = {page.name: page.read_text(encoding="utf-8") for page in tmp_path.iterdir()}
    committed = {
        page.name: page.read_text(encoding="utf-8") for page in (ROOT / "docs" / "lint").iterdir()
    }
    assert generated == committed
    assert set(generated) == {"README.md"} | {f"{code}.md" for code in RULES}


def test_sarif_and_github_annotations(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "pm, v2.md", WALK.replace("- **ダウンタイム**: 35分", "- **ダウンタイム**: 20分")
    )
    line = WALK.split("\n").index("- **ダウンタイム**: 35分") + 1
    sarif = json.loads(CliRunner().invoke(app, ["lint", "--format", "sarif", str(path)]).stdout)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    result = run["results"][0]
    assert result["ruleId"] == "downtime-mismatch"
    assert result["level"] == "error"
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "downtime-mismatch"
    location = result["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": str(path)}, "region": {"startLine": line}}
    github = CliRunner().invoke(app, ["lint", "--format", "github", str(path)])
    assert github.exit_code == 1
    escaped = str(path).replace(",", "%2C")
    assert github.stdout.startswith(f"::error file={escaped},line={line},title=downtime-mismatch::")


def test_the_pre_commit_hook_runs_hansei_lint_on_markdown() -> None:
    hook = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "id: hansei-lint" in hook
    assert "entry: hansei lint" in hook
    assert "types: [markdown]" in hook
    assert "hansei lint --format github" in (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")


def test_settings_are_found_upward_and_flags_add_to_them(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.hansei]\nmin_whys = 6\ndisable = ["missing-due"]\nblame_words = ["凍結"]\n',
        encoding="utf-8",
    )
    text = WALK.replace("| @ksato | 2025-01-20 | ✅ Done |", "| @ksato |  | ✅ Done |")
    path = _write(tmp_path, "team/2025/pm.md", text)
    result = CliRunner().invoke(app, ["lint", "--format", "json", str(path)])
    assert {row["code"] for row in json.loads(result.stdout)} == {"too-few-whys", "blame-language"}
    (tmp_path / "team" / "hansei.toml").write_text("min_whys = 5\n", encoding="utf-8")
    nearer = CliRunner().invoke(app, ["lint", "--format", "json", str(path), "--min-whys", "5"])
    assert {row["code"] for row in json.loads(nearer.stdout)} == {"missing-due"}


def test_service_slo_targets_and_timezone_from_settings(tmp_path: Path) -> None:
    (tmp_path / "hansei.toml").write_text(
        'timezone = "UTC"\n[slo]\ntarget = 0.99\n[slo.services."Walk API"]\ntarget = 0.999\n',
        encoding="utf-8",
    )
    text = (
        "# ポストモーテム: x\n\n- **検知**: 2025-01-16 03:05\n- **復旧**: 2025-01-16 03:35\n"
        "- **影響を受けたサービス**: Walk API\n"
        "- **Error Budget 消費**: 30分のダウンタイム = 0.07%（Error Budget の 50%）\n"
    )
    path = _write(tmp_path, "pm.md", text)
    rows = json.loads(CliRunner().invoke(app, ["lint", "--format", "json", str(path)]).stdout)
    # 0.07% of the window is right whatever the target; the document's times are UTC.
    assert "budget-mismatch" not in {row["code"] for row in rows}


def test_a_bad_settings_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "hansei.toml").write_text("min_whys = 0\n", encoding="utf-8")
    path = _write(tmp_path, "pm.md", WALK)
    result = CliRunner().invoke(app, ["lint", str(path)])
    assert result.exit_code == 2
    assert f"{tmp_path / 'hansei.toml'}:" in result.stderr
    assert "(min_whys)" in result.stderr


def test_fix_rewrites_wrong_and_missing_figures_only_once(tmp_path: Path) -> None:
    broken = (
        WALK.replace("- **ダウンタイム**: 35分", "- **ダウンタイム**: 20分")
        .replace(
            "- **MTTR (Mean Time To Resolve)**: 30分",
            "- **MTTR (Mean Time To Resolve)**: [例: 5分]",
        )
        .replace("**著者**: @ksato", "**著者**: [担当者名]")
    ).replace("\n", "\r\n")
    path = tmp_path / "pm.md"
    path.write_bytes(broken.encode("utf-8"))
    first = CliRunner().invoke(app, ["lint", "--fix", str(path)])
    assert first.exit_code == 0
    line = WALK.split("\n").index("- **ダウンタイム**: 35分") + 1
    assert f"{path}:{line}: fixed '20分' → '35分'" in first.stderr
    fixed = path.read_bytes().decode("utf-8")
    # The figures are back; the placeholder the author must fill is left alone, CRLF kept.
    assert fixed == WALK.replace("**著者**: @ksato", "**著者**: [担当者名]").replace("\n", "\r\n")
    second = CliRunner().invoke(app, ["lint", "--fix", str(path)])
    assert "fixed" not in second.stderr
    assert path.read_bytes().decode("utf-8") == fixed


def test_a_services_slo_from_settings_judges_typed_budget_figures(tmp_path: Path) -> None:
    (tmp_path / "hansei.toml").write_text(
        '[slo]\ntarget = 0.99\n[slo.services."Walk API"]\ntarget = 0.999\nwindow_days = 28\n',
        encoding="utf-8",
    )
    # 30 min of 28 days at 99.9%: 0.07% of the window, remaining 0.1 − 0.07 = 0.03%.
    text = (
        "# ポストモーテム: x\n\n- **検知**: 2025-01-16 12:05\n- **復旧**: 2025-01-16 12:35\n"
        "- **影響を受けたサービス**: {service}\n- **残りError Budget**: 0.03% / 0.1%\n"
    )
    walk = _write(tmp_path, "walk.md", text.format(service="Walk API"))
    other = _write(tmp_path, "other.md", text.format(service="Search API"))
    codes = {
        Path(row["file"]).name: row["code"]
        for row in json.loads(
            CliRunner().invoke(app, ["lint", "--format", "json", str(walk), str(other)]).stdout
        )
        if row["code"] == "budget-mismatch"
    }
    assert codes == {"other.md": "budget-mismatch"}  # at 99%, 0.93% would be left


def test_fix_reports_a_file_that_is_no_postmortem_as_lint_does(tmp_path: Path) -> None:
    notes = _write(tmp_path, "notes.md", "just notes\n")
    broken = _write(
        tmp_path, "pm.md", WALK.replace("- **ダウンタイム**: 35分", "- **ダウンタイム**: 20分")
    )
    plain = CliRunner().invoke(app, ["lint", str(notes)])
    fixed = CliRunner().invoke(app, ["lint", "--fix", str(notes), str(broken)])
    assert fixed.exit_code == plain.exit_code == 1
    assert plain.stdout in fixed.stdout
    assert "notes.md:1: error parse-error not a postmortem" in fixed.stdout
    # The other file is still fixed.
    assert "- **ダウンタイム**: 35分" in broken.read_text(encoding="utf-8")
    assert notes.read_text(encoding="utf-8") == "just notes\n"
