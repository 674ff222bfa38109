"""Text that GitHub shows as written and acts on never: no mention, no reference, no
link, image or HTML from what a postmortem's author typed.

GitHub renders an issue body as GitHub Flavored Markdown (https://github.github.com/gfm/)
and then looks through the text it shows for `@user`, `@org/team`, `#123`,
`owner/repo#123`, commit SHAs and URLs, to link and notify. Escaping the Markdown with
backslashes or HTML entities does not stop that second pass: both turn back into the
same characters before it runs. It skips text inside `<code>` (and `<pre>`, `<a>`), as
GitHub's HTML pipeline does (https://github.com/gjtorikian/html-pipeline, MentionFilter:
"Mentions within <pre>, <code>, and <a> elements are ignored"). So every value a person
wrote goes into the body as a code span: CommonMark shows a code span's text literally
(no emphasis, link, autolink, entity or raw HTML is recognised in it), and a fence of
backticks longer than any run of backticks in the text cannot be closed by it.

An issue's title is plain text: one line, at most 256 characters.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

TITLE_LIMIT = 256
"""GitHub refuses a longer title."""

_BACKTICKS = re.compile("`+")
_URL_CHARACTERS = "-._~:/?#[]@!$&'*+,;=%"
"""RFC 3986 characters that stay as they are in a link's destination; the rest, `(`, `)`,
`<`, `>`, `\\`, spaces and what is not ASCII among them, are percent-encoded."""


def shown(text: str) -> str:
    """`text` with each tab a space and each other control character (line breaks among
    them) the replacement character: one line, every character visible."""
    return "".join(
        " " if character == "\t" else "\ufffd" if _control(character) else character
        for character in text
    )


def _control(character: str) -> bool:
    return unicodedata.category(character) in ("Cc", "Zl", "Zp")


def code(text: str) -> str:
    """A code span that shows `text` (as `shown`) character for character."""
    text = shown(text)
    if not text:
        return "-"
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    # A backtick at either end would join the fence; CommonMark strips one space from each
    # end of a span that has both, so a space is added at both ends: the one it strips.
    edge = text[0] in "` " or text[-1] in "` "
    pad = " " if edge and text.strip(" ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def table_cell(markdown: str) -> str:
    """Markdown for a table cell: a pipe ends a cell even inside a code span, unless it is
    escaped, and the table takes the escape off before the span is read (GFM 4.10)."""
    return markdown.replace("|", "\\|")


def destination(url: str) -> str:
    """A link's destination that no character of `url` can end early or turn into more."""
    return quote(url, safe=_URL_CHARACTERS)


def title(text: str) -> str:
    """An issue title: `text` on one line, cut to GitHub's limit with an ellipsis."""
    line = shown(text).strip()
    if len(line) <= TITLE_LIMIT:
        return line
    return line[: TITLE_LIMIT - 1].rstrip() + "…"


__all__ = ["TITLE_LIMIT", "code", "destination", "shown", "table_cell", "title"]
