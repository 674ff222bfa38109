"""Findings as text (for people) or JSON (for tools)."""

from __future__ import annotations

import json

from hansei.lint.findings import Finding


def as_text(findings: list[Finding]) -> str:
    """`file:line: severity code message`, one finding a line."""
    return "".join(
        f"{found.file}:{found.line}: {found.severity.value} {found.code} {found.message}\n"
        for found in findings
    )


def as_json(findings: list[Finding]) -> str:
    rows = [
        {
            "file": found.file,
            "line": found.line,
            "code": found.code,
            "severity": found.severity.value,
            "message": found.message,
        }
        for found in findings
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
