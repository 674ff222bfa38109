"""The rule registry: every rule is a function registered with its code and documentation."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from hansei.lint.context import LintContext
from hansei.lint.findings import Finding, Severity

Check = Callable[[LintContext], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    summary: str
    explanation: str
    fix: str
    check: Check


RULES: dict[str, Rule] = {}


def rule(
    code: str, severity: Severity, *, summary: str, explanation: str, fix: str
) -> Callable[[Check], Check]:
    """Register a rule. `summary` is one line; `explanation` and `fix` are for `--explain`."""

    def register(check: Check) -> Check:
        if code in RULES:
            raise ValueError(f"rule {code} registered twice")
        RULES[code] = Rule(code, severity, summary, explanation, fix, check)
        return check

    return register
