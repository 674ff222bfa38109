"""The editor's form and the postmortem: one from the other, both ways.

Rows (timeline, whys, action items, reviews, logs, kept sections) repeat the
same field names once per row; a browser sends fields in page order, so rows
come back in the order the user arranged them, with no numbering to keep.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from starlette.datastructures import FormData

from hansei.errors import HanseiError
from hansei.markdown.lines import normalise_line_endings
from hansei.model import TIME_FIELDS, Postmortem, Step

# Columns that only choose (selects) do not make a row by themselves.
_CHOICE_COLUMNS = frozenset({"horizon", "status", "level", "after", "lang"})
ROWS: dict[str, tuple[str, ...]] = {
    "timeline": ("at", "event", "actor", "action"),
    "why": ("question", "answer"),
    "action": ("number", "horizon", "task", "owner", "due", "status", "issue_url"),
    "log": ("title", "lang", "text"),
    "extra": ("title", "body", "level", "after"),
    "related": ("title", "url"),
    "reference": ("title", "url"),
}
# Text kept as typed, indentation included (a log, a kept section's Markdown).
_VERBATIM = frozenset({("log", "text"), ("extra", "body")})
# Figures a document may state by hand although the times give them (StatedMetrics).
STATED_FIELDS = (
    "ttd_minutes",
    "ttm_minutes",
    "ttr_minutes",
    "ttf_minutes",
    "availability_pct",
    "budget_consumed_window_pct",
    "budget_remaining_window_pct",
    "budget_window_pct",
)


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class FormError(HanseiError):
    """A form that does not make a postmortem; `errors` says which fields and why."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


@dataclass
class _Reader:
    form: FormData
    errors: list[FieldError] = field(default_factory=list)

    def text(self, name: str) -> str | None:
        value = self.form.get(name)
        if not isinstance(value, str):
            return None
        value = normalise_line_endings(value).strip()
        return value or None

    def lines(self, name: str) -> list[str]:
        return [line.strip() for line in (self.text(name) or "").split("\n") if line.strip()]

    def parsed(self, label: str, raw: str | None, parse: Callable[[str], Any]) -> Any:
        if raw is None:
            return None
        try:
            return parse(raw)
        except ValueError:
            self.errors.append(FieldError(label, f"cannot read {raw!r}"))
            return None

    def rows(self, kind: str) -> list[dict[str, str | None]]:
        columns = ROWS[kind]
        values = {
            column: [v if isinstance(v, str) else "" for v in self.form.getlist(f"{kind}.{column}")]
            for column in columns
        }
        count = max((len(v) for v in values.values()), default=0)
        rows = []
        for index in range(count):
            row = {
                column: _cell(values[column][index], verbatim=(kind, column) in _VERBATIM)
                if index < len(values[column])
                else None
                for column in columns
            }
            if any(value for column, value in row.items() if column not in _CHOICE_COLUMNS):
                rows.append(row)
        return rows


def _cell(value: str, *, verbatim: bool) -> str | None:
    value = normalise_line_endings(value)
    value = value.strip("\n") if verbatim else value.strip()
    return value if value.strip() else None


def _local(value: str) -> dt.datetime:
    """A datetime-local value (`2025-01-16T12:05`), in the document's timezone later."""
    return dt.datetime.fromisoformat(value)


def _percent(value: str) -> float:
    try:
        # In decimal: 99.9 / 100 in binary floats is 0.9990000000000001, not 0.999.
        number = Decimal(value.rstrip("%").strip())
    except InvalidOperation as error:
        raise ValueError(value) from error
    if not 0 < number < 100:
        raise ValueError(value)
    return float(number / 100)


# A step's title that starts with "-" would read back as a detail: it is written "\-".
_ESCAPE = "\\"


def parse_steps(text: str | None) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    for raw in (text or "").split("\n"):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("-") and steps:
            detail = line[1:].strip()
            if detail:
                steps[-1]["details"].append(detail)
        elif line.startswith(_ESCAPE):
            steps.append({"title": line[1:], "details": []})
        else:
            steps.append({"title": line.lstrip("-").strip() or line, "details": []})
    return steps


def _step_title(title: str) -> str:
    return _ESCAPE + title if title.startswith(("-", _ESCAPE)) else title


def format_steps(steps: list[Step]) -> str:
    return "\n".join(
        "\n".join([_step_title(step.title), *(f"- {detail}" for detail in step.details)])
        for step in steps
    )


