"""The model to Markdown, in the template's layout (Japanese) or its English rendition.

Figures the document does not state are computed from the timestamps
(stated.py). Empty parts are written as the template's placeholders, which
the parser reads back as missing.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from hansei.markdown.clock import format_row_time, timeline_anchor
from hansei.markdown.stated import FigureText, figure_texts
from hansei.markdown.values import format_duration, format_number, format_timestamp
from hansei.markdown.vocabulary import (
    ACTION_STATUS_WORDS,
    LABELS,
    LIST_MARKS,
    PLACEHOLDERS,
    REVIEW_STATUS_WORDS,
    SEVERITY_WORDS,
    STATUS_WORDS,
)
from hansei.markdown.zones import zone_label
from hansei.metrics import compute_metrics
from hansei.model import (
    DEFAULT_TIMEZONE,
    ExtraSection,
    Horizon,
    Language,
    Link,
    Postmortem,
    Step,
    Why,
    is_absolute_url,
    issue_label,
)

if TYPE_CHECKING:
    from jinja2 import Environment

_TIME_ROWS = ("occurred", "detected", "response_started", "mitigated", "recovered", "resolved")
_ALWAYS_SHOWN = frozenset({"detected", "response_started", "recovered", "resolved"})
_SUMMARY_PROMPTS = {
    Language.ja: "- 何が起こったか\n- いつ起こったか\n- 影響範囲\n- 復旧までの時間",
    Language.en: "- What happened\n- When it happened\n- Scope of impact\n- Time to recovery",
}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("hansei.markdown", "templates"),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )


def render_markdown(postmortem: Postmortem, *, language: Language | None = None) -> str:
    """The document as Markdown; `language` overrides the document's own."""
    if language is not None and language != postmortem.language:
        postmortem = postmortem.model_copy(update={"language": language})
    context = _context(postmortem)
    return _environment().get_template("postmortem.md.j2").render(**context)


FIGURE_LINES = (
    "downtime",
    "availability",
    "budget_consumed",
    "budget_remaining",
    "ttd",
    "ttm",
    "ttr",
    "ttf",
)


def figure_values(postmortem: Postmortem) -> dict[str, str]:
    """What the renderer writes after each figure's label (`35分`, `99.919% (目標: 99.9%)` …)."""
    context = _context(postmortem)
    return {key: context[key] for key in FIGURE_LINES}


def _cell(text: str | None) -> str:
    return "" if text is None else text.replace("|", "\\|")


def _or(value: str | None, placeholder: str) -> str:
    return placeholder if value is None else value


def _context(pm: Postmortem) -> dict[str, Any]:
    lang = pm.language
    labels = LABELS[lang]
    holes = PLACEHOLDERS[lang]
    tz = zone_label(pm.timezone)
    figures = figure_texts(pm)
    item_hole = holes["list_item"]

    def figure(key: str, hole: str) -> str:
        text = figures[key].text
        return holes[hole] if text is None else text

    times = []
    for name in _TIME_ROWS:
        value: datetime | None = getattr(pm.times, name)
        if value is None and name not in _ALWAYS_SHOWN:
            continue
        shown = format_timestamp(value, pm.timezone) if value else holes["timestamp"].format(tz=tz)
        times.append((labels[name], shown))

    return {
        "L": labels,
        "title": _or(pm.title, holes["title"]),
        "date": _or(pm.date.isoformat() if pm.date else None, holes["date"]),
        "author": _or(pm.author, holes["author"]),
        "reviewers": ", ".join(pm.reviewers) if pm.reviewers else holes["reviewers"],
        "status": STATUS_WORDS[pm.status],
        "timezone": None if pm.timezone == DEFAULT_TIMEZONE else pm.timezone,
        "summary": pm.summary or _SUMMARY_PROMPTS[lang],
        "times": times,
        "services": ", ".join(pm.impact.services) if pm.impact.services else holes["services"],
        "users_affected": _or(pm.impact.users_affected, holes["users_affected"]),
        "severity": SEVERITY_WORDS[pm.impact.severity] if pm.impact.severity else holes["severity"],
        "downtime": figure("downtime", "downtime"),
        "data_loss": holes["data_loss"]
        if pm.impact.data_loss is None
        else labels["yes" if pm.impact.data_loss else "no"],
        "availability": _availability(pm, figures["availability"].text, labels, holes),
        "budget_consumed": _consumed(pm, figures, labels, holes),
        "budget_remaining": _remaining(pm, figures, labels, holes),
        "timeline_columns": labels["timeline_columns"].format(tz=tz),
        "timeline": _timeline(pm),
        "direct_causes": _bullets(pm.rca.direct_causes) or holes["direct_causes"],
        "root_intro": _root_intro(pm, holes),
        "whys": _whys(pm.rca.whys, lang),
        "root_causes": _bullets(pm.rca.root_causes) or f"- {item_hole}",
        "mitigation": _steps(pm.mitigation) or f"1. **{item_hole}**",
        "resolution": _steps(pm.resolution) or f"1. **{item_hole}**",
        "went_well": _marked(pm.went_well, "went_well", item_hole),
        "went_wrong": _marked(pm.went_wrong, "went_wrong", item_hole),
        "learned": _marked(pm.learned, "learned", item_hole),
        "action_columns": _action_columns(pm, labels),
        "actions": _actions(pm, labels, holes),
        "process": _steps(pm.prevention.process) or f"1. **{item_hole}**",
        "technical": _steps(pm.prevention.technical) or f"1. **{item_hole}**",
        "related_docs": _links(pm.related_docs) or f"- {item_hole}",
        "ttd": figure("ttd", "duration"),
        "ttm": figure("ttm", "duration"),
        "ttr": figure("ttr", "duration"),
        "ttf": figure("ttf", "duration")
        + ("" if figures["ttf"].text is None else labels["ttf_note"]),
        "bi_users_affected": _or(pm.business_impact.users_affected, holes["bi_users_affected"]),
        "failed_requests": _or(pm.business_impact.failed_requests, holes["failed_requests"]),
        "estimated_loss": _or(pm.business_impact.estimated_loss, holes["estimated_loss"]),
        "reviews": _reviews(pm, holes),
        "logs": [
            {
                "title": log.title,
                "lang": log.lang or "",
                "text": log.text,
                "fence": _fence(log.text),
            }
            for log in pm.appendix.logs
        ]
        or [{"title": labels["log_section"], "lang": "", "text": "", "fence": "```"}],
        "references": _links(pm.appendix.references) or f"- {item_hole}",
        "inside": _ExtrasInside(pm.extra_sections),
        "after": _ExtrasAfter(pm.extra_sections),
    }


