"""The depth of the root cause analysis."""

from __future__ import annotations

from collections.abc import Iterator

from hansei.lint.context import LintContext
from hansei.lint.findings import Finding, Severity
from hansei.lint.registry import rule


@rule(
    "too-few-whys",
    Severity.warning,
    summary="The 5 Whys stop before five (or the configured minimum).",
    explanation="Stopping at the first or second why usually ends at a symptom or a person; "
    "the process or design cause is further down.",
    fix="Keep asking why until the answer is a process or a design, not an event or a person.",
)
def too_few_whys(context: LintContext) -> Iterator[Finding]:
    count = sum(1 for why in context.postmortem.rca.whys if why.answer)
    if count >= context.min_whys:
        return
    yield context.finding(
        "too-few-whys",
        Severity.warning,
        context.line_of("sections.root_causes", context.line_of("sections.rca")),
        f"5 Whys の回答が {count} 個しかありません（{context.min_whys} 個以上）",
        f"only {count} answered whys (at least {context.min_whys})",
    )
