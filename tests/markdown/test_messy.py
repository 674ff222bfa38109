"""Documents written by hand from the template, with the usual human variations.

The expected values in fixtures/messy/expected.json were written by a reader
of each document, not derived from hansei's output.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from hansei.markdown import parse_markdown
from hansei.metrics import compute_metrics
from hansei.model import Postmortem
from tests.conftest import FIXTURES

MESSY = FIXTURES / "messy"
EXPECTED: dict[str, dict[str, Any]] = json.loads((MESSY / "expected.json").read_text("utf-8"))


def _instant(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _read(name: str) -> Postmortem:
    raw = (MESSY / name).read_bytes().decode("utf-8")
    return parse_markdown(raw, source=name).postmortem


def test_every_document_has_expectations() -> None:
    assert {p.name for p in MESSY.glob("*.md")} == set(EXPECTED)
    assert len(EXPECTED) >= 12


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_header_and_impact(name: str) -> None:
    expected = EXPECTED[name]
    pm = _read(name)
    assert pm.title == expected["title"]
    assert pm.language == expected["language"]
    # An unchosen `Draft / Review / Final` is a draft (the model's status is never empty).
    assert pm.status == (expected["status"] or "draft")
    assert pm.author == expected["author"]
    assert pm.impact.severity == expected["severity"]
    assert pm.impact.services == expected["services"]
    shown = {
        "date": pm.date.isoformat() if pm.date else None,
        "reviewers": pm.reviewers,
        "timezone": pm.timezone,
        "data_loss": pm.impact.data_loss,
    }
    for key, value in shown.items():
        if key in expected:
            assert value == expected[key], key


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_times_and_timeline(name: str) -> None:
    expected = EXPECTED[name]
    pm = _read(name)
    for key, value in expected["times"].items():
        assert getattr(pm.times, key) == _instant(value), key
    rows = [(row.at, row.event) for row in pm.timeline]
    assert rows == [(_instant(row["at"]), row["event"]) for row in expected["timeline"]]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_downtime_whys_actions_and_kept_sections(name: str) -> None:
    expected = EXPECTED[name]
    raw = (MESSY / name).read_bytes().decode("utf-8")
    result = parse_markdown(raw, source=name)
    pm = result.postmortem
    stated = pm.impact.downtime_minutes
    if expected["downtime_minutes"] is not None:
        # The label was read; a figure stated exactly as computed is kept as the computed one.
        assert "impact.downtime_minutes" in result.lines
        if stated is None:
            stated = compute_metrics(pm).downtime_minutes
    assert stated == expected["downtime_minutes"]
    assert len(pm.rca.whys) == expected["whys_count"]
    actions = [
        {
            "number": item.number,
            "horizon": item.horizon.value,
            "owner": item.owner,
            "due": item.due.isoformat() if item.due else None,
            "status": item.status.value if item.status else None,
        }
        for item in pm.action_items
    ]
    assert actions == [
        {key: item[key] for key in ("number", "horizon", "owner", "due", "status")}
        for item in expected["action_items"]
    ]
    assert [s.title for s in pm.extra_sections] == expected["extra_section_titles"]


def test_crlf_document_reads_like_lf() -> None:
    name = next(n for n in EXPECTED if "crlf" in n)
    raw = (MESSY / name).read_bytes()
    assert b"\r\n" in raw
    as_lf = parse_markdown(raw.decode("utf-8").replace("\r\n", "\n")).postmortem
    assert _read(name) == as_lf
