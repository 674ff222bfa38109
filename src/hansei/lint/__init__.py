"""Lint: the rule registry, one module per rule family, output formats."""

from hansei.lint.findings import Finding, Severity
from hansei.lint.options import LintOptions
from hansei.lint.registry import RULES, Rule
from hansei.lint.run import lint_text, lint_texts

__all__ = ["RULES", "Finding", "LintOptions", "Rule", "Severity", "lint_text", "lint_texts"]
