"""The document as HTML: a standalone page, or its sections for the web app.

Both come from the Markdown rendition, so the HTML reads exactly like the
template. Raw HTML in the text is escaped and `javascript:` links refused.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markdown_it import MarkdownIt
from markdown_it.token import Token

from hansei.markdown.render import FIGURE_LINES, figure_values, render_markdown
from hansei.markdown.stated import figure_texts
from hansei.markdown.vocabulary import LABELS
from hansei.model import Language, Postmortem

# The figure lines of the template and the figure each one shows.
_FIGURE_OF_LINE = {"budget_consumed": "consumed", "budget_remaining": "remaining"}


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # "js-default" escapes raw HTML and refuses javascript: links.
    return MarkdownIt("js-default").enable("table")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("hansei.markdown", "templates"),
        autoescape=select_autoescape(["html"]),
    )


def render_html(postmortem: Postmortem, *, language: Language | None = None) -> str:
    markdown = render_markdown(postmortem, language=language)
    body = _markdown().render(markdown)
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
    parser = _markdown()
    tokens = parser.parse(markdown)
    starts = [
        index
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and token.level == 0 and token.tag in ("h1", "h2")
    ]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    line_count = markdown.count("\n") + 1
    highlight = _figure_highlighter(postmortem)
    sections = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(tokens)
        part = tokens[start:end]
        first = _first_line(part)
        following = tokens[end:] if end < len(tokens) else []
        last = (_first_line(following) - 1) if following else line_count
        sections.append(
            HtmlSection(
                heading=_heading_text(part),
                first_line=first,
                last_line=last,
                html=highlight(parser.renderer.render(part, parser.options, {})),
            )
        )
    return sections


def _first_line(tokens: list[Token]) -> int:
    for token in tokens:
        if token.map:
            return token.map[0] + 1
    return 1


def _heading_text(tokens: list[Token]) -> str:
    if len(tokens) > 1 and tokens[0].type == "heading_open" and tokens[1].type == "inline":
        return tokens[1].content
    return ""


def _escape(text: str) -> str:
    # As markdown-it escapes text: &, <, > and ".
    return html.escape(text, quote=False).replace('"', "&quot;")


def _figure_highlighter(postmortem: Postmortem) -> _Highlighter:
    labels = LABELS[postmortem.language]
    computed = figure_texts(postmortem)
    values = figure_values(postmortem)
    replacements = []
    for line in FIGURE_LINES:
        figure = computed[_FIGURE_OF_LINE.get(line, line)]
        if figure.text is None or not figure.computed:
            continue
        shown = f"<strong>{_escape(labels[line])}</strong>: {_escape(values[line])}"
        marked = (
            f"<strong>{_escape(labels[line])}</strong>: "
            f'<mark class="computed">{_escape(values[line])}</mark>'
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
