"""The rule reference, written from the registry: docs/lint/README.md and a page per rule."""

from __future__ import annotations

from hansei.lint.registry import RULES


def rules_reference() -> str:
    parts = [
        "# Lint rules\n",
        "Generated from the rule registry by `hansei lint --rules-doc docs/lint`; "
        "a test fails when these pages and the registry disagree.\n",
        "`hansei lint PATH…` checks files, folders (`*.md`, recursively) and globs. "
        "It exits 0 when clean, 1 when any finding is an error, 2 on usage errors. "
        "`--format json` prints `[{file, line, code, severity, message}]`, "
        "`--format sarif` SARIF 2.1.0 for code scanning, `--format github` workflow "
        "annotations; `--fix` rewrites the figures hansei computes (downtime, the SLO "
        "lines, MTTD … MTTF) where they are wrong or missing, prints each change, and "
        "touches nothing else, every line keeping its own ending (a second `--fix` "
        "changes nothing); a file that is not a postmortem is reported as without `--fix`; "
        "`--disable CODE` turns a rule off; `--explain CODE` prints a rule's entry below.\n",
        "Settings come from `hansei.toml`, or `[tool.hansei]` in `pyproject.toml`, in the "
        "file's folder or the nearest one above it; the command's options add to them:\n\n"
        "```toml\n"
        'timezone = "Asia/Tokyo"        # for documents that name none\n'
        'disable = ["too-few-whys"]     # rules turned off\n'
        "min_whys = 5\n"
        'blame_words = ["戦犯"]         # more blaming words to flag\n\n'
        "[slo]\n"
        "target = 0.999                 # for documents that state none\n"
        "window_days = 30\n"
        '[slo.services."Walk API"]\n'
        "target = 0.9995                # for documents about this service\n"
        "window_days = 28\n"
        "```\n",
        "| code | severity | checks |\n| --- | --- | --- |\n"
        + "".join(
            f"| [`{rule.code}`]({rule.code}.md) | {rule.severity.value} | {rule.summary} |\n"
            for rule in sorted(RULES.values(), key=lambda r: r.code)
        ),
    ]
    return "\n".join(parts)


def rule_page(code: str) -> str:
    """The page of one rule (docs/lint/<code>.md)."""
    rule = RULES[code]
    return (
        f"# {rule.code}\n\nSeverity: {rule.severity.value}.\n\n{rule.summary}\n\n"
        f"{rule.explanation}\n\n**Fix:** {rule.fix}\n\n"
        f"`hansei lint --explain {rule.code}` prints this; [all rules](README.md).\n"
    )


def reference_pages() -> dict[str, str]:
    """docs/lint/: the index (README.md) and a page per rule, by file name."""
    pages = {"README.md": rules_reference()}
    pages.update({f"{code}.md": rule_page(code) for code in sorted(RULES)})
    return pages
