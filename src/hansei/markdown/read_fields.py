"""`**label**: value` lines of the header, details and metrics sections, and their values."""

from __future__ import annotations

import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from hansei.markdown.draft import Draft
from hansei.markdown.fields import (
    chosen_option,
    field_line,
    parse_severity,
    parse_status,
    without_emphasis,
)
from hansei.markdown.sections import HEADER, Chunk
from hansei.markdown.values import (
    fold,
    is_placeholder,
    parse_bool,
    parse_date,
    parse_duration,
    parse_timestamp,
    percentages,
)
from hansei.markdown.vocabulary import (
    FIELD_ALIASES,
    lookup,
)
from hansei.markdown.zones import timezone_name
from hansei.model import (
    DEFAULT_TIMEZONE,
    TIME_FIELDS,
)

FIELD_SECTIONS = frozenset({HEADER, "details", "metrics"})


def collect_fields(draft: Draft, chunk: Chunk) -> None:
    """`**label**: value` lines; a value may also stand on the line under its label."""
    lines = chunk.text_lines()
    for index, (number, text) in enumerate(lines):
        found = field_line(text, number)
        if found is None:
            continue
        key = lookup(found.label, FIELD_ALIASES)
        if key is None:
            continue
        if chunk.subsection == "business_impact" and key == "users_affected":
            key = "bi_users_affected"
        value, line = found.value, number
        if not value and index + 1 < len(lines):
            next_number, next_text = lines[index + 1]
            next_field = field_line(next_text, next_number)
            if next_field is None or lookup(next_field.label, FIELD_ALIASES) is None:
                value, line = next_text.strip(), next_number
        draft.raw.fields.setdefault(key, (value, line))


# Where a field's value lives in the model, for remembering its line even when it is missing.
FIELD_PATHS = {
    **{name: f"times.{name}" for name in TIME_FIELDS},
    "services": "impact.services",
    "users_affected": "impact.users_affected",
    "severity": "impact.severity",
    "downtime": "impact.downtime_minutes",
    "data_loss": "impact.data_loss",
    "availability": "stated.availability",
    "budget_consumed": "stated.budget_consumed",
    "budget_remaining": "stated.budget_remaining",
    "ttd": "stated.ttd_minutes",
    "ttm": "stated.ttm_minutes",
    "ttr": "stated.ttr_minutes",
    "ttf": "stated.ttf_minutes",
}

# Fields whose value is one of a few words (the rest are times, dates and durations).
_WORD_FIELDS = frozenset({"status", "severity", "data_loss"})


def interpret_fields(draft: Draft) -> None:
    fields = {**draft.raw.summary_fields, **draft.raw.fields}
    timezone = draft.default_timezone
    if timezone != DEFAULT_TIMEZONE:
        draft.data["timezone"] = timezone
    if "timezone" in fields:
        value, line = fields["timezone"]
        named = timezone_name(value)
        if named is None:
            draft.note("bad-timestamp", line, "timezone", f"unknown timezone {value.strip()!r}")
        else:
            timezone = named
            draft.put("timezone", timezone, line)
    elif draft.raw.timeline_zone is not None:
        timezone = draft.raw.timeline_zone
        draft.data["timezone"] = timezone
    zone = ZoneInfo(timezone)
    for key, (value, line) in fields.items():
        draft.lines.setdefault(FIELD_PATHS.get(key, key), line)
        try:
            # Choices keep their emphasis (`Critical / **High**` picks High); values lose it.
            _field(
                draft, key, value if key in _WORD_FIELDS else without_emphasis(value), line, zone
            )
        except ValueError as error:
            code = "unknown-status" if key in _WORD_FIELDS else "bad-timestamp"
            draft.note(code, line, key, str(error))


def _field(draft: Draft, key: str, value: str, line: int, zone: ZoneInfo) -> None:
    if key in TIME_FIELDS:
        when = parse_timestamp(value, zone)
        if when is not None:
            draft.put(f"times.{key}", when, line)
        draft.lines.setdefault(f"times.{key}", line)
    elif key == "date":
        day = parse_date(value)
        if day is not None:
            draft.put("date", day, line)
    elif key == "author":
        if not is_placeholder(value):
            draft.put("author", value, line)
    elif key == "reviewers":
        draft.put("reviewers", _names(value), line)
    elif key == "status":
        status = parse_status(value)
        draft.lines["status"] = line
        if status is not None:
            draft.put("status", status, line)
    elif key == "services":
        draft.put("impact.services", _names(value), line)
    elif key == "users_affected":
        _text_field(draft, "impact.users_affected", value, line)
    elif key == "severity":
        draft.lines["impact.severity"] = line
        severity = parse_severity(value)
        if severity is not None:
            draft.put("impact.severity", severity, line)
    elif key == "downtime":
        draft.lines["impact.downtime_minutes"] = line
        minutes = parse_duration(value)
        if minutes is not None:
            draft.put("impact.downtime_minutes", minutes, line)
    elif key == "data_loss":
        loss = parse_bool(chosen_option(value))
        if loss is not None:
            draft.put("impact.data_loss", loss, line)
    elif key in ("availability", "budget_consumed", "budget_remaining"):
        _slo_line(draft, key, value, line)
    elif key in ("ttd", "ttm", "ttr", "ttf"):
        draft.lines[f"stated.{key}_minutes"] = line
        minutes = parse_duration(value)
        if minutes is not None:
            draft.put(f"stated.{key}_minutes", minutes, line)
    elif key in ("bi_users_affected", "failed_requests", "estimated_loss"):
        name = "users_affected" if key == "bi_users_affected" else key
        _text_field(draft, f"business_impact.{name}", value, line)


def _text_field(draft: Draft, path: str, value: str, line: int) -> None:
    if not is_placeholder(value):
        draft.put(path, value, line)


def _slo_line(draft: Draft, key: str, value: str, line: int) -> None:
    draft.lines[f"stated.{key}"] = line
    if is_placeholder(value):
        return
    folded = fold(value)
    if key == "availability":
        target = re.search(r"(?:目標|target|slo)\s*[:：]?\s*(\d+(?:\.\d+)?)\s*%", folded, re.I)
        if target:
            draft.put("slo.target", _percent_to_ratio(target.group(1)), line)
        window = re.search(r"(?:期間|window)\s*[:：]?\s*(\d+)\s*(?:日|days?)", folded, re.I)
        if window:
            draft.put("slo.window_days", int(window.group(1)), line)
        before_target = folded[: target.start()] if target else folded
        found = percentages(before_target)
        if found:
            draft.put("stated.availability_pct", found[0], line)
    elif key == "budget_consumed":
        after_equals = folded.split("=", 1)[1] if "=" in folded else folded
        found = percentages(after_equals)
        if found:
            draft.put("stated.budget_consumed_window_pct", found[0], line)
    else:
        plain = re.sub(r"[（(][^)）]*[)）]", "", folded)
        left, _, right = plain.rpartition("/") if "/" in plain else (plain, "", "")
        remaining, total = percentages(left), percentages(right)
        if remaining:
            draft.put("stated.budget_remaining_window_pct", remaining[0], line)
        if total and total[0] >= 0:
            draft.put("stated.budget_window_pct", total[0], line)


def _names(value: str) -> list[str]:
    if is_placeholder(value):
        return []
    names = [name.strip() for name in re.split(r"[,、，;；]", value)]
    return [name for name in names if not is_placeholder(name)]


def _percent_to_ratio(text: str) -> float:
    return float(Decimal(text) / 100)
