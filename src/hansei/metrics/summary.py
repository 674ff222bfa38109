"""All figures of one postmortem, rounded for publication (see rounding.py)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from hansei.metrics.rounding import (
    AVAILABILITY_PLACES,
    BUDGET_PCT_PLACES,
    MINUTES_PLACES,
    WINDOW_PCT_PLACES,
    round_half_up,
)
from hansei.metrics.slo import availability_pct, budget_figures, consumed_window_pct
from hansei.metrics.times import key_times, minutes_between
from hansei.model import Postmortem


class Metrics(BaseModel):
    """Computed figures; None where the document lacks what a figure needs.

    Durations are minutes (2 decimals), availability a percentage (3
    decimals), budget shares of the window in percent (2 decimals, the
    template's `0.07%`), consumed share of the budget in percent (1 decimal).
    Rounding is half up.
    """

    model_config = ConfigDict(frozen=True)

    ttd_minutes: float | None = None
    tta_minutes: float | None = None
    ttm_minutes: float | None = None
    ttr_minutes: float | None = None
    ttf_minutes: float | None = None
    downtime_minutes: float | None = None
    availability_pct: float | None = None
    budget_minutes: float | None = None
    budget_consumed_window_pct: float | None = None
    budget_consumed_pct: float | None = None
    budget_remaining_window_pct: float | None = None
    budget_remaining_minutes: float | None = None


def _rounded(value: float | None, places: int) -> float | None:
    return None if value is None else round_half_up(value, places)


def computed_downtime(postmortem: Postmortem) -> float | None:
    """recovered − occurred, or recovered − detected when the start is unknown (exact)."""
    times = key_times(postmortem)
    start = times.occurred if times.occurred is not None else times.detected
    return minutes_between(start, times.recovered)


def compute_metrics(postmortem: Postmortem, *, slo_target: float | None = None) -> Metrics:
    """The figures of DESIGN.md for one incident.

    `slo_target` overrides the document's own target (a team's configured
    target for the service). Availability and budget figures use the
    computed downtime, or the stated one when the timestamps do not give it;
    the budget figures also need a target.
    """
    times = key_times(postmortem)
    downtime = computed_downtime(postmortem)
    slo_downtime = downtime if downtime is not None else postmortem.impact.downtime_minutes
    window_days = postmortem.slo.window_days
    target = slo_target if slo_target is not None else postmortem.slo.target
    budget = None if target is None else budget_figures(target, window_days, slo_downtime)

    def duration(start: datetime | None, end: datetime | None) -> float | None:
        return _rounded(minutes_between(start, end), MINUTES_PLACES)

    return Metrics(
        ttd_minutes=duration(times.occurred, times.detected),
        tta_minutes=duration(times.detected, times.response_started),
        ttm_minutes=duration(times.detected, times.mitigated),
        ttr_minutes=duration(times.detected, times.recovered),
        ttf_minutes=duration(times.detected, times.resolved),
        downtime_minutes=_rounded(downtime, MINUTES_PLACES),
        availability_pct=None
        if slo_downtime is None
        else _rounded(availability_pct(slo_downtime, window_days), AVAILABILITY_PLACES),
        budget_minutes=None if budget is None else _rounded(budget.budget_minutes, MINUTES_PLACES),
        budget_consumed_window_pct=None
        if slo_downtime is None
        else _rounded(consumed_window_pct(slo_downtime, window_days), WINDOW_PCT_PLACES),
        budget_consumed_pct=None
        if budget is None
        else _rounded(budget.consumed_budget_pct, BUDGET_PCT_PLACES),
        budget_remaining_window_pct=None
        if budget is None
        else _rounded(budget.remaining_window_pct, WINDOW_PCT_PLACES),
        budget_remaining_minutes=None
        if budget is None
        else _rounded(budget.remaining_minutes, MINUTES_PLACES),
    )
