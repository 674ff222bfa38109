"""`hansei lint`: findings that point at the line, for people, editors and CI."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from hansei.cli.lint_config import forget_settings, options_for
from hansei.cli.output import error_console
from hansei.cli.settings import command_settings
from hansei.errors import DocumentError, UsageError
from hansei.lint import RULES, Finding, LintOptions, Severity, lint_texts
from hansei.lint.docs import reference_pages
from hansei.lint.fix import fix_text
from hansei.lint.formats import as_github, as_json, as_sarif, as_text
from hansei.services.documents import expand_paths, read_text


class LintFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


def _markdown_files(paths: list[str]) -> list[Path]:
    try:
        return expand_paths(paths, folder_patterns=("*.md",))
    except UsageError as error:
        raise typer.BadParameter(str(error), param_hint="PATH") from error


def _explain(code: str) -> None:
    rule = RULES.get(code)
    if rule is None:
        known = ", ".join(sorted(RULES))
        raise typer.BadParameter(f"unknown rule {code!r}; rules: {known}", param_hint="--explain")
    typer.echo(f"{rule.code} ({rule.severity.value})\n\n{rule.summary}\n\n{rule.explanation}\n")
    typer.echo(f"How to fix: {rule.fix}")


def _fixed(path: Path, text: str, options: LintOptions) -> str:
    """Apply --fix to one file, say what changed, and return the text to lint."""
    try:
        fixed, changes = fix_text(text, options)
    except DocumentError:
        # Nothing to fix in what cannot be read: linting it reports why, as without --fix.
        return text
    if not changes:
        return text
    try:
        path.write_bytes(fixed.encode("utf-8"))
    except OSError as error:
        error_console().print(f"{path}: cannot write: {error.strerror or error}", markup=False)
        raise typer.Exit(2) from error
    console = error_console()
    for change in changes:
        console.print(
            f"{path}:{change.line}: fixed {change.before!r} → {change.after!r}", markup=False
        )
    return fixed


def _print_coloured(findings: list[Finding]) -> None:
    console = Console(highlight=False, soft_wrap=True)
    for found in findings:
        line = Text()
        line.append(f"{found.file}:{found.line}:", style="bold")
        colour = "red" if found.severity == Severity.error else "yellow"
        line.append(f" {found.severity.value}", style=colour)
        line.append(f" {found.code}", style="cyan")
        line.append(f" {found.message}")
        console.print(line)


def _with_flags(
    options: LintOptions, disable: list[str], blame_words: list[str], min_whys: int | None
) -> LintOptions:
    """The settings file's options, with what the command line adds or overrides."""
    return options.model_copy(
        update={
            "disable": (*options.disable, *disable),
            "blame_words": (*options.blame_words, *blame_words),
            "min_whys": min_whys if min_whys is not None else options.min_whys,
        }
    )


def lint(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Files, folders (searched for *.md) or globs.")
    ] = None,
    output_format: Annotated[
        LintFormat, typer.Option("--format", help="Output format.")
    ] = LintFormat.text,
    explain: Annotated[
        str | None, typer.Option(help="Print what rule CODE checks and how to fix it.")
    ] = None,
    disable: Annotated[
        list[str] | None, typer.Option(help="Turn a rule off; repeat for more.")
    ] = None,
    blame_word: Annotated[
        list[str] | None, typer.Option(help="Another blaming word to flag; repeat for more.")
    ] = None,
    min_whys: Annotated[
        int | None, typer.Option(min=1, help="Whys a postmortem needs (default 5).")
    ] = None,
    fix: Annotated[
        bool,
        typer.Option(
            "--fix", help="Rewrite computable figures that are wrong or missing, then lint."
        ),
    ] = False,
    rules_doc: Annotated[
        Path | None,
        typer.Option("--rules-doc", help="Write the rule reference pages into this folder."),
    ] = None,
) -> None:
    """Check postmortems: exit 0 when clean, 1 when any error-level finding, 2 on usage errors.

    Settings come from hansei.toml or [tool.hansei] in pyproject.toml, found upward from
    each file (docs/lint/README.md); the options here add to them.
    """
    if rules_doc is not None:
        rules_doc.mkdir(parents=True, exist_ok=True)
        for name, page in reference_pages().items():
            (rules_doc / name).write_text(page, encoding="utf-8")
        return
    if explain is not None:
        _explain(explain)
        return
    if not paths:
        raise typer.BadParameter("give at least one file, folder or glob", param_hint="PATH")
    for code in disable or []:
        if code not in RULES:
            raise typer.BadParameter(f"unknown rule {code!r}", param_hint="--disable")
    forget_settings()
    limits = command_settings().document_limits()
    findings: list[Finding] = []
    documents: list[tuple[str, str, LintOptions]] = []
    for path in _markdown_files(paths):
        try:
            text = read_text(path, limits)
            options = _with_flags(options_for(path), disable or [], blame_word or [], min_whys)
            options = options.model_copy(update={"limits": limits})
        except DocumentError as error:
            if error.source and error.source != str(path):
                # A settings file that cannot be used stops the run.
                error_console().print(str(error), markup=False)
                raise typer.Exit(2) from error
            line = error.line or 1
            findings.append(Finding(line, "parse-error", Severity.error, error.message, str(path)))
            continue
        if fix:
            text = _fixed(path, text, options)
        documents.append((str(path), text, options))
    findings.extend(lint_texts(documents))
    if output_format == LintFormat.json:
        typer.echo(as_json(findings), nl=False)
    elif output_format == LintFormat.sarif:
        described = {code: (rule.summary, rule.explanation) for code, rule in RULES.items()}
        typer.echo(as_sarif(findings, described), nl=False)
    elif output_format == LintFormat.github:
        typer.echo(as_github(findings), nl=False)
    elif sys.stdout.isatty():
        _print_coloured(findings)
    else:
        typer.echo(as_text(findings), nl=False)
        errors = sum(finding.severity == Severity.error for finding in findings)
        error_console().print(f"{len(findings)} findings ({errors} errors)", markup=False)
    if any(finding.severity == Severity.error for finding in findings):
        raise typer.Exit(1)
