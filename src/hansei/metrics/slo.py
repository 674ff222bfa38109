"""Error budget math for one incident (DESIGN.md: SLO)."""

from __future__ import annotations

from dataclasses import dataclass

MINUTES_PER_DAY = 1440


@dataclass(frozen=True)
class BudgetFigures:
    """Exact (unrounded) figures; percentages are in percent."""

    budget_minutes: float
    availability_pct: float | None
    budget_window_pct: float
    consumed_window_pct: float | None
    consumed_budget_pct: float | None
    remaining_window_pct: float | None
    remaining_minutes: float | None


def window_minutes(window_days: int) -> float:
    return float(window_days * MINUTES_PER_DAY)


def budget_minutes(target: float, window_days: int) -> float:
    """window × (1 − target): 30 days at 99.9% = 43.2 minutes."""
    return window_minutes(window_days) * (1 - target)


def budget_figures(target: float, window_days: int, downtime: float | None) -> BudgetFigures:
    window = window_minutes(window_days)
    budget = budget_minutes(target, window_days)
    budget_window_pct = (1 - target) * 100
    if downtime is None:
        return BudgetFigures(budget, None, budget_window_pct, None, None, None, None)
    consumed_window_pct = downtime / window * 100
    return BudgetFigures(
        budget_minutes=budget,
        availability_pct=(1 - downtime / window) * 100,
        budget_window_pct=budget_window_pct,
        consumed_window_pct=consumed_window_pct,
        consumed_budget_pct=downtime / budget * 100,
        remaining_window_pct=budget_window_pct - consumed_window_pct,
        remaining_minutes=budget - downtime,
    )
