"""`hansei actions`: every stored postmortem's action items, as a table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from hansei.cli.app import app
from tests.conftest import EXAMPLES


def _actions(url: str, *args: str) -> str:
    result = CliRunner().invoke(app, ["actions", *args, "--db", url])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_actions_as_json_csv_and_a_table(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hansei.db'}"
    CliRunner().invoke(app, ["import", str(EXAMPLES), "--db", url])
    everything = json.loads(_actions(url, "--format", "json"))
    assert everything
    assert {"task", "owner", "due", "status", "overdue", "outside_horizon"} <= set(everything[0])
    mine = json.loads(_actions(url, "--owner", "ksato", "--format", "json"))
    assert mine
    assert {item["owner"] for item in mine} == {"@ksato"}
    # The examples' items fell due in 2025: the open ones are overdue today.
    overdue = json.loads(_actions(url, "--overdue", "--format", "json"))
    assert overdue
    assert all(item["overdue"] and item["status"] != "done" for item in overdue)
    assert len(overdue) == sum(1 for item in everything if item["overdue"])
    rows = list(csv.DictReader(io.StringIO(_actions(url, "--format", "csv"))))
    assert [row["task"] for row in rows] == [item["task"] for item in everything]
    table = _actions(url, "--overdue")
    assert "overdue" in table
    assert overdue[0]["task"][:20] in table


def test_actions_in_a_table_per_owner(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hansei.db'}"
    CliRunner().invoke(app, ["import", str(EXAMPLES), "--db", url])
    everything = json.loads(_actions(url, "--format", "json"))
    owners = sorted({item["owner"].lower() for item in everything if item["owner"]})
    result = CliRunner().invoke(
        app, ["actions", "--group-by", "owner", "--db", url], env={"COLUMNS": "250"}
    )
    assert result.exit_code == 0, result.output
    headings = [line for line in result.stdout.splitlines() if line.startswith("@")]
    counts = {owner: sum(1 for i in everything if (i["owner"] or "").lower() == owner)
              for owner in owners}  # fmt: skip
    assert headings == [f"{owner} ({counts[owner]})" for owner in owners]