def postmortem_from_form(form: FormData, base: Postmortem | None = None) -> Postmortem:
    """The postmortem the form describes; its status and review history (which the
    review steps write) are kept from `base`."""
    read = _Reader(form)
    base = base or Postmortem()
    times = {
        name: read.parsed(f"times.{name}", read.text(f"times.{name}"), _local)
        for name in TIME_FIELDS
    }
    data_loss = read.text("impact.data_loss")
    document: dict[str, Any] = {
        "title": read.text("title"),
        "date": read.parsed("date", read.text("date"), dt.date.fromisoformat),
        "author": read.text("author"),
        "reviewers": [r.strip() for r in (read.text("reviewers") or "").split(",") if r.strip()],
        "status": base.status,
        "language": read.text("language") or base.language,
        "timezone": read.text("timezone") or base.timezone,
        "summary": read.text("summary"),
        "times": times,
        "impact": {
            "services": [
                s.strip() for s in (read.text("impact.services") or "").split(",") if s.strip()
            ],
            "users_affected": read.text("impact.users_affected"),
            "severity": read.text("impact.severity"),
            "downtime_minutes": read.parsed(
                "impact.downtime_minutes", read.text("impact.downtime_minutes"), float
            ),
            "data_loss": None if data_loss is None else data_loss == "yes",
        },
        "slo": {
            "target": read.parsed("slo.target", read.text("slo.target"), _percent),
            "window_days": read.parsed("slo.window_days", read.text("slo.window_days"), int)
            or base.slo.window_days,
        },
        "timeline": [
            {**row, "at": read.parsed(f"timeline row {i}: at", row["at"], _local)}
            for i, row in enumerate(read.rows("timeline"), start=1)
        ],
        "rca": {
            "direct_causes": read.lines("rca.direct_causes"),
            "analysis": read.text("rca.analysis"),
            "whys": read.rows("why"),
            "root_causes": read.lines("rca.root_causes"),
        },
        "mitigation": parse_steps(read.text("mitigation")),
        "resolution": parse_steps(read.text("resolution")),
        "went_well": read.lines("went_well"),
        "went_wrong": read.lines("went_wrong"),
        "learned": read.lines("learned"),
        "action_items": [
            {
                **row,
                "number": read.parsed(f"action row {i}: number", row["number"], int),
                "due": read.parsed(f"action row {i}: due", row["due"], dt.date.fromisoformat),
                "horizon": row["horizon"] or "immediate",
            }
            for i, row in enumerate(read.rows("action"), start=1)
        ],
        "prevention": {
            "process": parse_steps(read.text("prevention.process")),
            "technical": parse_steps(read.text("prevention.technical")),
        },
        "related_docs": read.rows("related"),
        "business_impact": {
            "users_affected": read.text("business_impact.users_affected"),
            "failed_requests": read.text("business_impact.failed_requests"),
            "estimated_loss": read.text("business_impact.estimated_loss"),
        },
        "reviews": base.reviews,
        "appendix": {
            "logs": [{**row, "text": row["text"] or ""} for row in read.rows("log")],
            "references": read.rows("reference"),
        },
        "extra_sections": [
            {
                **row,
                "body": row["body"] or "",
                "level": read.parsed(f"kept section {i}: level", row["level"], int) or 2,
            }
            for i, row in enumerate(read.rows("extra"), start=1)
        ],
        "stated": {
            name: read.parsed(f"stated {name}", read.text(f"stated.{name}"), float)
            for name in STATED_FIELDS
        },
    }
    if read.errors:
        raise FormError(read.errors)
    try:
        postmortem = Postmortem.model_validate(document)
    except ValidationError as error:
        raise FormError([_field_error(problem) for problem in error.errors()]) from error
    return postmortem


_ROW_OF = {
    "timeline": "timeline",
    "whys": "why",
    "action_items": "action",
    "reviews": "review",
    "logs": "log",
    "extra_sections": "kept section",
}


def _field_error(problem: Any) -> FieldError:
    parts: list[str] = []
    for part in problem.get("loc", ()):
        if isinstance(part, int):
            parts[-1] = f"{_ROW_OF.get(parts[-1], parts[-1])} row {part + 1}:"
        else:
            parts.append(str(part))
    label = " ".join(parts).replace(": ", ": ").replace("rca ", "").replace("appendix ", "")
    return FieldError(label or "document", problem["msg"])


