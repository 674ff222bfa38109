"""The figures a document shows: stated where it states them, else computed.

One function gives each figure's text both ways, so that the parser can tell
a stated figure that merely repeats the computed one (dropped: the document
then shows the computed figure) from one that differs (kept, and linted).
"""

from __future__ import annotations

from dataclasses import dataclass

from hansei.markdown.values import format_duration, format_number
from hansei.metrics import compute_metrics, round_half_up
from hansei.model import Language, Postmortem

FIGURES = (
    "downtime",
    "availability",
    "consumed",
    "remaining",
    "budget_window",
    "ttd",
    "ttm",
    "ttr",
    "ttf",
)
_STATED_FIELDS = {
    "availability": "availability_pct",
    "consumed": "budget_consumed_window_pct",
    "remaining": "budget_remaining_window_pct",
    "budget_window": "budget_window_pct",
    "ttd": "ttd_minutes",
    "ttm": "ttm_minutes",
    "ttr": "ttr_minutes",
    "ttf": "ttf_minutes",
}
_DURATIONS = frozenset({"downtime", "ttd", "ttm", "ttr", "ttf"})


@dataclass(frozen=True)
class FigureText:
    text: str | None
    computed: bool


def _text(key: str, value: float | None, language: Language) -> str | None:
    if value is None:
        return None
    return format_duration(value, language) if key in _DURATIONS else format_number(value)


def computed_values(postmortem: Postmortem) -> dict[str, float | None]:
    metrics = compute_metrics(postmortem)
    target = postmortem.slo.target
    return {
        "downtime": metrics.downtime_minutes,
        "availability": metrics.availability_pct,
        "consumed": metrics.budget_consumed_window_pct,
        "remaining": metrics.budget_remaining_window_pct,
        "budget_window": None if target is None else round_half_up((1 - target) * 100, 4),
        "ttd": metrics.ttd_minutes,
        "ttm": metrics.ttm_minutes,
        "ttr": metrics.ttr_minutes,
        "ttf": metrics.ttf_minutes,
    }


def stated_values(postmortem: Postmortem) -> dict[str, float | None]:
    values: dict[str, float | None] = {"downtime": postmortem.impact.downtime_minutes}
    for key, name in _STATED_FIELDS.items():
        values[key] = getattr(postmortem.stated, name)
    return values


def figure_texts(postmortem: Postmortem) -> dict[str, FigureText]:
    """What the document shows for each figure (None: neither stated nor computable)."""
    language = postmortem.language
    computed = computed_values(postmortem)
    stated = stated_values(postmortem)
    texts: dict[str, FigureText] = {}
    for key in FIGURES:
        if stated[key] is not None:
            texts[key] = FigureText(_text(key, stated[key], language), computed=False)
        else:
            texts[key] = FigureText(_text(key, computed[key], language), computed=True)
    return texts


def drop_computed_figures(postmortem: Postmortem) -> Postmortem:
    """The same document without stated figures that read exactly as the computed ones."""
    language = postmortem.language
    computed = computed_values(postmortem)
    stated = stated_values(postmortem)
    same = [
        key
        for key in FIGURES
        if stated[key] is not None
        and _text(key, stated[key], language) == _text(key, computed[key], language)
    ]
    if not same:
        return postmortem
    impact = postmortem.impact
    if "downtime" in same:
        impact = impact.model_copy(update={"downtime_minutes": None})
    stated_update = {_STATED_FIELDS[key]: None for key in same if key in _STATED_FIELDS}
    return postmortem.model_copy(
        update={"impact": impact, "stated": postmortem.stated.model_copy(update=stated_update)}
    )
