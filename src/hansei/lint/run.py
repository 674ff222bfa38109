"""Linting one document: parse it, run every enabled rule, sort the findings."""

from __future__ import annotations

from collections.abc import Iterable

from hansei.errors import DocumentError
from hansei.lint import (  # noqa: F401  (importing the rule modules registers their rules)
    rules_actions,
    rules_document,
    rules_figures,
    rules_language,
    rules_rca,
    rules_times,
)
from hansei.lint.context import LintContext
from hansei.lint.findings import Finding, Severity
from hansei.lint.registry import RULES
from hansei.markdown import parse_markdown


def lint_text(
    text: str,
    *,
    source: str = "",
    disabled: Iterable[str] = (),
    slo_target: float | None = None,
    min_whys: int = 5,
    extra_blame_words: tuple[str, ...] = (),
) -> list[Finding]:
    """The findings for one Markdown document, in line order.

    A text that is no postmortem at all is one error finding, not an exception.
    """
    try:
        result = parse_markdown(text, source=source or None)
    except DocumentError as error:
        return [Finding(error.line or 1, "parse-error", Severity.error, error.message, source)]
    context = LintContext(
        result,
        text,
        slo_target=slo_target,
        min_whys=min_whys,
        extra_blame_words=extra_blame_words,
    )
    skipped = set(disabled)
    findings = [
        finding.with_file(source)
        for code, rule in RULES.items()
        if code not in skipped
        for finding in rule.check(context)
    ]
    return sorted(findings)
