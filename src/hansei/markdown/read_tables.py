"""The tables: timeline (also written as a list), action items, review history."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from hansei.markdown.blocks import (
    Block,
    ListBlock,
    Other,
    Paragraph,
    Table,
    flatten_items,
    item_texts,
)
from hansei.markdown.clock import anchor_of, resolve_row_time
from hansei.markdown.draft import Draft
from hansei.markdown.fields import (
    parse_action_status,
    parse_review_status,
)
from hansei.markdown.sections import Chunk
from hansei.markdown.values import (
    fold,
    is_placeholder,
    parse_date,
)
from hansei.markdown.vocabulary import (
    ACTION_COLUMNS,
    HORIZON_KEYS,
    REVIEW_COLUMNS,
    TIMELINE_COLUMNS,
    lookup,
)
from hansei.markdown.zones import timezone_name
from hansei.model import (
    DEFAULT_TIMEZONE,
    HORIZON_DAYS,
    EventKind,
    Horizon,
    classify_event,
)
from hansei.model.limits import OutOfBoundsError

# Each run of spaces belongs to one part (`*+`): a long run shared out between the
# neighbouring `\s*` every possible way takes minutes.
_TIMELINE_LINE = re.compile(
    r"^\s*+(?:\*\*|__)?(?P<at>(?:\d{4}[-/])?(?:\d{1,2}[-/]\d{1,2}\s++)?\d{1,2}[:：]\d{2}(?:[:：]\d{2})?"
    r"(?:\s*+(?:JST|UTC))?)(?:\*\*|__)?\s*+[:：\-–—|]?\s*+(?P<event>\S.*)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _TableSpec:
    aliases: tuple[tuple[str, str], ...]
    positional: tuple[str, ...]
    overflow: str
    """The field that takes the values of columns hansei does not know (`備考: …`)."""
    content: tuple[str, ...]
    """A row with none of these filled in is an empty row (a lone `| 2 | | | |`)."""


_TIMELINE = _TableSpec(
    TIMELINE_COLUMNS,
    ("at", "event", "actor", "action"),
    overflow="action",
    content=("at", "event", "actor", "action"),
)
_ACTIONS = _TableSpec(
    ACTION_COLUMNS,
    ("number", "task", "owner", "due", "status", "issue"),
    overflow="task",
    content=("task", "owner", "due", "status"),
)
_REVIEWS = _TableSpec(
    REVIEW_COLUMNS,
    ("date", "reviewer", "comment", "status"),
    overflow="comment",
    content=("date", "reviewer", "comment", "status"),
)


def read_timeline(draft: Draft, chunk: Chunk) -> None:
    """A timeline table, or timeline lines (`- 12:05 アラート検知`)."""

    def timeline_lines(block: Block) -> bool:
        return isinstance(block, ListBlock | Paragraph) and _timeline_lines(draft, block)

    for line, cells in _table_rows(draft, chunk, _TIMELINE, other=timeline_lines):
        draft.raw.timeline.append((line, cells))
    for block in chunk.content():
        if isinstance(block, Table):
            _header_zone(draft, block)
            break


def _header_zone(draft: Draft, table: Table) -> None:
    """`時刻 (JST)` / `Time (PDT)`: the timezone of the rows, when the document names none."""
    found = re.search(
        r"[(（]\s*([A-Za-z][A-Za-z_/+-]*)\s*[)）]", fold(table.header[0] if table.header else "")
    )
    if not found:
        return
    named = timezone_name(found.group(1))
    if named is None:
        draft.note("bad-timestamp", table.line, "timezone", f"unknown timezone {found.group(1)!r}")
    elif draft.raw.timeline_zone is None:
        draft.raw.timeline_zone = named


def _timeline_lines(draft: Draft, block: ListBlock | Paragraph) -> bool:
    """A timeline written as lines: `- 12:05 アラート検知（Cloud Monitoring）`."""
    lines = flatten_items(block) if isinstance(block, ListBlock) else block.lines()
    matches = [(number, _TIMELINE_LINE.match(text)) for number, text in lines]
    if not any(match for _, match in matches):
        return False
    for number, match in matches:
        if match:
            cells = {"at": match.group("at"), "event": match.group("event").strip()}
            draft.raw.timeline.append((number, cells))
        else:
            draft.note(
                "ignored-content",
                number,
                "sections.timeline",
                f"line {number} has no time and was not read as a timeline row",
            )
    return True


def interpret_timeline(draft: Draft) -> None:
    zone = ZoneInfo(draft.data.get("timezone", DEFAULT_TIMEZONE))
    anchor = anchor_of(draft.data.get("times", {}), draft.data.get("date"), zone)
    previous: datetime | None = None
    for line, cells in draft.raw.timeline:
        at: datetime | None = None
        try:
            at = resolve_row_time(cells.get("at", ""), previous, anchor, zone)
        except OutOfBoundsError as error:
            index = len(draft.data.get("timeline", []))
            draft.note("invalid-value", line, f"timeline[{index}].at", str(error))
        except ValueError as error:
            draft.note("bad-timestamp", line, "timeline.at", str(error))
        if at is not None and previous is None and not isinstance(anchor, datetime):
            _note_dateless_start(draft, line, cells.get("at", ""), at)
        if at is not None:
            previous = at
        row = {
            "at": at,
            "event": _cell_text(cells.get("event")),
            "actor": _cell_text(cells.get("actor")),
            "action": _cell_text(cells.get("action")),
        }
        draft.append("timeline", row, line)


def _note_dateless_start(draft: Draft, line: int, text: str, at: datetime) -> None:
    """Without a detection time, a first row without a date takes the document's date: say so."""
    if re.search(r"\d{1,2}\s*[-/月]\s*\d{1,2}", text):
        return  # the row has its own date
    draft.note(
        "bad-timestamp",
        line,
        "timeline.at",
        f"timeline starts at {text.strip()!r} with no date and no detection time to place it: "
        f"took the document's date {at.date().isoformat()}; write YYYY-MM-DD HH:MM",
    )