def _availability(
    pm: Postmortem, text: str | None, labels: dict[str, str], holes: dict[str, str]
) -> str:
    terms = []
    if pm.slo.target is not None:
        terms.append(f"{labels['target']}: {format_number(pm.slo.target * 100)}%")
    if pm.slo.window_days != 30:
        terms.append(f"{labels['window']}: {pm.slo.window_days}{labels['days']}")
    slo = f"({', '.join(terms)})" if terms else ""
    if text is None:
        return slo or holes["availability"]
    return f"{text}% {slo}".rstrip()


def _root_intro(pm: Postmortem, holes: dict[str, str]) -> str:
    """The deep-dive text above the 5 Whys; its placeholder only while the whole part is empty."""
    if pm.rca.analysis:
        return pm.rca.analysis + "\n\n"
    if pm.rca.whys or pm.rca.root_causes:
        return ""
    return holes["root_analysis"] + "\n\n"


def _consumed(
    pm: Postmortem, figures: dict[str, FigureText], labels: dict[str, str], holes: dict[str, str]
) -> str:
    """`35分のダウンタイム = 0.08%（Error Budget の 81%）`, from the downtime the share is of."""
    pct = figures["consumed"].text
    if pct is None:
        return holes["budget_consumed"]
    metrics = compute_metrics(pm)
    downtime = figures["downtime"].text
    if figures["consumed"].computed and metrics.downtime_minutes is not None:
        downtime = format_duration(metrics.downtime_minutes, pm.language)
    text = (
        f"{pct}%"
        if downtime is None
        else labels["downtime_of"].format(downtime=downtime, pct=f"{pct}%")
    )
    if figures["consumed"].computed and metrics.budget_consumed_pct is not None:
        text += labels["budget_share"].format(pct=f"{format_number(metrics.budget_consumed_pct)}%")
    return text


def _remaining(
    pm: Postmortem, figures: dict[str, FigureText], labels: dict[str, str], holes: dict[str, str]
) -> str:
    """`0.02% / 0.1%（残り 8.2分）`: the share of the window left, of the budget's share."""
    remaining = figures["remaining"].text
    total = figures["budget_window"].text
    if remaining is None and total is None:
        return holes["budget_remaining"]
    left = "-" if remaining is None else f"{remaining}%"
    text = left if total is None else f"{left} / {total}%"
    minutes = compute_metrics(pm).budget_remaining_minutes
    if figures["remaining"].computed and minutes is not None:
        label = labels["overspent_minutes" if minutes < 0 else "remaining_minutes"]
        text += label.format(minutes=format_duration(abs(minutes), pm.language))
    return text


