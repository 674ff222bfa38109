"""Markdown text to a flat list of blocks with 1-based source lines.

markdown-it-py does the tokenizing (CommonMark plus GFM tables); inline
markup is not parsed because hansei keeps inline text as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from hansei.errors import TooLargeError


@dataclass
class Paragraph:
    line: int
    end: int
    text: str

    def lines(self) -> list[tuple[int, str]]:
        return [(self.line + offset, text) for offset, text in enumerate(self.text.split("\n"))]


@dataclass
class Item:
    line: int
    end: int
    blocks: list[Block] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The item's first paragraph, or empty."""
        first = self.blocks[0] if self.blocks else None
        return first.text if isinstance(first, Paragraph) else ""

    @property
    def joined(self) -> str:
        """The item's first paragraph as one line."""
        return " ".join(part.strip() for part in self.text.split("\n") if part.strip())

    def sublists(self) -> list[ListBlock]:
        return [block for block in self.blocks if isinstance(block, ListBlock)]


@dataclass
class ListBlock:
    line: int
    end: int
    ordered: bool
    items: list[Item] = field(default_factory=list)


@dataclass
class Row:
    line: int
    cells: list[str]


@dataclass
class Table:
    line: int
    end: int
    header: list[str]
    rows: list[Row] = field(default_factory=list)


@dataclass
class Fence:
    line: int
    end: int
    info: str
    text: str


@dataclass
class Heading:
    line: int
    end: int
    level: int
    text: str


@dataclass
class Rule:
    line: int
    end: int


@dataclass
class Other:
    """A block hansei has no use for (HTML, a quote); kept by its lines."""

    line: int
    end: int
    kind: str = ""


Block = Paragraph | ListBlock | Table | Fence | Heading | Rule | Other


MAX_NESTING = 100
"""Lists and block quotes nest at most this deep. markdown-it stops reading the rest of
a document that nests past its own limit, without a word: that limit is set past this
one, and a document reaching it is refused naming the line."""
_TOKEN_NESTING = 2 * MAX_NESTING + 2  # a list level is two tokens deep: list, item


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark").enable("table")
    parser.disable("inline")
    parser.options["maxNesting"] = _TOKEN_NESTING
    return parser


def parse_blocks(text: str) -> list[Block]:
    tokens = markdown_parser().parse(text)
    for token in tokens:
        if token.level >= _TOKEN_NESTING - 1:
            raise TooLargeError(
                f"lists or block quotes nested {MAX_NESTING} levels deep or more (by this line)",
                line=token.map[0] + 1 if token.map else None,
            )
    blocks, _ = _blocks(tokens, 0, None)
    return blocks


def _span(token: Token) -> tuple[int, int]:
    start, end = token.map if token.map else (0, 0)
    return start + 1, end


def _blocks(tokens: list[Token], index: int, closing: str | None) -> tuple[list[Block], int]:
    blocks: list[Block] = []
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == closing:
            return blocks, index + 1
        line, end = _span(token)
        if kind == "heading_open" and token.markup == "-":
            # Text directly above a `---` rule is a setext heading to CommonMark, but in
            # a postmortem it is a paragraph followed by the template's separator.
            blocks.append(Paragraph(line, end - 1, tokens[index + 1].content))
            blocks.append(Rule(end, end))
            index += 3
        elif kind == "heading_open":
            blocks.append(Heading(line, end, int(token.tag[1]), tokens[index + 1].content))
            index += 3
        elif kind == "paragraph_open":
            blocks.append(Paragraph(line, end, tokens[index + 1].content))
            index += 3
        elif kind in ("bullet_list_open", "ordered_list_open"):
            listing = ListBlock(line, end, ordered=kind == "ordered_list_open")
            index += 1
            while tokens[index].type == "list_item_open":
                item_line, item_end = _span(tokens[index])
                children, index = _blocks(tokens, index + 1, "list_item_close")
                listing.items.append(Item(item_line, item_end, children))
            blocks.append(listing)
            index += 1
        elif kind == "table_open":
            table, index = _table(tokens, index)
            blocks.append(table)
        elif kind in ("fence", "code_block"):
            blocks.append(Fence(line, end, token.info.strip(), token.content))
            index += 1
        elif kind == "hr":
            blocks.append(Rule(line, end))
            index += 1
        elif token.nesting == 1:
            index = _skip_nested(tokens, index)
            blocks.append(Other(line, end, kind))
        else:
            blocks.append(Other(line, end, kind))
            index += 1
    return blocks, index


def _skip_nested(tokens: list[Token], index: int) -> int:
    depth = 0
    while index < len(tokens):
        depth += tokens[index].nesting
        index += 1
        if depth == 0:
            break
    return index


def _table(tokens: list[Token], index: int) -> tuple[Table, int]:
    line, end = _span(tokens[index])
    table = Table(line, end, header=[])
    row: Row | None = None
    in_head = False
    index += 1
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            row = Row(_span(token)[0], [])
        elif token.type == "inline" and row is not None:
            row.cells.append(token.content.strip())
        elif token.type == "tr_close" and row is not None:
            if in_head:
                table.header = row.cells
            else:
                table.rows.append(row)
            row = None
        index += 1
    return table, index + 1


def flatten_items(listing: ListBlock) -> list[tuple[int, str]]:
    """Every paragraph line of a list, nested lists included, with its line number."""
    lines: list[tuple[int, str]] = []
    for item in listing.items:
        lines.extend(item_lines(item))
    return lines


def item_lines(item: Item) -> list[tuple[int, str]]:
    lines: list[tuple[int, str]] = []
    for block in item.blocks:
        if isinstance(block, Paragraph):
            lines.extend(block.lines())
        elif isinstance(block, ListBlock):
            lines.extend(flatten_items(block))
    return lines


def trim_block(text: str) -> str:
    """Text without trailing spaces, surrounding blank lines and a closing `---` rule."""
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and (
        not lines[-1].strip() or re.fullmatch(r"\s*(?:-{3,}|\*{3,}|_{3,})\s*", lines[-1])
    ):
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines)


def item_texts(listing: ListBlock, *, nested: bool = False) -> list[tuple[int, str]]:
    """Each item's text as one line with its line number; `nested` adds the sublists' items."""
    texts: list[tuple[int, str]] = []
    for item in listing.items:
        texts.append((item.line, item.joined))
        if nested:
            for sublist in item.sublists():
                texts.extend(item_texts(sublist, nested=True))
    return texts
