"""The rule reference, written from the registry (docs/lint.md is this text)."""

from __future__ import annotations

from hansei.lint.registry import RULES


def rules_reference() -> str:
    parts = [
        "# Lint rules\n",
        "Generated from the rule registry by `hansei lint --rules-doc > docs/lint.md`; "
        "a test fails when this page and the registry disagree.\n",
        "`hansei lint PATH…` checks files, folders (`*.md`, recursively) and globs. "
        "It exits 0 when clean, 1 when any finding is an error, 2 on usage errors. "
        "`--format json` prints `[{file, line, code, severity, message}]`, "
        "`--format sarif` SARIF 2.1.0 for code scanning, `--format github` workflow "
        "annotations; "
        "`--disable CODE` turns a rule off; `--explain CODE` prints a rule's entry below.\n",
        "| code | severity | checks |\n| --- | --- | --- |\n"
        + "".join(
            f"| [`{rule.code}`](#{rule.code}) | {rule.severity.value} | {rule.summary} |\n"
            for rule in sorted(RULES.values(), key=lambda r: r.code)
        ),
    ]
    for rule in sorted(RULES.values(), key=lambda r: r.code):
        parts.append(
            f"## {rule.code}\n\nSeverity: {rule.severity.value}.\n\n{rule.summary}\n\n"
            f"{rule.explanation}\n\n**Fix:** {rule.fix}\n"
        )
    return "\n".join(parts)
