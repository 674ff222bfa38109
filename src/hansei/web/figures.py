"""The computed figures as the pages show them: a label and a formatted value each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from hansei.markdown.values import format_duration, format_number
from hansei.markdown.zones import zone_label
from hansei.metrics import Metrics
from hansei.model import Language


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: str | None


_LABELS: dict[str, tuple[str, str]] = {
    "ttd": ("TTD（検知まで）", "TTD (to detect)"),
    "tta": ("TTA（対応開始まで）", "TTA (to respond)"),
    "ttm": ("TTM（部分復旧まで）", "TTM (to mitigate)"),
    "ttr": ("TTR（復旧まで）", "TTR (to recover)"),
    "ttf": ("TTF（完全解決まで）", "TTF (to fix)"),
    "downtime": ("ダウンタイム", "Downtime"),
    "availability": ("Availability", "Availability"),
    "budget": ("Error Budget 消費", "Error budget used"),
    "remaining": ("残り Error Budget", "Error budget left"),
}


def figures(metrics: Metrics, language: str) -> list[Figure]:
    lang = Language.ja if language == "ja" else Language.en
    column = 0 if lang == Language.ja else 1

    def duration(minutes: float | None) -> str | None:
        return None if minutes is None else format_duration(minutes, lang)

    budget = None
    if metrics.budget_consumed_pct is not None:
        budget = f"{format_number(metrics.budget_consumed_pct)}%"
        if metrics.budget_consumed_window_pct is not None:
            budget += f" ({format_number(metrics.budget_consumed_window_pct)}%)"
    remaining = None
    if metrics.budget_remaining_minutes is not None:
        sign = "-" if metrics.budget_remaining_minutes < 0 else ""
        remaining = sign + format_duration(abs(metrics.budget_remaining_minutes), lang)
    values = {
        "ttd": duration(metrics.ttd_minutes),
        "tta": duration(metrics.tta_minutes),
        "ttm": duration(metrics.ttm_minutes),
        "ttr": duration(metrics.ttr_minutes),
        "ttf": duration(metrics.ttf_minutes),
        "downtime": duration(metrics.downtime_minutes),
        "availability": None
        if metrics.availability_pct is None
        else f"{format_number(metrics.availability_pct)}%",
        "budget": budget,
        "remaining": remaining,
    }
    return [Figure(key, _LABELS[key][column], values[key]) for key in _LABELS]


def local_time(timezone: str) -> Callable[..., str]:
    """A template filter: an instant as the team reads it (`2025-09-13 04:09 JST`)."""
    zone = ZoneInfo(timezone)
    label = zone_label(timezone)

    def show(value: dt.datetime, format: str = "%Y-%m-%d %H:%M") -> str:
        local = value.astimezone(zone)
        return local.strftime(format) + ("" if format == "%Y-%m-%d" else f" {label}")

    return show


def duration(minutes: float, language: str) -> str:
    """A template filter: `2時間15分` / `2 h 15 min`."""
    return format_duration(minutes, Language.ja if language == "ja" else Language.en)
