"""Linting one document: parse it, run every enabled rule, sort the findings."""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

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


@dataclass(frozen=True)
class LintOptions:
    disabled: tuple[str, ...] = ()
    slo_target: float | None = None
    min_whys: int = 5
    extra_blame_words: tuple[str, ...] = ()


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


def _lint_one(item: tuple[str, str, LintOptions]) -> list[Finding]:
    source, text, options = item
    return lint_text(
        text,
        source=source,
        disabled=options.disabled,
        slo_target=options.slo_target,
        min_whys=options.min_whys,
        extra_blame_words=options.extra_blame_words,
    )


def lint_texts(
    documents: list[tuple[str, str]], options: LintOptions, *, workers: int | None = None
) -> list[Finding]:
    """Findings for many (source, text) documents, in order; on all cores when there are many."""
    items = [(source, text, options) for source, text in documents]
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(items) < _PARALLEL_FROM:
        return [finding for item in items for finding in _lint_one(item)]
    chunk = max(1, len(items) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [
            found for findings in pool.map(_lint_one, items, chunksize=chunk) for found in findings
        ]


# Below this many documents, starting processes costs more than it saves.
_PARALLEL_FROM = 32