def _timeline(pm: Postmortem) -> list[list[str]]:
    zone = pm.zone
    anchor = timeline_anchor(pm)
    previous: datetime | None = None
    rows: list[list[str]] = []
    for row in pm.timeline:
        if row.at is None:
            when = "HH:MM"
        else:
            when = format_row_time(row.at, previous, anchor, zone)
            previous = row.at
        rows.append([when, _cell(row.event), _cell(row.actor) or "-", _cell(row.action)])
    if not rows:
        rows.append(["HH:MM", "", "-", ""])
    return rows


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _marked(items: list[str], key: str, hole: str) -> str:
    mark = LIST_MARKS[key]
    return "\n".join(f"- {mark}{item}" for item in items) or f"- {mark}{hole}"


def _whys(whys: list[Why], lang: Language) -> str:
    if not whys:
        return (
            "1. **Why**: [なぜ？]\n   → [なぜなら]"
            if lang == Language.ja
            else ("1. **Why**: [Why?]\n   → [Because]")
        )
    parts = []
    for number, why in enumerate(whys, start=1):
        text = f"{number}. **Why**:" + (f" {why.question}" if why.question else "")
        if why.answer:
            text += f"\n   → {why.answer}"
        parts.append(text)
    return "\n\n".join(parts)


def _steps(steps: list[Step]) -> str:
    parts = []
    for number, step in enumerate(steps, start=1):
        indent = " " * (len(str(number)) + 2)
        lines = [f"{number}. **{step.title}**"] + [f"{indent}- {detail}" for detail in step.details]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _links(links: list[Link]) -> str:
    return "\n".join(
        f"- [{link.title}]({link.url})" if link.url else f"- {link.title}" for link in links
    )


def _has_issues(pm: Postmortem) -> bool:
    """The issue column is written only when an item has an issue: the template has none."""
    return any(item.issue_url for item in pm.action_items)


def _action_columns(pm: Postmortem, labels: dict[str, str]) -> str:
    columns = labels["action_columns"]
    if not _has_issues(pm):
        return columns
    header, rule = columns.split("\n")
    return f"{header} {labels['issue_column']} |\n{rule}------|"


def _issue_link(reference: str | None) -> str:
    """`[owner/repo#12](url)` for a GitHub issue, `<url>` for another URL, a ticket key
    as it is (the model allows no brackets, spaces or bars in either)."""
    if reference is None:
        return ""
    if not is_absolute_url(reference):
        return reference
    label = issue_label(reference)
    return f"[{label}]({reference})" if label != reference else f"<{reference}>"


def _actions(
    pm: Postmortem, labels: dict[str, str], holes: dict[str, str]
) -> list[tuple[str, list[list[str]]]]:
    tables = []
    issues = _has_issues(pm)
    for horizon in Horizon:
        rows = [
            [
                "" if item.number is None else str(item.number),
                _cell(item.task),
                _cell(item.owner),
                item.due.isoformat() if item.due else "",
                ACTION_STATUS_WORDS[item.status] if item.status else "",
                *([_issue_link(item.issue_url)] if issues else []),
            ]
            for item in pm.action_items
            if item.horizon == horizon
        ]
        if not rows:
            rows = [
                [
                    "",
                    f"[{'タスク' if pm.language == Language.ja else 'Task'}]",
                    holes["author"],
                    "YYYY-MM-DD",
                    "",
                    *([""] if issues else []),
                ]
            ]
        tables.append((labels[f"{horizon.value}_section"], rows))
    return tables


def _reviews(pm: Postmortem, holes: dict[str, str]) -> list[list[str]]:
    rows = [
        [
            review.date.isoformat() if review.date else "",
            _cell(review.reviewer),
            _cell(review.comment),
            REVIEW_STATUS_WORDS[review.status] if review.status else "",
        ]
        for review in pm.reviews
    ]
    return rows or [["YYYY-MM-DD", holes["reviewers"], "", ""]]


def _fence(text: str) -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return fence


def _extra_text(section: ExtraSection) -> str:
    heading = "#" * section.level + " " + section.title
    return f"{heading}\n\n{section.body}" if section.body else heading


class _ExtrasInside:
    """Kept subsections (level 3 and deeper) at the end of the section they followed."""

    def __init__(self, sections: list[ExtraSection]) -> None:
        self.sections = sections

    def __call__(self, key: str, last: bool = False) -> str:
        texts = [_extra_text(s) for s in self.sections if s.after == key and s.level >= 3]
        if not texts:
            return ""
        joined = "\n\n".join(texts)
        return f"\n\n{joined}" if last else f"\n{joined}\n"


class _ExtrasAfter:
    """Kept top-level sections, each after the section it followed, with its own rule."""

    def __init__(self, sections: list[ExtraSection]) -> None:
        self.sections = sections

    def __call__(self, key: str, last: bool = False) -> str:
        if key == "header":
            chosen = [s for s in self.sections if s.after is None]
        else:
            chosen = [s for s in self.sections if s.after == key and s.level <= 2]
        if last:
            return "".join(f"\n\n---\n\n{_extra_text(s)}" for s in chosen)
        return "".join(f"\n{_extra_text(s)}\n\n---\n" for s in chosen)
