"""Figures checked against values computed by hand from DESIGN.md's definitions."""

from __future__ import annotations

import pytest

from hansei.metrics import budget_minutes, compute_metrics, key_times, round_half_up
from hansei.model import Postmortem, TimelineEvent
from tests.factories import jst, with_times


def test_budget_of_thirty_days_at_three_nines_is_43_2_minutes() -> None:
    assert budget_minutes(0.999, 30) == pytest.approx(43.2)


def test_fifteen_minutes_of_downtime() -> None:
    # 15 min of 43,200: availability 99.965%, 0.03% of the window, 34.7% of 43.2 min.
    pm = with_times(occurred=jst(2025, 1, 16, 12, 0), recovered=jst(2025, 1, 16, 12, 15))
    m = compute_metrics(pm)
    assert m.downtime_minutes == 15
    assert m.availability_pct == 99.965
    assert m.budget_minutes == 43.2
    assert m.budget_consumed_window_pct == 0.03
    assert m.budget_consumed_pct == 34.7
    assert m.budget_remaining_window_pct == 0.07
    assert m.budget_remaining_minutes == 28.2


def test_template_example_durations() -> None:
    # The template: MTTD 5分, MTTM 15分, MTTR 30分, MTTF 2日; 30 min of downtime = 0.07%.
    pm = Postmortem(
        times={"detected": jst(2025, 1, 16, 12, 5), "resolved": jst(2025, 1, 18, 12, 5)},
        slo={"target": 0.999},
        timeline=[
            TimelineEvent(at=jst(2025, 1, 16, 12, 0), event="インシデント発生"),
            TimelineEvent(at=jst(2025, 1, 16, 12, 8), event="対応開始"),
            TimelineEvent(at=jst(2025, 1, 16, 12, 20), event="部分復旧"),
            TimelineEvent(at=jst(2025, 1, 16, 12, 35), event="完全復旧"),
        ],
    )
    m = compute_metrics(pm)
    assert (m.ttd_minutes, m.tta_minutes, m.ttm_minutes, m.ttr_minutes) == (5, 3, 15, 30)
    assert m.ttf_minutes == 2 * 24 * 60
    assert m.downtime_minutes == 35
    assert m.budget_consumed_window_pct == 0.08
    assert m.budget_consumed_pct == 81.0


def test_downtime_starts_at_detection_when_the_start_is_unknown() -> None:
    pm = with_times(detected=jst(2025, 1, 16, 12, 5), recovered=jst(2025, 1, 16, 12, 35))
    assert compute_metrics(pm).downtime_minutes == 30


def test_mitigation_falls_back_to_recovery() -> None:
    pm = with_times(detected=jst(2025, 1, 16, 12, 5), recovered=jst(2025, 1, 16, 12, 35))
    assert compute_metrics(pm).ttm_minutes == 30


def test_stated_times_win_over_the_timeline() -> None:
    pm = Postmortem(
        times={"occurred": jst(2025, 1, 16, 11, 50)},
        timeline=[TimelineEvent(at=jst(2025, 1, 16, 12, 0), event="インシデント発生")],
    )
    assert key_times(pm).occurred == jst(2025, 1, 16, 11, 50)


def test_an_end_before_its_start_gives_no_duration() -> None:
    pm = with_times(detected=jst(2025, 1, 16, 12, 5), recovered=jst(2025, 1, 16, 11, 0))
    m = compute_metrics(pm)
    assert m.ttr_minutes is None
    assert m.downtime_minutes is None
    assert m.availability_pct is None


def test_durations_are_computed_across_timezones_in_utc() -> None:
    pm = Postmortem.model_validate(
        {
            "timezone": "America/New_York",
            "times": {
                # 01:59 EST, then 03:01 EDT: one hour is skipped by the clock change.
                "detected": "2025-03-09T01:59:00-05:00",
                "recovered": "2025-03-09T03:01:00-04:00",
            },
        }
    )
    assert compute_metrics(pm).ttr_minutes == 2


def test_availability_needs_no_target_but_the_budget_does() -> None:
    pm = with_times(
        target=None, occurred=jst(2025, 1, 16, 12, 0), recovered=jst(2025, 1, 16, 12, 15)
    )
    m = compute_metrics(pm)
    assert m.availability_pct == 99.965
    assert m.budget_consumed_window_pct == 0.03
    assert m.budget_minutes is None
    assert m.budget_consumed_pct is None
    assert m.budget_remaining_minutes is None
    assert compute_metrics(pm, slo_target=0.999).budget_consumed_pct == 34.7


def test_stated_downtime_feeds_the_budget_when_timestamps_are_missing() -> None:
    pm = Postmortem.model_validate({"impact": {"downtime_minutes": 15}, "slo": {"target": 0.999}})
    m = compute_metrics(pm)
    assert m.downtime_minutes is None
    assert m.budget_consumed_pct == 34.7


def test_overspent_budget_is_negative() -> None:
    pm = with_times(
        target=0.9995, occurred=jst(2025, 3, 2, 23, 40), recovered=jst(2025, 3, 3, 0, 47)
    )
    m = compute_metrics(pm)
    assert m.budget_remaining_minutes == -45.4
    assert m.budget_remaining_window_pct == -0.11


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [(0.125, 2, 0.13), (0.0347, 2, 0.03), (34.72, 1, 34.7), (2.675, 2, 2.68), (-0.105, 2, -0.11)],
)
def test_rounding_is_half_up(value: float, places: int, expected: float) -> None:
    assert round_half_up(value, places) == expected
