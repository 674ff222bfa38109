"""Action items: an owner, a due date, and a due date inside its horizon."""

from __future__ import annotations

from collections.abc import Iterator

from hansei.lint.context import LintContext
from hansei.lint.findings import Finding, Severity
from hansei.lint.registry import rule
from hansei.metrics import key_times
from hansei.model import ActionItem, Horizon
from hansei.model.actions import due_in_horizon

_HORIZON_NAMES = {
    Horizon.immediate: ("即座対応（1週間以内）", "immediate (within 1 week)"),
    Horizon.short_term: ("短期対応（1ヶ月以内）", "short-term (within 1 month)"),
    Horizon.long_term: ("長期対応（3ヶ月以内）", "long-term (within 3 months)"),
}


def _label(item: ActionItem, index: int) -> str:
    return f"#{item.number}" if item.number is not None else f"{index + 1}"


def _items_without(
    context: LintContext, field: str, code: str, ja: str, en: str
) -> Iterator[Finding]:
    for index, item in enumerate(context.postmortem.action_items):
        if getattr(item, field) is None:
            label = _label(item, index)
            yield context.finding(
                code,
                Severity.warning,
                context.line_of(f"action_items[{index}]"),
                f"アクションアイテム {label} に{ja}がありません",
                f"action item {label} has no {en}",
            )


@rule(
    "missing-owner",
    Severity.warning,
    summary="An action item has no owner.",
    explanation="An action item nobody owns is not done. Every item names one person or team.",
    fix="Write the owner (@handle) in the 担当者 / Owner column.",
)
def missing_owner(context: LintContext) -> Iterator[Finding]:
    yield from _items_without(context, "owner", "missing-owner", "担当者", "owner")


@rule(
    "missing-due",
    Severity.warning,
    summary="An action item has no due date.",
    explanation="Without a due date an item is never overdue, so it is never followed up.",
    fix="Write the due date (YYYY-MM-DD) in the 期限 / Due column.",
)
def missing_due(context: LintContext) -> Iterator[Finding]:
    yield from _items_without(context, "due", "missing-due", "期限", "due date")


@rule(
    "horizon-due-mismatch",
    Severity.warning,
    summary="An action item's due date is outside its table's horizon.",
    explanation="Immediate items are due within 7 days of detection, short-term within 30, "
    "long-term within 90. An item due later than its horizon is in the wrong table, or "
    "its date is wrong.",
    fix="Move the item to the table its due date belongs to, or correct the date.",
)
def horizon_due_mismatch(context: LintContext) -> Iterator[Finding]:
    detected = key_times(context.postmortem).detected
    if detected is None:
        return
    start = detected.astimezone(context.postmortem.zone).date()
    for index, item in enumerate(context.postmortem.action_items):
        if item.due is None:
            continue
        if due_in_horizon(item.horizon, item.due, start):
            continue
        days = (item.due - start).days
        ja, en = _HORIZON_NAMES[item.horizon]
        yield context.finding(
            "horizon-due-mismatch",
            Severity.warning,
            context.line_of(f"action_items[{index}].due"),
            f"アクションアイテム {_label(item, index)} の期限 {item.due} は検知から {days} 日後で、"
            f"{ja}の範囲外です",
            f"action item {_label(item, index)} is due {item.due}, {days} days after detection: "
            f"outside {en}",
        )
