"""One postmortem checked as the team sees it: its Markdown, figures and lint findings."""

from __future__ import annotations

from dataclasses import dataclass

from hansei.config import Settings
from hansei.lint.findings import Finding
from hansei.lint.options import LintOptions, SloSettings
from hansei.lint.run import lint_text
from hansei.markdown import render_markdown
from hansei.metrics import Metrics, compute_metrics
from hansei.model import Postmortem


@dataclass(frozen=True)
class Checked:
    markdown: str
    metrics: Metrics
    findings: list[Finding]


def lint_options(settings: Settings) -> LintOptions:
    return LintOptions(
        timezone=settings.timezone,
        slo=SloSettings(target=settings.slo_target, window_days=settings.slo_window_days),
    )


def metrics_of(postmortem: Postmortem, settings: Settings) -> Metrics:
    """The figures alone, with the team's SLO target where the document states none."""
    target = postmortem.slo.target if postmortem.slo.target is not None else settings.slo_target
    return compute_metrics(postmortem, slo_target=target)


def check(postmortem: Postmortem, settings: Settings) -> Checked:
    """Figures with the team's SLO target where the document states none; findings of
    the Markdown rendition, so that their lines point into what `?format=md` returns."""
    markdown = render_markdown(postmortem)
    return Checked(
        markdown=markdown,
        metrics=metrics_of(postmortem, settings),
        findings=lint_text(markdown, options=lint_options(settings)),
    )
