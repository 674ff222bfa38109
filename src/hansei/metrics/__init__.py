"""Durations, SLO and error-budget math: pure functions over the model."""

from hansei.metrics.rounding import round_half_up
from hansei.metrics.slo import (
    BudgetFigures,
    availability_pct,
    budget_figures,
    budget_minutes,
    consumed_window_pct,
    window_minutes,
)
from hansei.metrics.summary import Metrics, compute_metrics, computed_downtime
from hansei.metrics.times import KeyTimes, key_times, minutes_between

__all__ = [
    "BudgetFigures",
    "KeyTimes",
    "Metrics",
    "availability_pct",
    "budget_figures",
    "budget_minutes",
    "compute_metrics",
    "computed_downtime",
    "consumed_window_pct",
    "key_times",
    "minutes_between",
    "round_half_up",
    "window_minutes",
]
