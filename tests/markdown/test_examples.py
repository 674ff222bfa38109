"""The bundled examples: canonical (byte-for-byte round trip) and hand-checked figures."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from hansei.markdown import parse_markdown, render_markdown
from hansei.metrics import compute_metrics
from hansei.model import Language
from tests.conftest import FIXTURES, example_paths

EXPECTED = json.loads((FIXTURES / "examples_expected.json").read_text(encoding="utf-8"))
METRIC_KEYS = (
    "ttd_minutes", "tta_minutes", "ttm_minutes", "ttr_minutes", "ttf_minutes",
    "downtime_minutes", "availability_pct", "budget_minutes", "budget_consumed_window_pct",
    "budget_consumed_pct", "budget_remaining_window_pct", "budget_remaining_minutes",
)  # fmt: skip


def test_there_are_two_japanese_and_one_english_example() -> None:
    languages = [parse_markdown(p.read_text()).postmortem.language for p in example_paths()]
    assert languages.count(Language.ja) >= 2
    assert languages.count(Language.en) >= 1
    assert {p.name for p in example_paths()} == set(EXPECTED)


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.name)
def test_example_renders_back_byte_for_byte(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    result = parse_markdown(text)
    assert result.diagnostics == []
    assert render_markdown(result.postmortem) == text


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.name)
def test_example_figures_match_hand_computed_values(path: Path) -> None:
    expected = EXPECTED[path.name]
    pm = parse_markdown(path.read_text(encoding="utf-8")).postmortem
    metrics = compute_metrics(pm).model_dump()
    for key in METRIC_KEYS:
        assert metrics[key] == pytest.approx(expected[key]), key
    assert len(pm.timeline) == expected["timeline_count"]
    assert len(pm.action_items) == expected["action_item_count"]
    assert len(pm.rca.whys) == expected["whys_count"]
    assert pm.impact.severity == expected["severity"]
    assert pm.status == expected["status"]
    assert pm.impact.services == expected["services"]
    assert pm.timeline[0].at == datetime.fromisoformat(expected["timeline_first_at"])
    assert pm.timeline[-1].at == datetime.fromisoformat(expected["timeline_last_at"])


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.name)
def test_example_in_the_other_language_keeps_every_value(path: Path) -> None:
    pm = parse_markdown(path.read_text(encoding="utf-8")).postmortem
    other = Language.en if pm.language == Language.ja else Language.ja
    translated = parse_markdown(render_markdown(pm, language=other)).postmortem
    assert translated.language == other
    assert translated.model_copy(update={"language": pm.language}) == pm
