"""The document as HTML: a standalone page, or its sections for the web app.

Both come from the Markdown rendition, so the HTML reads exactly like the
template. Raw HTML in the text is escaped and `javascript:` links refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from hansei.markdown import to_html
from hansei.markdown.lines import line_count
from hansei.markdown.render import FIGURE_LINES, figure_values, render_markdown
from hansei.markdown.stated import figure_texts
from hansei.markdown.vocabulary import LABELS
from hansei.model import Language, Postmortem

if TYPE_CHECKING:
    from jinja2 import Environment

# The figure lines of the template and the figure each one shows.
_FIGURE_OF_LINE = {"budget_consumed": "consumed", "budget_remaining": "remaining"}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(
        loader=PackageLoader("hansei.markdown", "templates"),
        autoescape=select_autoescape(["html"]),
    )


def render_html(postmortem: Postmortem, *, language: Language | None = None) -> str:
    markdown = render_markdown(postmortem, language=language)
    body = to_html.render(markdown, images_as_links=True)
    return (
        _environment()
        .get_template("page.html")
        .render(
            language=(language or postmortem.language).value,
            title=postmortem.title or "Postmortem",
            body=body,
        )
    )


@dataclass(frozen=True)
class HtmlSection:
    """One top-level part of the rendered document (the header, or a `##` section)."""

    heading: str
    first_line: int
    last_line: int
    """1-based lines of the Markdown rendition, for placing lint findings."""
    html: str


def html_sections(postmortem: Postmortem, markdown: str | None = None) -> list[HtmlSection]:
    """The document's sections as HTML, computed figures in `<mark class="computed">`.

    `markdown` is the document's rendition when the caller has it already.
    """
    if markdown is None:
        markdown = render_markdown(postmortem)
    lines = line_count(markdown)
    highlight = _figure_highlighter(postmortem)
    parts: list[list[to_html.Block]] = []
    for block in to_html.render_blocks(markdown):
        if not parts or block.heading_level in (1, 2):
            parts.append([])
        parts[-1].append(block)
    sections = []
    for position, part in enumerate(parts):
        following = parts[position + 1][0].first_line - 1 if position + 1 < len(parts) else None
        sections.append(
            HtmlSection(
                heading=part[0].heading_text if part[0].heading_level in (1, 2) else "",
                first_line=1 if position == 0 else part[0].first_line,
                last_line=following if following is not None else lines,
                html=highlight("".join(block.html for block in part)),
            )
        )
    return sections


def _figure_highlighter(postmortem: Postmortem) -> _Highlighter:
    labels = LABELS[postmortem.language]
    computed = figure_texts(postmortem)
    values = figure_values(postmortem)
    replacements = []
    for line in FIGURE_LINES:
        figure = computed[_FIGURE_OF_LINE.get(line, line)]
        if figure.text is None or not figure.computed:
            continue
        shown = f"<strong>{to_html.escape(labels[line])}</strong>: {to_html.escape(values[line])}"
        marked = (
            f"<strong>{to_html.escape(labels[line])}</strong>: "
            f'<mark class="computed">{to_html.escape(values[line])}</mark>'
        )
        replacements.append((shown, marked))
    return _Highlighter(replacements)


class _Highlighter:
    def __init__(self, replacements: list[tuple[str, str]]) -> None:
        self.replacements = replacements

    def __call__(self, text: str) -> str:
        for shown, marked in self.replacements:
            text = text.replace(shown, marked)
        return text
