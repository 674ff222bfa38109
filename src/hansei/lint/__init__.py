"""Lint: the rule registry, one module per rule family, output formats."""

from hansei.lint.findings import Finding, Severity
from hansei.lint.registry import RULES, Rule
from hansei.lint.run import lint_text

__all__ = ["RULES", "Finding", "Rule", "Severity", "lint_text"]
