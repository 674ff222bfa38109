"""Availability and error-budget math for one incident (DESIGN.md: SLO)."""

from __future__ import annotations

from dataclasses import dataclass

MINUTES_PER_DAY = 1440


@dataclass(frozen=True)
class BudgetFigures:
    """Exact (unrounded) figures against an SLO target; percentages are in percent."""

    budget_minutes: float
    budget_window_pct: float
    consumed_budget_pct: float | None
    remaining_window_pct: float | None
    remaining_minutes: float | None


def window_minutes(window_days: int) -> float:
    return float(window_days * MINUTES_PER_DAY)


def availability_pct(downtime: float, window_days: int) -> float:
    """(1 − downtime / window) × 100: needs no target."""
    return (1 - downtime / window_minutes(window_days)) * 100


def consumed_window_pct(downtime: float, window_days: int) -> float:
    """downtime / window × 100: the template's `30分のダウンタイム = 0.07%`."""
    return downtime / window_minutes(window_days) * 100


def budget_minutes(target: float, window_days: int) -> float:
    """window × (1 − target): 30 days at 99.9% = 43.2 minutes."""
    return window_minutes(window_days) * (1 - target)


def budget_figures(target: float, window_days: int, downtime: float | None) -> BudgetFigures:
    budget = budget_minutes(target, window_days)
    budget_window_pct = (1 - target) * 100
    if downtime is None:
        return BudgetFigures(budget, budget_window_pct, None, None, None)
    return BudgetFigures(
        budget_minutes=budget,
        budget_window_pct=budget_window_pct,
        consumed_budget_pct=downtime / budget * 100,
        remaining_window_pct=budget_window_pct - consumed_window_pct(downtime, window_days),
        remaining_minutes=budget - downtime,
    )
