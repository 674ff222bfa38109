"""The document as a standalone HTML page (no script, no raw HTML from the text)."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markdown_it import MarkdownIt

from hansei.markdown.render import render_markdown
from hansei.model import Language, Postmortem


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
