"""How the CLI shows figures and diagnostics."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from hansei.markdown import Diagnostic
from hansei.markdown.values import format_duration, format_number
from hansei.metrics import Metrics
from hansei.model import Language


class OutputFormat(StrEnum):
    """How a command prints one postmortem."""

    md = "md"
    json = "json"
    html = "html"


def error_console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print `message` on standard error and end the command with `code`."""
    error_console().print(message, markup=False)
    raise typer.Exit(code)


def dump_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def print_diagnostics(source: str, diagnostics: list[Diagnostic]) -> None:
    console = error_console()
    for found in diagnostics:
        console.print(
            f"{source}:{found.line}: warning: {found.code}: {found.message}", markup=False
        )


def _minutes(value: float | None) -> str:
    return "-" if value is None else format_duration(value, Language.en)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{format_number(value)}%"


def metrics_table(rows: list[tuple[str, str, Metrics]]) -> Table:
    table = Table(
        title="Incident metrics",
        title_justify="left",
        caption="TTD = detected − start, TTA = response − detected, TTM = mitigated − detected, "
        "TTR = recovered − detected, TTF = resolved − detected (docs/metrics.md)",
        caption_justify="left",
    )
    for column in ("file", "title", "TTD", "TTA", "TTM", "TTR", "TTF", "downtime"):
        table.add_column(column, no_wrap=column not in ("file", "title"))
    for column in ("availability", "budget used", "budget left"):
        table.add_column(column, justify="right", no_wrap=True)
    for source, title, figures in rows:
        used = "-"
        if figures.budget_consumed_pct is not None:
            window = _percent(figures.budget_consumed_window_pct)
            used = f"{format_number(figures.budget_consumed_pct)}% ({window} of window)"
        left = (
            "-"
            if figures.budget_remaining_minutes is None
            else f"{format_number(figures.budget_remaining_minutes)} min"
        )
        table.add_row(
            Text(source),
            Text(title),
            _minutes(figures.ttd_minutes),
            _minutes(figures.tta_minutes),
            _minutes(figures.ttm_minutes),
            _minutes(figures.ttr_minutes),
            _minutes(figures.ttf_minutes),
            _minutes(figures.downtime_minutes),
            _percent(figures.availability_pct),
            used,
            left,
        )
    return table


def stdout_console() -> Console:
    return Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 200)
