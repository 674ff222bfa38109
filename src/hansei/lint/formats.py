"""Findings as text (for people), JSON (for tools), SARIF (code scanning) or GitHub annotations."""

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


def as_github(findings: list[Finding]) -> str:
    """GitHub Actions workflow commands: each finding becomes an annotation on its line."""
    return "".join(
        f"::{'error' if found.severity.value == 'error' else 'warning'} "
        f"file={_escape_property(found.file)},line={found.line},title={found.code}::"
        f"{_escape_data(found.message)}\n"
        for found in findings
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_sarif(findings: list[Finding], rules: dict[str, tuple[str, str]]) -> str:
    """SARIF 2.1.0, for code scanning; `rules` maps each code to (summary, explanation)."""
    used = sorted({found.code for found in findings} | set(rules))
    index = {code: position for position, code in enumerate(used)}
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "hansei",
                        "rules": [
                            {
                                "id": code,
                                "shortDescription": {"text": rules.get(code, (code, ""))[0]},
                                "fullDescription": {"text": rules.get(code, ("", code))[1]},
                            }
                            for code in used
                        ],
                    }
                },
                "results": [
                    {
                        "ruleId": found.code,
                        "ruleIndex": index[found.code],
                        "level": found.severity.value,
                        "message": {"text": found.message},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": found.file},
                                    "region": {"startLine": found.line},
                                }
                            }
                        ],
                    }
                    for found in findings
                ],
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