def read_actions(draft: Draft, chunk: Chunk) -> None:
    """Action tables, and action items written as a (check)list."""
    horizon = HORIZON_KEYS.get(chunk.subsection or "")

    def listed(block: Block) -> bool:
        if not isinstance(block, ListBlock):
            return False
        for number, text in item_texts(block):
            _action(draft, _listed_action(text), horizon, number)
        return True

    for line, cells in _table_rows(draft, chunk, _ACTIONS, other=listed):
        _action(draft, cells, horizon, line)


_CHECKBOX = re.compile(r"^\[(?P<mark>[ xX✓✔])\]\s*")
_PIECES = re.compile(r"\s+[—–-]{1,2}\s+|\s*[｜|]\s*|\s*[(（]|[)）]\s*")
_OWNER = re.compile(
    r"^(?:担当(?:者)?|owner|assignee)\s*[:：]?\s*(?P<name>.+)$|^(?P<handle>@\S+)$", re.I
)
_DUE = re.compile(r"^(?:期限|期日|due|by|deadline)\s*[:：]?\s*(?P<date>.+)$", re.I)


def _listed_action(text: str) -> dict[str, str]:
    """`[x] カナリア導入 — @sato — 期限 2025-07-01` as the cells of an action row."""
    cells: dict[str, str] = {}
    box = _CHECKBOX.match(text)
    if box:
        cells["status"] = "done" if box["mark"].strip() else "todo"
        text = text[box.end() :]
    task: list[str] = []
    for piece in (part.strip(" ,、") for part in _pieces(text)):
        if not piece:
            continue
        owner, due = _OWNER.match(piece), _DUE.match(piece)
        if owner and "owner" not in cells:
            cells["owner"] = owner["name"] or owner["handle"]
        elif due and "due" not in cells:
            cells["due"] = due["date"]
        elif (
            re.fullmatch(r"\d{4}[-/]\d{1,2}[-/]\d{1,2}|\d{1,2}/\d{1,2}", piece)
            and "due" not in cells
        ):
            cells["due"] = piece
        elif "status" not in cells and len(piece) <= 12 and _status_word(piece):
            cells["status"] = piece
        else:
            task.append(piece)
    cells["task"] = " ".join(task)
    return cells