def local_input(value: dt.datetime | None, timezone: str) -> str:
    """An aware datetime as a datetime-local value in the document's timezone."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(timezone))
    return local.strftime("%Y-%m-%dT%H:%M:%S" if local.second else "%Y-%m-%dT%H:%M")


def percent_input(target: float | None) -> str:
    if target is None:
        return ""
    return f"{target * 100:.6f}".rstrip("0").rstrip(".")


SCALARS = (
    "title",
    "date",
    "author",
    "reviewers",
    "language",
    "timezone",
    "summary",
    *(f"times.{name}" for name in TIME_FIELDS),
    "impact.services",
    "impact.users_affected",
    "impact.severity",
    "impact.data_loss",
    "slo.target",
    "slo.window_days",
    "rca.direct_causes",
    "rca.analysis",
    "rca.root_causes",
    "mitigation",
    "resolution",
    "went_well",
    "went_wrong",
    "learned",
    "prevention.process",
    "prevention.technical",
    "business_impact.users_affected",
    "business_impact.failed_requests",
    "business_impact.estimated_loss",
    "impact.downtime_minutes",
    *(f"stated.{name}" for name in STATED_FIELDS),
)


@dataclass(frozen=True)
class EditorValues:
    """What the editor's inputs hold, as text: from a stored document or a sent form."""

    fields: dict[str, str]
    rows: dict[str, list[dict[str, str]]]


def values_from_form(form: FormData) -> EditorValues:
    read = _Reader(form)
    return EditorValues(
        fields={name: read.text(name) or "" for name in SCALARS},
        rows={
            kind: [{k: v or "" for k, v in row.items()} for row in read.rows(kind)] for kind in ROWS
        },
    )


def _text(value: object) -> str:
    return "" if value is None else str(value)


def values_from_postmortem(pm: Postmortem) -> EditorValues:
    zone = pm.timezone
    fields = {
        "title": _text(pm.title),
        "date": pm.date.isoformat() if pm.date else "",
        "author": _text(pm.author),
        "reviewers": ", ".join(pm.reviewers),
        "language": pm.language.value,
        "timezone": pm.timezone,
        "summary": _text(pm.summary),
        **{f"times.{n}": local_input(getattr(pm.times, n), zone) for n in TIME_FIELDS},
        "impact.services": ", ".join(pm.impact.services),
        "impact.users_affected": _text(pm.impact.users_affected),
        "impact.severity": pm.impact.severity.value if pm.impact.severity else "",
        "impact.data_loss": ""
        if pm.impact.data_loss is None
        else ("yes" if pm.impact.data_loss else "no"),
        "slo.target": percent_input(pm.slo.target),
        "slo.window_days": str(pm.slo.window_days),
        "rca.direct_causes": "\n".join(pm.rca.direct_causes),
        "rca.analysis": _text(pm.rca.analysis),
        "rca.root_causes": "\n".join(pm.rca.root_causes),
        "mitigation": format_steps(pm.mitigation),
        "resolution": format_steps(pm.resolution),
        "went_well": "\n".join(pm.went_well),
        "went_wrong": "\n".join(pm.went_wrong),
        "learned": "\n".join(pm.learned),
        "prevention.process": format_steps(pm.prevention.process),
        "prevention.technical": format_steps(pm.prevention.technical),
        "impact.downtime_minutes": _text(pm.impact.downtime_minutes),
        **{f"stated.{name}": _text(getattr(pm.stated, name)) for name in STATED_FIELDS},
        "business_impact.users_affected": _text(pm.business_impact.users_affected),
        "business_impact.failed_requests": _text(pm.business_impact.failed_requests),
        "business_impact.estimated_loss": _text(pm.business_impact.estimated_loss),
    }
    rows = {
        "timeline": [
            {
                "at": local_input(row.at, zone),
                "event": _text(row.event),
                "actor": _text(row.actor),
                "action": _text(row.action),
            }
            for row in pm.timeline
        ],
        "why": [{"question": _text(w.question), "answer": _text(w.answer)} for w in pm.rca.whys],
        "action": [
            {
                "number": _text(item.number),
                "horizon": item.horizon.value,
                "task": _text(item.task),
                "owner": _text(item.owner),
                "due": item.due.isoformat() if item.due else "",
                "status": item.status.value if item.status else "",
                "issue_url": _text(item.issue_url),
            }
            for item in pm.action_items
        ],
        "log": [
            {"title": log.title, "lang": _text(log.lang), "text": log.text}
            for log in pm.appendix.logs
        ],
        "extra": [
            {
                "title": s.title,
                "body": s.body,
                "level": str(s.level),
                "after": _text(s.after),
            }
            for s in pm.extra_sections
        ],
        "related": [{"title": link.title, "url": _text(link.url)} for link in pm.related_docs],
        "reference": [
            {"title": link.title, "url": _text(link.url)} for link in pm.appendix.references
        ],
    }
    return EditorValues(fields=fields, rows=rows)
