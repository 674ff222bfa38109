"""Figures typed into the document that disagree with the ones computed from its times."""

from __future__ import annotations

from collections.abc import Iterator

from hansei.lint.context import LintContext
from hansei.lint.findings import Finding, Severity
from hansei.lint.registry import rule
from hansei.markdown.values import format_duration, format_number
from hansei.metrics import computed_downtime
from hansei.model import Language


def _duration(context: LintContext, minutes: float) -> str:
    return format_duration(minutes, context.postmortem.language)


@rule(
    "downtime-mismatch",
    Severity.error,
    summary="The stated downtime differs from recovery − impact start by more than a minute.",
    explanation="Downtime is recovered − occurred (recovered − detected when the start is "
    "unknown); the error budget burns from impact start. A typed figure that disagrees "
    "misstates the budget.",
    fix="Correct the figure, or delete it: hansei computes it from the times.",
)
def downtime_mismatch(context: LintContext) -> Iterator[Finding]:
    stated = context.postmortem.impact.downtime_minutes
    computed = computed_downtime(context.postmortem)
    if stated is None or computed is None or abs(stated - computed) <= 1:
        return
    yield context.finding(
        "downtime-mismatch",
        Severity.error,
        context.line_of("impact.downtime_minutes"),
        f"ダウンタイム {_duration(context, stated)} は時刻から求めた "
        f"{_duration(context, computed)} と異なります",
        f"downtime {_duration(context, stated)} differs from {_duration(context, computed)} "
        "computed from the times",
    )


def _tolerance(value: float) -> float:
    """Half a unit of the last digit written: 99.5 may stand for 99.45 … 99.55."""
    text = format_number(value)
    decimals = len(text.split(".")[1]) if "." in text else 0
    return float(0.5 * 10**-decimals + 1e-9)


_BUDGET_FIGURES = (
    ("availability_pct", "availability_pct", "availability", "Availability", "availability"),
    (
        "budget_consumed_window_pct",
        "budget_consumed_window_pct",
        "budget_consumed",
        "Error Budget 消費",
        "error budget consumed",
    ),
    (
        "budget_remaining_window_pct",
        "budget_remaining_window_pct",
        "budget_remaining",
        "残りError Budget",
        "error budget remaining",
    ),
)


@rule(
    "budget-mismatch",
    Severity.error,
    summary="A stated availability or error-budget figure differs from the computed one.",
    explanation="Availability = 1 − downtime / window; consumed = downtime / window; "
    "remaining = (1 − target) − consumed. A typed figure that disagrees with the times "
    "misreports how much budget the incident used.",
    fix="Correct the figure, or delete it: hansei computes it from the times.",
)
def budget_mismatch(context: LintContext) -> Iterator[Finding]:
    stated = context.postmortem.stated
    metrics = context.metrics
    for stated_name, computed_name, line_key, ja, en in _BUDGET_FIGURES:
        value = getattr(stated, stated_name)
        computed = getattr(metrics, computed_name)
        # Computed figures are rounded for display; compare within the rounding of both.
        if value is None or computed is None:
            continue
        if abs(value - computed) <= _tolerance(value) + _tolerance(computed):
            continue
        yield context.finding(
            "budget-mismatch",
            Severity.error,
            context.line_of(f"stated.{line_key}"),
            f"{ja} {format_number(value)}% は時刻から求めた "
            f"{format_number(computed)}% と異なります",
            f"{en} {format_number(value)}% differs from {format_number(computed)}% computed "
            "from the times",
        )


_DURATIONS = (
    ("ttd", "MTTD"),
    ("ttm", "MTTM"),
    ("ttr", "MTTR"),
    ("ttf", "MTTF"),
)


def _duration_tolerance(minutes: float) -> float:
    """Half the last unit the figure is written to: `2日` is 1.5 … 2.5 days, `1.4 days` ± 0.05.

    The figure is taken in the largest unit (day, hour, minute) in which it has at most
    two decimals.
    """
    for unit in (1440.0, 60.0, 1.0):
        for decimals in (0, 1, 2):
            scaled = minutes / unit * 10**decimals
            if abs(scaled - round(scaled)) < 1e-6:
                return max(0.5 * unit / 10**decimals, 1.0)
    return 1.0


@rule(
    "metric-mismatch",
    Severity.error,
    summary="A stated MTTD / MTTM / MTTR / MTTF differs from the one computed from the times.",
    explanation="MTTD = detected − occurred, MTTM = mitigated − detected, MTTR = recovered − "
    "detected, MTTF = resolved − detected. A typed figure that disagrees with the times "
    "skews the team's trends.",
    fix="Correct the figure, or delete it: hansei computes it from the times.",
)
def metric_mismatch(context: LintContext) -> Iterator[Finding]:
    for key, label in _DURATIONS:
        value = getattr(context.postmortem.stated, f"{key}_minutes")
        computed = getattr(context.metrics, f"{key}_minutes")
        if value is None or computed is None:
            continue
        if abs(value - computed) <= _duration_tolerance(value):
            continue
        language = context.postmortem.language
        yield context.finding(
            "metric-mismatch",
            Severity.error,
            context.line_of(f"stated.{key}_minutes"),
            f"{label} {format_duration(value, Language.ja)} は時刻から求めた "
            f"{format_duration(computed, Language.ja)} と異なります",
            f"{label} {format_duration(value, language)} differs from "
            f"{format_duration(computed, language)} computed from the times",
        )
