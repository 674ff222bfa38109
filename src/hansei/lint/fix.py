"""`hansei lint --fix`: rewrite the figures hansei can compute that are wrong or missing.

Only the value after a figure's label changes (downtime, the SLO lines, MTTD … MTTF);
every other byte of the document stays as written. A second fix changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hansei.lint.context import LintContext
from hansei.lint.options import LintOptions
from hansei.lint.registry import RULES
from hansei.markdown import ParseResult, parse_markdown
from hansei.markdown.lines import split_keeping_ends
from hansei.markdown.read_fields import FIELD_PATHS
from hansei.markdown.render import FIGURE_LINES, figure_values
from hansei.markdown.values import is_placeholder
from hansei.model import Postmortem, StatedMetrics

# Where the parser remembers each figure's line, by the renderer's name for it.
_LINE_PATHS = {key: FIELD_PATHS[key] for key in FIGURE_LINES}
_FIXABLE = frozenset({"downtime-mismatch", "budget-mismatch", "metric-mismatch", "placeholder"})
# As markdown/fields.py reads a field: each run of spaces belongs to one part.
_VALUE = re.compile(
    r"^(?P<label>\s*+(?:[-*+]\s++)?(?:\*\*|__)?[^:：*_\n]{1,40}?\s*+(?:\*\*|__)?\s*+"
    r"(?:[（(][^)）\n]*+[)）])?\s*+[:：](?:\*\*|__)?[ \t]*+)(?P<value>.*)$"
)


@dataclass(frozen=True)
class Change:
    line: int
    before: str
    after: str


def fix_text(text: str, options: LintOptions | None = None) -> tuple[str, list[Change]]:
    """The document with wrong or missing computable figures rewritten, and what changed."""
    options = options or LintOptions()
    result = parse_markdown(text, default_timezone=options.timezone, limits=options.limits)
    flagged = _flagged_lines(result, text, options)
    computed = figure_values(_without_stated_figures(result))
    # Numbered as the parser and the rules number them; each line keeps its own end.
    lines = split_keeping_ends(text)
    changes: list[Change] = []
    for key, path in _LINE_PATHS.items():
        number = result.lines.get(path)
        value = computed[key]
        if number is None or number not in flagged or is_placeholder(value):
            continue
        line, end = lines[number - 1]
        match = _VALUE.match(line)
        if match is None or match["value"].rstrip() == value:
            continue
        lines[number - 1] = (f"{match['label']}{value}", end)
        changes.append(Change(number, match["value"].rstrip(), value))
    return "".join(line + end for line, end in lines), changes


def _flagged_lines(result: ParseResult, text: str, options: LintOptions) -> set[int]:
    context = LintContext(result, text, options)
    return {
        finding.line
        for code in _FIXABLE
        if code in RULES and code not in options.disable
        for finding in RULES[code].check(context)
    }


def _without_stated_figures(result: ParseResult) -> Postmortem:
    pm = result.postmortem
    return pm.model_copy(
        update={
            "impact": pm.impact.model_copy(update={"downtime_minutes": None}),
            "stated": StatedMetrics(),
        }
    )
