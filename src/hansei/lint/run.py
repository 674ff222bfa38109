"""Linting one document: parse it, run every enabled rule, sort the findings."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor

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
from hansei.lint.options import LintOptions
from hansei.lint.registry import RULES
from hansei.markdown import parse_markdown


def lint_text(text: str, *, source: str = "", options: LintOptions | None = None) -> list[Finding]:
    """The findings for one Markdown document, in line order.

    A text that is no postmortem at all is one error finding, not an exception.
    """
    options = options or LintOptions()
    try:
        result = parse_markdown(
            text, source=source or None, default_timezone=options.timezone, limits=options.limits
        )
    except DocumentError as error:
        return [Finding(error.line or 1, "parse-error", Severity.error, error.message, source)]
    context = LintContext(result, text, options)
    skipped = set(options.disabled)
    findings = [
        finding.with_file(source)
        for code, rule in RULES.items()
        if code not in skipped
        for finding in rule.check(context)
    ]
    return sorted(findings)


def _lint_one(item: tuple[str, str, LintOptions]) -> list[Finding]:
    source, text, options = item
    return lint_text(text, source=source, options=options)


def lint_texts(
    documents: list[tuple[str, str, LintOptions]], *, workers: int | None = None
) -> list[Finding]:
    """Findings for many (source, text, options), in order; on all cores when there are many."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(documents) < _PARALLEL_FROM:
        return [finding for item in documents for finding in _lint_one(item)]
    chunk = max(1, len(documents) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = pool.map(_lint_one, documents, chunksize=chunk)
        return [finding for findings in results for finding in findings]


# Below this many documents, starting processes costs more than it saves.
_PARALLEL_FROM = 32
