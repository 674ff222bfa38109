"""Markdown to safe HTML in time linear in the text, whatever the text holds.

pulldown-cmark (through pyromark) parses; this module writes its events as HTML.
markdown-it-py, which reads the document, takes quadratic time on some inline
markup (500,000 `[` on a line: 20 s), so it renders nothing shown to a reader.

What a person wrote is shown, never run: raw HTML is escaped text, and a link
or image whose URL could run script (`javascript:`, `vbscript:`, `data:` but
images) is shown as the Markdown that was written.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyromark

from hansei.markdown.lines import line_starts

_OPTIONS = pyromark.Options.ENABLE_TABLES
_UNSAFE_URL = re.compile(r"^\s*(?:javascript|vbscript|file|data):", re.IGNORECASE)
_SAFE_DATA_IMAGE = re.compile(r"^\s*data:image/(?:gif|png|jpeg|webp);", re.IGNORECASE)
_URL_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_HEADINGS = {"H1": 1, "H2": 2, "H3": 3, "H4": 4, "H5": 5, "H6": 6}
_ALIGN = {"Left": "left", "Center": "center", "Right": "right"}
# Tags whose HTML is the same fixed pair whatever they hold: (opening, closing).
_PLAIN_TAGS = {
    "Paragraph": ("<p>", "</p>\n"),
    "BlockQuote": ("<blockquote>\n", "</blockquote>\n"),
    "Item": ("<li>", "</li>\n"),
    "Emphasis": ("<em>", "</em>"),
    "Strong": ("<strong>", "</strong>"),
    "Strikethrough": ("<s>", "</s>"),
}
# Elements whose tags say nothing more than their name.
# Past this many parsing events (an ordinary 1 MB document makes about 100,000; one
# with a line of `*a*a*a…` a million) the rest is shown as written: a bound on the
# time a page takes, whatever its text.
EVENT_BUDGET = 300_000
_SIMPLE = {
    "Paragraph": ("<p>", "</p>\n"),
    "Emphasis": ("<em>", "</em>"),
    "Strong": ("<strong>", "</strong>"),
    "Strikethrough": ("<s>", "</s>"),
    "Item": ("<li>", "</li>\n"),
}


def escape(text: str) -> str:
    return html.escape(text, quote=False).replace('"', "&quot;")


@dataclass(frozen=True)
class Block:
    """One top-level block of the document and where it starts and ends."""

    html: str
    first_line: int
    last_line: int
    heading_level: int | None
    heading_text: str


def render_blocks(markdown: str, *, images_as_links: bool = False) -> list[Block]:
    """The document's top-level blocks as HTML, each with its 1-based source lines.

    `images_as_links`: an image (but an inline `data:` one) becomes a link to it, for a
    page that must load nothing."""
    writer = _Writer(markdown, images_as_links=images_as_links)
    return list(writer.blocks())


def render(markdown: str, *, images_as_links: bool = False) -> str:
    """The whole document as HTML."""
    blocks = render_blocks(markdown, images_as_links=images_as_links)
    return "".join(block.html for block in blocks)


def _tag(event: Any) -> tuple[str, Any]:
    """`{"Start": {"Heading": {...}}}` → ("Heading", {...}); `{"Start": "Paragraph"}` →
    ("Paragraph", None)."""
    if isinstance(event, dict):
        return next(iter(event.items()))
    return str(event), None


def _heading_level(value: Any) -> int | None:
    tag, detail = _tag(value)
    return _HEADINGS[detail["level"]] if tag == "Heading" else None


def _safe_url(url: str, *, image: bool) -> bool:
    if image and _SAFE_DATA_IMAGE.match(url):
        return True
    return not _UNSAFE_URL.match(_URL_CONTROL.sub("", url))


class _Writer:
    def __init__(self, markdown: str, *, images_as_links: bool) -> None:
        self.markdown = markdown
        self.source = markdown.encode("utf-8")
        self.line_starts = line_starts(self.source)
        self.images_as_links = images_as_links
        self.events: Iterator[tuple[Any, Any]] = iter(
            pyromark.events_with_range(markdown, options=_OPTIONS, merge_text=True)
        )
        self.out: list[str] = []
        self.depth = 0
        self.table_alignments: list[str | None] = []
        self.cell = 0
        self.in_head = False

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset)

    def blocks(self) -> Iterator[Block]:
        start = 0
        level: int | None = None
        text: list[str] = []
        out = self.out
        for count, (event, span) in enumerate(self.events):
            if count == EVENT_BUDGET:
                yield self.as_written(start)
                return
            if self.depth == 0:
                out = self.out = []
                start = span["start"]
                is_start = type(event) is dict and "Start" in event
                level = _heading_level(event["Start"]) if is_start else None
                text = []
            # The common events take the shortest path: a run of `*a` makes a million.
            if type(event) is dict:
                ((kind, value),) = event.items()
            else:
                kind, value = str(event), None
            if kind == "Text":
                out.append(escape(value))
                if level is not None:
                    text.append(value)
            elif kind == "Start":
                self.depth += 1
                simple = _SIMPLE.get(value) if type(value) is str else None
                if simple is None:
                    self.start(value, span)
                else:
                    out.append(simple[0])
            elif kind == "End":
                self.depth -= 1
                simple = _SIMPLE.get(value) if type(value) is str else None
                if simple is None:
                    self.end(value)
                else:
                    out.append(simple[1])
            else:
                if level is not None and kind == "Code":
                    text.append(str(value))
                self.write(kind, value, span)
            if self.depth == 0:
                # A list's span takes in the blank line after it: its text ends before.
                end = span["end"]
                while end > start and self.source[end - 1] in b" \t\r\n":
                    end -= 1
                end = max(end - 1, start)
                yield Block(
                    html="".join(out),
                    first_line=self.line_of(start),
                    last_line=self.line_of(end),
                    heading_level=level,
                    heading_text="".join(text),
                )

    def as_written(self, start: int) -> Block:
        """The rest of the document from `start`, as it was written."""
        rest = self.source[start:].decode("utf-8")
        return Block(
            html=f'<pre class="as-written"><code>{escape(rest)}</code></pre>\n',
            first_line=self.line_of(start),
            last_line=self.line_of(max(len(self.source) - 1, start)),
            heading_level=None,
            heading_text="",
        )

    def write(self, kind: str, value: Any, span: dict[str, int]) -> None:
        out = self.out
        if kind == "Code":
            out.append(f"<code>{escape(value)}</code>")
        elif kind in ("Html", "InlineHtml"):
            out.append(escape(value))
        elif kind == "SoftBreak":
            out.append("\n")
        elif kind == "HardBreak":
            out.append("<br>\n")
        elif kind == "Rule":
            out.append("<hr>\n")
        else:
            # Kinds the options leave off (footnotes, math, task lists): their source.
            out.append(escape(self.source[span["start"] : span["end"]].decode("utf-8")))

    def start(self, value: Any, span: dict[str, int]) -> None:
        tag, detail = _tag(value)
        out = self.out
        if tag in _PLAIN_TAGS:
            # pulldown-cmark leaves paragraphs out of tight lists' items already.
            out.append(_PLAIN_TAGS[tag][0])
        elif tag == "Heading":
            out.append(f"<h{_HEADINGS[detail['level']]}>")
        elif tag == "CodeBlock":
            language = detail.get("Fenced", "") if isinstance(detail, dict) else ""
            language = language.split()[0] if language.strip() else ""
            attribute = f' class="language-{escape(language)}"' if language else ""
            out.append(f"<pre><code{attribute}>")
        elif tag == "HtmlBlock":
            out.append("<p>")
        elif tag == "List":
            if detail is None:
                out.append("<ul>\n")
            else:
                out.append("<ol>\n" if detail == 1 else f'<ol start="{int(detail)}">\n')
        elif tag == "Table":
            self.table_alignments = [_ALIGN.get(str(a)) for a in detail]
            out.append("<table>\n")
        elif tag == "TableHead":
            self.in_head = True
            self.cell = 0
            out.append("<thead>\n<tr>\n")
        elif tag == "TableRow":
            self.cell = 0
            out.append("<tr>\n")
        elif tag == "TableCell":
            name = "th" if self.in_head else "td"
            align = (
                self.table_alignments[self.cell] if self.cell < len(self.table_alignments) else None
            )
            out.append(f'<{name} style="text-align:{align}">' if align else f"<{name}>")
        elif tag in ("Link", "Image"):
            self.start_link(tag, detail, span)

    def end(self, value: Any) -> None:
        tag, detail = _tag(value)
        out = self.out
        if tag in _PLAIN_TAGS:
            out.append(_PLAIN_TAGS[tag][1])
        elif tag == "Heading":
            out.append(f"</h{_HEADINGS[detail]}>\n")
        elif tag == "CodeBlock":
            out.append("</code></pre>\n")
        elif tag == "HtmlBlock":
            while out and out[-1].endswith("\n") and out[-1] != "<p>":
                out[-1] = out[-1].removesuffix("\n")
                if out[-1]:
                    break
            out.append("</p>\n")
        elif tag == "List":
            out.append("</ol>\n" if detail else "</ul>\n")
        elif tag == "Table":
            out.append("</tbody>\n</table>\n" if not self.in_head else "</table>\n")
        elif tag == "TableHead":
            self.in_head = False
            out.append("</tr>\n</thead>\n<tbody>\n")
        elif tag == "TableRow":
            out.append("</tr>\n")
        elif tag == "TableCell":
            out.append("</th>\n" if self.in_head else "</td>\n")
            self.cell += 1
        elif tag == "Link":
            out.append("</a>")

    def start_link(self, tag: str, detail: dict[str, Any], span: dict[str, int]) -> None:
        url = str(detail["dest_url"])
        image = tag == "Image"
        as_link = image and self.images_as_links and not _SAFE_DATA_IMAGE.match(url)
        if not _safe_url(url, image=image):
            # Shown as written, like any text: skip what the link holds.
            self.out.append(escape(self.source[span["start"] : span["end"]].decode("utf-8")))
            self._skip_to_end()
            return
        href = escape(url)
        title = f' title="{escape(detail["title"])}"' if detail.get("title") else ""
        if not image:
            self.out.append(f'<a href="{href}"{title}>')
            return
        alt = escape(self._plain_text_to_end())
        if as_link:
            self.out.append(f'<a href="{href}"{title}>{alt or href}</a>')
        else:
            self.out.append(f'<img src="{href}" alt="{alt}"{title}>')

    def _skip_to_end(self) -> None:
        """Consume the events up to the end of the element just started."""
        self.depth -= 1
        depth = 1
        for event, _ in self.events:
            kind, _value = _tag(event)
            depth += 1 if kind == "Start" else -1 if kind == "End" else 0
            if depth == 0:
                return

    def _plain_text_to_end(self) -> str:
        """Consume the events up to the end of the element just started; their text."""
        self.depth -= 1
        text: list[str] = []
        depth = 1
        for event, _ in self.events:
            kind, value = _tag(event)
            depth += 1 if kind == "Start" else -1 if kind == "End" else 0
            if depth == 0:
                break
            if kind in ("Text", "Code", "Html", "InlineHtml"):
                text.append(str(value))
        return "".join(text)
