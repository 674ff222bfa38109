"""All figures of one postmortem, rounded for publication (see rounding.py)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from hansei.metrics.rounding import (
    AVAILABILITY_PLACES,
    BUDGET_PCT_PLACES,
    MINUTES_PLACES,
    WINDOW_PCT_PLACES,
    round_half_up,
)
from hansei.metrics.slo import budget_figures
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
    target for the service). Budget figures use the computed downtime, or
    the stated one when the timestamps do not give it.
    """
    times = key_times(postmortem)
    downtime = computed_downtime(postmortem)
    budget_downtime = downtime if downtime is not None else postmortem.impact.downtime_minutes
    target = slo_target if slo_target is not None else postmortem.slo.target
    figures = (
        None
        if target is None
        else budget_figures(target, postmortem.slo.window_days, budget_downtime)
    )
    return Metrics(
        ttd_minutes=_rounded(minutes_between(times.occurred, times.detected), MINUTES_PLACES),
        tta_minutes=_rounded(
            minutes_between(times.detected, times.response_started), MINUTES_PLACES
        ),
        ttm_minutes=_rounded(minutes_between(times.detected, times.mitigated), MINUTES_PLACES),
        ttr_minutes=_rounded(minutes_between(times.detected, times.recovered), MINUTES_PLACES),
        ttf_minutes=_rounded(minutes_between(times.detected, times.resolved), MINUTES_PLACES),
        downtime_minutes=_rounded(downtime, MINUTES_PLACES),
        availability_pct=figures and _rounded(figures.availability_pct, AVAILABILITY_PLACES),
        budget_minutes=figures and _rounded(figures.budget_minutes, MINUTES_PLACES),
        budget_consumed_window_pct=figures
        and _rounded(figures.consumed_window_pct, WINDOW_PCT_PLACES),
        budget_consumed_pct=figures and _rounded(figures.consumed_budget_pct, BUDGET_PCT_PLACES),
        budget_remaining_window_pct=figures
        and _rounded(figures.remaining_window_pct, WINDOW_PCT_PLACES),
        budget_remaining_minutes=figures and _rounded(figures.remaining_minutes, MINUTES_PLACES),
    )
