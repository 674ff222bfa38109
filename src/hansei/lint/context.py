"""What a rule sees: the parsed document, its source, its figures, and the messages' language."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from hansei.lint.findings import Finding, Severity
from hansei.lint.options import LintOptions
from hansei.markdown import ParseResult
from hansei.markdown.lines import split_lines
from hansei.metrics import Metrics, compute_metrics
from hansei.model import Language, Postmortem


@dataclass
class LintContext:
    result: ParseResult
    text: str
    options: LintOptions = field(default_factory=LintOptions)

    @property
    def min_whys(self) -> int:
        return self.options.min_whys

    @property
    def extra_blame_words(self) -> tuple[str, ...]:
        return self.options.blame_words

    @property
    def postmortem(self) -> Postmortem:
        return self.result.postmortem

    @cached_property
    def metrics(self) -> Metrics:
        pm = self.postmortem
        if pm.slo.target is not None:
            return compute_metrics(pm)  # the document states its own SLO
        target, window = self.options.slo_for(pm.impact.services)
        if window is not None:
            pm = pm.model_copy(update={"slo": pm.slo.model_copy(update={"window_days": window})})
        return compute_metrics(pm, slo_target=target)

    @cached_property
    def lines(self) -> list[str]:
        return split_lines(self.text)

    def line_of(self, path: str, default: int = 1) -> int:
        return self.result.line_of(path) or default

    def finding(self, code: str, severity: Severity, line: int, ja: str, en: str) -> Finding:
        """A finding whose message is in the document's language."""
        message = ja if self.postmortem.language == Language.ja else en
        return Finding(line, code, severity, message)