def _status_word(piece: str) -> bool:
    try:
        return parse_action_status(piece) is not None
    except ValueError:
        return False


def _pieces(text: str) -> list[str]:
    """Split at dashes, bars and brackets; a piece naming an owner or date also at commas."""
    pieces: list[str] = []
    for part in _PIECES.split(text):
        if re.search(r"@\S|\d{1,2}/\d{1,2}|\d{4}-\d", part):
            pieces.extend(re.split(r"\s*[,、]\s*", part))
        else:
            pieces.append(part)
    return pieces


def _action(draft: Draft, cells: dict[str, str], horizon: Horizon | None, line: int) -> None:
    number_text = re.sub(r"[^\d]", "", fold(cells.get("number", "")))
    item: dict[str, Any] = {
        "number": int(number_text) if number_text else None,
        "horizon": horizon,
        "task": _cell_text(cells.get("task")),
        "owner": _cell_text(cells.get("owner")),
        "due": None,
        "status": None,
        "issue_url": _link_target(cells.get("issue")),
    }
    index = len(draft.data.get("action_items", []))
    path = f"action_items[{index}]"
    draft.raw.action_dues.append((index, cells.get("due", ""), line))
    try:
        item["status"] = parse_action_status(cells.get("status", ""))
    except ValueError as error:
        draft.note("unknown-status", line, f"{path}.status", str(error))
    draft.append("action_items", item, line)
    for name in ("task", "owner", "due", "status", "number", "issue_url"):
        draft.lines[f"{path}.{name}"] = line


_LINK = re.compile(r"^\[[^\]]*\]\((?P<url>[^\s()]+)\)$|^<(?P<bracketed>[^<>\s]+)>$")


def _link_target(text: str | None) -> str | None:
    """`[o/r#12](https://…)`, `<https://…>` or a bare URL: the URL."""
    cell = _cell_text(text)
    if cell is None:
        return None
    link = _LINK.match(cell)
    return (link["url"] or link["bracketed"]) if link else cell


def interpret_actions(draft: Draft) -> None:
    """Due dates (a date without a year is near the detection), then missing horizons.

    An item outside a horizon table gets the horizon its due date falls in,
    counted from the detection time (stated, or taken from the timeline).
    """
    detected = _detected(draft)
    near = detected.date() if detected else draft.data.get("date")
    items = draft.data.get("action_items", [])
    for index, text, line in draft.raw.action_dues:
        try:
            items[index]["due"] = parse_date(text, near=near)
        except ValueError as error:
            draft.note("bad-timestamp", line, f"action_items[{index}].due", str(error))
    for item in items:
        if item["horizon"] is None:
            item["horizon"] = _horizon_for(item["due"], detected)


def _detected(draft: Draft) -> datetime | None:
    """The detection time: stated, else the first timeline row that marks it."""
    stated: datetime | None = draft.data.get("times", {}).get("detected")
    if stated is not None:
        return stated
    for row in draft.data.get("timeline", []):
        if row["at"] is not None and classify_event(row["event"]) == EventKind.detected:
            at: datetime = row["at"]
            return at
    return None


def read_reviews(draft: Draft, chunk: Chunk) -> None:
    for line, cells in _table_rows(draft, chunk, _REVIEWS):
        index = len(draft.data.get("reviews", []))
        review: dict[str, Any] = {
            "date": None,
            "reviewer": _cell_text(cells.get("reviewer")),
            "comment": _cell_text(cells.get("comment")),
            "status": None,
        }
        try:
            review["date"] = parse_date(cells.get("date", ""))
        except ValueError as error:
            draft.note("bad-timestamp", line, f"reviews[{index}].date", str(error))
        try:
            review["status"] = parse_review_status(cells.get("status", ""))
        except ValueError as error:
            draft.note("unknown-status", line, f"reviews[{index}].status", str(error))
        draft.append("reviews", review, line)


def _table_rows(
    draft: Draft,
    chunk: Chunk,
    spec: _TableSpec,
    *,
    other: Callable[[Block], bool] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Each non-empty row as {field: cell}, rows cut off from their table by a blank line too.

    A block that is neither a table nor taken by `other` is reported, not dropped silently.
    """
    columns: list[str | None] | None = None
    header: list[str] = []
    above: dict[str, str] = {}
    for block in chunk.content():
        if isinstance(block, Table):
            columns, header = _columns(block.header, spec), block.header
            rows = [(row.line, row.cells) for row in block.rows]
        elif columns is not None and isinstance(block, Paragraph) and _all_rows(block):
            rows = [(number, _split_row(text)) for number, text in block.lines()]
        else:
            if not (other and other(block)):
                _not_read(draft, chunk, block)
            continue
        for line, cells in rows:
            values = _cells(cells, columns, header, spec.overflow)
            for key, value in values.items():
                if value.strip() in _DITTO:
                    values[key] = above.get(key, "")
            if not all(is_placeholder(values.get(key)) for key in spec.content):
                above = values
                yield line, values


# "Same as above" marks in a table cell.
_DITTO = frozenset({"〃", "″", "同上", "ditto", '"'})


def _all_rows(paragraph: Paragraph) -> bool:
    return all(text.strip().startswith("|") for _, text in paragraph.lines())


def _split_row(text: str) -> list[str]:
    inner = text.strip().removeprefix("|").removesuffix("|")
    return [cell.replace("\\|", "|").strip() for cell in re.split(r"(?<!\\)\|", inner)]


def _not_read(draft: Draft, chunk: Chunk, block: Block) -> None:
    if isinstance(block, Other) and block.kind == "html_block":
        return  # comments and markup hidden from readers
    draft.note(
        "ignored-content",
        block.line,
        f"sections.{chunk.subsection or chunk.section}",
        f"lines {block.line}-{max(block.line, block.end)} are not table rows and were not read",
    )


def _columns(header: list[str], spec: _TableSpec) -> list[str | None]:
    found = [lookup(name, spec.aliases) for name in header]
    if sum(key is not None for key in found) < 2:
        positional = spec.positional
        return [positional[i] if i < len(positional) else None for i in range(len(header))]
    seen: set[str] = set()
    columns: list[str | None] = []
    for key in found:
        columns.append(key if key is not None and key not in seen else None)
        if key is not None:
            seen.add(key)
    return columns


def _cells(
    cells: list[str], columns: list[str | None], header: list[str], overflow: str
) -> dict[str, str]:
    values: dict[str, str] = {}
    extras: list[str] = []
    for index, value in enumerate(cells):
        key = columns[index] if index < len(columns) else None
        if key is not None:
            values[key] = value
        elif not is_placeholder(value):
            name = header[index].strip() if index < len(header) else ""
            extras.append(f"{name}: {value}" if name else value)
    if extras:
        kept = values.get(overflow, "")
        joined = "; ".join(extras)
        values[overflow] = f"{kept} ({joined})" if not is_placeholder(kept) else joined
    return values


def _cell_text(text: str | None) -> str | None:
    if text is None or is_placeholder(text):
        return None
    return text.strip()


def _horizon_for(due: date | None, detected: datetime | None) -> Horizon:
    if due is not None and detected is not None:
        days = (due - detected.date()).days
        for horizon, limit in HORIZON_DAYS.items():
            if days <= limit:
                return horizon
        return Horizon.long_term
    return Horizon.short_term
