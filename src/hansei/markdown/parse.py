"""Markdown (the template's format, Japanese or English) to the model.

Reading is lenient: a value hansei cannot read becomes missing and a
diagnostic (with its line) tells why; only a text that is no postmortem at
all is refused, with a DocumentError naming the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from hansei.errors import DocumentError
from hansei.markdown.blocks import Fence, Item, ListBlock, Paragraph, Table, parse_blocks
from hansei.markdown.clock import anchor_date, resolve_row_time
from hansei.markdown.fields import (
    field_line,
    parse_action_status,
    parse_review_status,
    parse_severity,
    parse_status,
    strip_emphasis,
)
from hansei.markdown.sections import HEADER, LOGS, Chunk, split_sections
from hansei.markdown.stated import drop_computed_figures
from hansei.markdown.values import (
    fold,
    is_placeholder,
    parse_bool,
    parse_date,
    parse_duration,
    parse_timestamp,
    percentages,
)
from hansei.markdown.vocabulary import (
    ACTION_COLUMNS,
    FIELD_ALIASES,
    HORIZON_KEYS,
    REVIEW_COLUMNS,
    SUMMARY_PROMPTS,
    TIMELINE_COLUMNS,
    lookup,
    normalise,
)
from hansei.model import (
    DEFAULT_TIMEZONE,
    HORIZON_DAYS,
    TIME_FIELDS,
    Horizon,
    Language,
    Postmortem,
)

FIELD_SECTIONS = frozenset({HEADER, "details", "metrics"})
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_LINK = re.compile(r"^\[(?P<title>[^\]]+)\]\((?P<url>[^)\s]*)\)\s*$")
_BARE_URL = re.compile(r"^(?P<title>.*?)\s*[:：]?\s*<?(?P<url>https?://\S+?)>?$")
_LIST_MARKS = re.compile(r"^(?:[✅❌📚✔✓✗✖❎⭕️•・\-]\ufe0f?\s*)+")
_WHY_LABEL = re.compile(
    r"^(?:\*\*|__)?\s*(?:why|なぜ|q)\s*\d*\s*(?:[:：]\s*(?:\*\*|__)|(?:\*\*|__)\s*[:：]|[:：])\s*",
    re.IGNORECASE,
)
_ANSWER_LABEL = re.compile(
    r"^(?:→|->|⇒|=>|➡|➔)\s*|^(?:\*\*|__)?\s*(?:answer|a|答え|回答|理由|because)\s*"
    r"(?:[:：]\s*(?:\*\*|__)|(?:\*\*|__)\s*[:：]|[:：])\s*",
    re.IGNORECASE,
)
_INLINE_ANSWER = re.compile(r"\s*(?:→|->|⇒|➡)\s*")
_TIMELINE_LINE = re.compile(
    r"^\s*(?:\*\*|__)?(?P<at>(?:\d{4}[-/])?(?:\d{1,2}[-/]\d{1,2}\s+)?\d{1,2}[:：]\d{2}(?:[:：]\d{2})?"
    r"(?:\s*(?:JST|UTC))?)(?:\*\*|__)?\s*[:：\-–—|]?\s*(?P<event>\S.*)$",
    re.IGNORECASE,
)
_EXAMPLE_LABEL = re.compile(
    r"^\s*(?:\*\*|__)?\s*(?:例|example|e\.g\.)\s*(?:\*\*|__)?\s*[:：]", re.I
)


@dataclass(frozen=True)
class Diagnostic:
    """Something the parser could not take as written; lint reports these."""

    code: str
    line: int
    field: str
    message: str


@dataclass
class ParseResult:
    postmortem: Postmortem
    lines: dict[str, int] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def line_of(self, path: str) -> int | None:
        """The line of a value (`action_items[2].due`), else of what holds it."""
        return _nearest_line(self.lines, path)


@dataclass
class _Raw:
    """What the walk over the sections found, before values are interpreted."""

    fields: dict[str, tuple[str, int]] = field(default_factory=dict)
    timeline: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    timeline_zone: str | None = None


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.source_lines = text.split("\n")
        self.data: dict[str, Any] = {}
        self.lines: dict[str, int] = {}
        self.diagnostics: list[Diagnostic] = []
        self.raw = _Raw()

    # -- bookkeeping ----------------------------------------------------------

    def note(self, code: str, line: int, path: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(code, line, path, message))

    def put(self, path: str, value: Any, line: int) -> None:
        target = self.data
        *parents, last = path.split(".")
        for name in parents:
            target = target.setdefault(name, {})
        target[last] = value
        self.lines[path] = line

    def append(self, path: str, value: Any, line: int) -> int:
        target = self.data
        *parents, last = path.split(".")
        for name in parents:
            target = target.setdefault(name, {})
        items: list[Any] = target.setdefault(last, [])
        items.append(value)
        index = len(items) - 1
        self.lines[f"{path}[{index}]"] = line
        return index

    # -- the walk ---------------------------------------------------------------

    def read(self) -> ParseResult:
        blocks = parse_blocks(self.text)
        title, chunks = split_sections(blocks)
        known = [chunk for chunk in chunks if not chunk.unknown and chunk.section != HEADER]
        if title is None and not known:
            raise DocumentError(
                "not a postmortem: no title ('# ポストモーテム: …' / '# Postmortem: …') "
                "and no section of the template",
                line=1,
            )
        self.data["language"] = _language(title.text if title else "", chunks)
        if title is not None:
            self._title(title.text, title.line)
        for chunk in chunks:
            self._chunk(chunk)
        self._interpret_fields()
        self._interpret_timeline()
        self._default_horizons()
        postmortem = self._validated()
        postmortem = drop_computed_figures(postmortem)
        return ParseResult(postmortem, self.lines, self.diagnostics)

    def _title(self, text: str, line: int) -> None:
        title = re.sub(
            r"^\s*(?:ポストモーテム|post-?\s?mortem|障害報告(?:書)?)\s*[:：\-–]?\s*",
            "",
            text,
            flags=re.IGNORECASE,
        )
        if not is_placeholder(title):
            self.put("title", title.strip(), line)

    def _chunk(self, chunk: Chunk) -> None:
        if chunk.unknown:
            self._extra(chunk)
            return
        section, sub = chunk.section, chunk.subsection
        if section in FIELD_SECTIONS:
            self._fields(chunk)
            return
        handler = {
            "summary": self._summary,
            "timeline": self._timeline,
            "rca": self._rca,
            "response": self._response,
            "went_well": self._plain_list,
            "went_wrong": self._plain_list,
            "learned": self._plain_list,
            "action_items": self._actions,
            "prevention": self._prevention,
            "related_docs": self._related,
            "reviews": self._reviews,
            "appendix": self._appendix,
        }.get(section)
        if handler is not None:
            self.lines.setdefault(f"sections.{sub or section}", chunk.line)
            handler(chunk)

    # -- fields -----------------------------------------------------------------

    def _fields(self, chunk: Chunk) -> None:
        for number, text in _text_lines(chunk):
            found = field_line(text, number)
            if found is None:
                continue
            key = lookup(found.label, FIELD_ALIASES)
            if key is None:
                continue
            if chunk.subsection == "business_impact" and key == "users_affected":
                key = "bi_users_affected"
            self.raw.fields.setdefault(key, (found.value, number))

    def _interpret_fields(self) -> None:
        fields = self.raw.fields
        timezone = DEFAULT_TIMEZONE
        if "timezone" in fields:
            value, line = fields["timezone"]
            try:
                ZoneInfo(value.strip())
                timezone = value.strip()
                self.put("timezone", timezone, line)
            except (ValueError, KeyError):
                self.note("bad-timestamp", line, "timezone", f"unknown timezone {value!r}")
        elif self.raw.timeline_zone == "UTC":
            timezone = "UTC"
            self.data["timezone"] = timezone
        zone = ZoneInfo(timezone)
        for key, (value, line) in fields.items():
            try:
                self._field(key, value, line, zone)
            except ValueError as error:
                code = "unknown-status" if key == "status" else "bad-timestamp"
                if key in ("severity", "data_loss", "downtime", "ttd", "ttm", "ttr", "ttf"):
                    code = "missing-field"
                self.note(code, line, key, str(error))

    def _field(self, key: str, value: str, line: int, zone: ZoneInfo) -> None:
        if key in TIME_FIELDS:
            when = parse_timestamp(value, zone)
            if when is not None:
                self.put(f"times.{key}", when, line)
            self.lines.setdefault(f"times.{key}", line)
        elif key == "date":
            day = parse_date(value)
            if day is not None:
                self.put("date", day, line)
        elif key == "author":
            if not is_placeholder(value):
                self.put("author", value, line)
        elif key == "reviewers":
            self.put("reviewers", _names(value), line)
        elif key == "status":
            status = parse_status(value)
            self.lines["status"] = line
            if status is not None:
                self.put("status", status, line)
        elif key == "services":
            self.put("impact.services", _names(value), line)
        elif key == "users_affected":
            self._text_field("impact.users_affected", value, line)
        elif key == "severity":
            self.lines["impact.severity"] = line
            severity = parse_severity(value)
            if severity is not None:
                self.put("impact.severity", severity, line)
        elif key == "downtime":
            self.lines["impact.downtime_minutes"] = line
            minutes = parse_duration(value)
            if minutes is not None:
                self.put("impact.downtime_minutes", minutes, line)
        elif key == "data_loss":
            loss = parse_bool(value)
            if loss is not None:
                self.put("impact.data_loss", loss, line)
        elif key in ("availability", "budget_consumed", "budget_remaining"):
            self._slo_line(key, value, line)
        elif key in ("ttd", "ttm", "ttr", "ttf"):
            self.lines[f"stated.{key}_minutes"] = line
            minutes = parse_duration(value)
            if minutes is not None:
                self.put(f"stated.{key}_minutes", minutes, line)
        elif key in ("bi_users_affected", "failed_requests", "estimated_loss"):
            name = "users_affected" if key == "bi_users_affected" else key
            self._text_field(f"business_impact.{name}", value, line)

    def _text_field(self, path: str, value: str, line: int) -> None:
        if not is_placeholder(value):
            self.put(path, value, line)

    def _slo_line(self, key: str, value: str, line: int) -> None:
        self.lines[f"stated.{key}"] = line
        if is_placeholder(value):
            return
        folded = fold(value)
        if key == "availability":
            target = re.search(r"(?:目標|target|slo)\s*[:：]?\s*(\d+(?:\.\d+)?)\s*%", folded, re.I)
            if target:
                self.put("slo.target", _percent_to_ratio(target.group(1)), line)
            window = re.search(r"(?:期間|window)\s*[:：]?\s*(\d+)\s*(?:日|days?)", folded, re.I)
            if window:
                self.put("slo.window_days", int(window.group(1)), line)
            before_target = folded[: target.start()] if target else folded
            found = percentages(before_target)
            if found:
                self.put("stated.availability_pct", found[0], line)
        elif key == "budget_consumed":
            after_equals = folded.split("=", 1)[1] if "=" in folded else folded
            found = percentages(after_equals)
            if found:
                self.put("stated.budget_consumed_window_pct", found[0], line)
        else:
            plain = re.sub(r"[（(][^)）]*[)）]", "", folded)
            left, _, right = plain.rpartition("/") if "/" in plain else (plain, "", "")
            remaining, total = percentages(left), percentages(right)
            if remaining:
                self.put("stated.budget_remaining_window_pct", remaining[0], line)
            if total and total[0] >= 0:
                self.put("stated.budget_window_pct", total[0], line)

    # -- prose and lists --------------------------------------------------------

    def _summary(self, chunk: Chunk) -> None:
        start = chunk.line if chunk.heading else 0
        end = max((block.end for block in chunk.blocks), default=start)
        lines = self.source_lines[start:end]
        for index, text in enumerate(lines):
            found = field_line(text, start + index + 1)
            if found and lookup(found.label, FIELD_ALIASES) == "summary":
                lines = ([found.value] if found.value else []) + lines[index + 1 :]
                break
        body = _trim_block("\n".join(lines))
        prompts = [_LIST_MARKS.sub("", line).strip().lower() for line in body.split("\n")]
        if body and not all(not p or p in SUMMARY_PROMPTS or is_placeholder(p) for p in prompts):
            first = next((b.line for b in chunk.content()), chunk.line)
            self.put("summary", body, first)

    def _plain_list(self, chunk: Chunk) -> None:
        for number, text in _item_lines(chunk):
            cleaned = _LIST_MARKS.sub("", text).strip()
            if cleaned and not is_placeholder(cleaned):
                self.append(chunk.section, cleaned, number)

    def _timeline(self, chunk: Chunk) -> None:
        for block in chunk.content():
            if isinstance(block, ListBlock | Paragraph):
                self._timeline_lines(block)
            if not isinstance(block, Table):
                continue
            columns = _columns(block.header, TIMELINE_COLUMNS, ("at", "event", "actor", "action"))
            zone = re.search(r"[(（]\s*([A-Za-z]+)\s*[)）]", fold(" ".join(block.header)))
            if zone and zone.group(1).upper() in ("UTC", "GMT"):
                self.raw.timeline_zone = "UTC"
            for row in block.rows:
                cells = _cells(row.cells, columns)
                if all(is_placeholder(value) for value in cells.values()):
                    continue
                self.raw.timeline.append((row.line, cells))

    def _timeline_lines(self, block: ListBlock | Paragraph) -> None:
        """A timeline written as lines: `- 12:05 アラート検知（Cloud Monitoring）`."""
        lines = _flatten_items(block) if isinstance(block, ListBlock) else block.lines()
        for number, text in lines:
            match = _TIMELINE_LINE.match(text)
            if match:
                cells = {"at": match.group("at"), "event": match.group("event").strip()}
                self.raw.timeline.append((number, cells))

    def _interpret_timeline(self) -> None:
        probe = Postmortem.model_validate(
            {key: self.data[key] for key in ("times", "date", "timezone") if key in self.data}
        )
        zone = probe.zone
        anchor = anchor_date(probe)
        previous: datetime | None = None
        for line, cells in self.raw.timeline:
            at: datetime | None = None
            try:
                at = resolve_row_time(cells.get("at", ""), previous, anchor, zone)
            except ValueError as error:
                self.note("bad-timestamp", line, "timeline.at", str(error))
            if at is not None:
                previous = at
            row = {
                "at": at,
                "event": _cell_text(cells.get("event")),
                "actor": _cell_text(cells.get("actor")),
                "action": _cell_text(cells.get("action")),
            }
            self.append("timeline", row, line)

    def _rca(self, chunk: Chunk) -> None:
        if chunk.subsection == "direct_causes":
            self._direct_causes(chunk)
        else:
            self._root_causes(chunk)

    def _direct_causes(self, chunk: Chunk) -> None:
        skip_next_list = False
        for block in chunk.content():
            if isinstance(block, Paragraph):
                if _EXAMPLE_LABEL.match(block.text):
                    skip_next_list = True
                    continue
                text = " ".join(line.strip() for line in block.text.split("\n"))
                if not is_placeholder(text):
                    self.append("rca.direct_causes", text, block.line)
            elif isinstance(block, ListBlock):
                if not skip_next_list:
                    for item in block.items:
                        self._list_value("rca.direct_causes", item)
                skip_next_list = False

    def _analysis(self, block: Paragraph) -> None:
        text = "\n".join(line.rstrip() for line in self.source_lines[block.line - 1 : block.end])
        previous = self.data.get("rca", {}).get("analysis")
        if previous:
            self.data["rca"]["analysis"] = f"{previous}\n\n{text.strip()}"
        else:
            self.put("rca.analysis", text.strip(), block.line)

    def _root_causes(self, chunk: Chunk) -> None:
        mode = "analysis"
        for block in chunk.content():
            if isinstance(block, Paragraph):
                label = field_line(block.text.split("\n", 1)[0], block.line)
                key = lookup(label.label, FIELD_ALIASES) if label else None
                if key == "whys":
                    mode = "whys"
                    rest = block.text.split("\n", 1)[1:]
                    if rest:
                        self._whys_from_lines(Paragraph(block.line + 1, block.end, rest[0]).lines())
                    continue
                if key == "root_causes":
                    mode = "root"
                    if label and not is_placeholder(label.value):
                        self.append("rca.root_causes", label.value, block.line)
                    continue
                if _WHY_LABEL.match(block.text) or (
                    mode == "whys" and _INLINE_ANSWER.search(block.text)
                ):
                    mode = "whys"
                    self._whys_from_lines(block.lines())
                elif mode == "analysis" and not is_placeholder(block.text):
                    self._analysis(block)
                elif mode == "root":
                    text = " ".join(line.strip() for line in block.text.split("\n"))
                    if not is_placeholder(text):
                        self.append("rca.root_causes", text, block.line)
            elif isinstance(block, ListBlock):
                if mode == "analysis":
                    mode = "whys" if block.ordered or _looks_like_whys(block) else "root"
                if block.ordered or (mode == "whys" and _looks_like_whys(block)):
                    for item in block.items:
                        self._why_item(item)
                else:
                    for item in block.items:
                        self._list_value("rca.root_causes", item)

    def _why_item(self, item: Item) -> None:
        lines = _all_item_lines(item)
        if not lines:
            return
        self._whys_from_lines(lines, single=True)

    def _whys_from_lines(self, lines: list[tuple[int, str]], *, single: bool = False) -> None:
        current: dict[str, str | None] | None = None
        whys: list[tuple[int, dict[str, str | None]]] = []
        for number, raw in lines:
            text = raw.strip()
            if not text:
                continue
            label = field_line(text, number)
            if label and lookup(label.label, FIELD_ALIASES) in ("root_causes", "whys"):
                # A label written right under the last why belongs to what follows it.
                continue
            answer = _ANSWER_LABEL.match(text)
            if answer and current is not None:
                value = text[answer.end() :].strip()
                previous = current["answer"]
                current["answer"] = f"{previous} {value}" if previous else value
                continue
            question = _WHY_LABEL.match(text)
            if question or current is None or not single:
                body = text[question.end() :] if question else text
                parts = _INLINE_ANSWER.split(body, maxsplit=1)
                current = {
                    "question": parts[0].strip(),
                    "answer": parts[1].strip() if len(parts) > 1 else None,
                }
                whys.append((number, current))
            else:
                current["question"] = f"{current['question']} {text}".strip()
        for number, why in whys:
            cleaned = {key: None if is_placeholder(value) else value for key, value in why.items()}
            if cleaned["question"] or cleaned["answer"]:
                self.append("rca.whys", cleaned, number)

    def _response(self, chunk: Chunk) -> None:
        self._steps(chunk.subsection or "mitigation", chunk)

    def _prevention(self, chunk: Chunk) -> None:
        self._steps(f"prevention.{chunk.subsection or 'process'}", chunk)

    def _steps(self, path: str, chunk: Chunk) -> None:
        for block in chunk.content():
            if isinstance(block, ListBlock):
                for item in block.items:
                    self._step(path, item)
            elif isinstance(block, Paragraph):
                for number, text in block.lines():
                    title = strip_emphasis(text.strip().rstrip(":：")) if text.strip() else ""
                    if title and not is_placeholder(title):
                        self.append(path, {"title": title, "details": []}, number)

    def _step(self, path: str, item: Item) -> None:
        first, *rest = item.text.split("\n") if item.text else [""]
        title = strip_emphasis(first.strip().rstrip(":：").strip())
        details = [line.strip() for line in rest if line.strip()]
        for sublist in item.sublists():
            details.extend(text for _, text in _flatten_items(sublist))
        details = [_LIST_MARKS.sub("", d).strip() if d.startswith("- ") else d for d in details]
        details = [d for d in details if d and not is_placeholder(d)]
        if not title or is_placeholder(title):
            if not details:
                return
            title, details = details[0], details[1:]
        self.append(path, {"title": title, "details": details}, item.line)

    def _actions(self, chunk: Chunk) -> None:
        horizon = HORIZON_KEYS.get(chunk.subsection or "")
        for block in chunk.content():
            if not isinstance(block, Table):
                continue
            columns = _columns(
                block.header, ACTION_COLUMNS, ("number", "task", "owner", "due", "status")
            )
            for row in block.rows:
                cells = _cells(row.cells, columns)
                if all(is_placeholder(value) for value in cells.values()):
                    continue
                self._action(cells, horizon, row.line)

    def _action(self, cells: dict[str, str], horizon: Horizon | None, line: int) -> None:
        number_text = re.sub(r"[^\d]", "", fold(cells.get("number", "")))
        item: dict[str, Any] = {
            "number": int(number_text) if number_text else None,
            "horizon": horizon,
            "task": _cell_text(cells.get("task")),
            "owner": _cell_text(cells.get("owner")),
            "due": None,
            "status": None,
        }
        index = len(self.data.get("action_items", []))
        path = f"action_items[{index}]"
        try:
            item["due"] = parse_date(cells.get("due", ""))
        except ValueError as error:
            self.note("bad-timestamp", line, f"{path}.due", str(error))
        try:
            item["status"] = parse_action_status(cells.get("status", ""))
        except ValueError as error:
            self.note("unknown-status", line, f"{path}.status", str(error))
        self.append("action_items", item, line)
        for name in ("task", "owner", "due", "status", "number"):
            self.lines[f"{path}.{name}"] = line

    def _default_horizons(self) -> None:
        """Items outside a horizon table get the horizon their due date falls in."""
        detected = self.data.get("times", {}).get("detected")
        for item in self.data.get("action_items", []):
            if item["horizon"] is not None:
                continue
            item["horizon"] = _horizon_for(item["due"], detected)

    def _related(self, chunk: Chunk) -> None:
        for number, text in _item_lines(chunk):
            link = _link(text)
            if link is not None:
                self.append("related_docs", link, number)

    def _reviews(self, chunk: Chunk) -> None:
        for block in chunk.content():
            if not isinstance(block, Table):
                continue
            columns = _columns(
                block.header, REVIEW_COLUMNS, ("date", "reviewer", "comment", "status")
            )
            for row in block.rows:
                cells = _cells(row.cells, columns)
                if all(is_placeholder(value) for value in cells.values()):
                    continue
                index = len(self.data.get("reviews", []))
                review: dict[str, Any] = {
                    "date": None,
                    "reviewer": _cell_text(cells.get("reviewer")),
                    "comment": _cell_text(cells.get("comment")),
                    "status": None,
                }
                try:
                    review["date"] = parse_date(cells.get("date", ""))
                except ValueError as error:
                    self.note("bad-timestamp", row.line, f"reviews[{index}].date", str(error))
                try:
                    review["status"] = parse_review_status(cells.get("status", ""))
                except ValueError as error:
                    self.note("unknown-status", row.line, f"reviews[{index}].status", str(error))
                self.append("reviews", review, row.line)

    def _appendix(self, chunk: Chunk) -> None:
        if chunk.subsection == "references":
            for number, text in _item_lines(chunk):
                link = _link(text)
                if link is not None:
                    self.append("appendix.references", link, number)
            return
        title = chunk.heading.text.strip() if chunk.subsection == LOGS and chunk.heading else None
        fences = [block for block in chunk.content() if isinstance(block, Fence)]
        if not fences and chunk.subsection == LOGS:
            self._extra(chunk)
            return
        default_title = "ログ" if self.data["language"] == Language.ja else "Log"
        for fence in fences:
            if not fence.text.strip():
                continue  # an empty block is the template's slot for a log, not a log
            log = {"title": title or default_title, "lang": fence.info or None, "text": fence.text}
            self.append("appendix.logs", log, fence.line)

    def _extra(self, chunk: Chunk) -> None:
        heading = chunk.heading
        if heading is None:
            return
        end = max((block.end for block in chunk.blocks), default=heading.line)
        body = _trim_block("\n".join(self.source_lines[heading.line : end]))
        section = {
            "title": heading.text.strip(),
            "level": heading.level,
            "body": body,
            "after": chunk.after,
        }
        self.append("extra_sections", section, heading.line)

    def _list_value(self, path: str, item: Item) -> None:
        text = " ".join(line.strip() for line in item.text.split("\n") if line.strip())
        if text and not is_placeholder(text):
            self.append(path, text, item.line)

    # -- the model ----------------------------------------------------------------

    def _validated(self) -> Postmortem:
        try:
            return Postmortem.model_validate(self.data)
        except ValidationError as error:
            first = error.errors()[0]
            path = _error_path(first["loc"])
            line = _nearest_line(self.lines, path)
            raise DocumentError(first["msg"], line=line, field=path) from error


# -- helpers ----------------------------------------------------------------------

_LAST_STEP = re.compile(r"(\.[^.\[]+|\[\d+\])$")


def _nearest_line(lines: dict[str, int], path: str) -> int | None:
    while path:
        if path in lines:
            return lines[path]
        path = _LAST_STEP.sub("", path)
    return None


def _language(title: str, chunks: list[Chunk]) -> Language:
    folded = normalise(title)
    if folded.startswith("ポストモーテム"):
        return Language.ja
    if folded.startswith(("postmortem", "post-mortem", "post mortem")):
        return Language.en
    if _CJK.search(title):
        return Language.ja
    headings = " ".join(chunk.heading.text for chunk in chunks if chunk.heading)
    return Language.ja if _CJK.search(headings) else Language.en


def _names(value: str) -> list[str]:
    if is_placeholder(value):
        return []
    names = [name.strip() for name in re.split(r"[,、，;；]", value)]
    return [name for name in names if not is_placeholder(name)]


def _percent_to_ratio(text: str) -> float:
    from decimal import Decimal

    return float(Decimal(text) / 100)


def _text_lines(chunk: Chunk) -> list[tuple[int, str]]:
    lines: list[tuple[int, str]] = []
    for block in chunk.content():
        if isinstance(block, Paragraph):
            lines.extend(block.lines())
        elif isinstance(block, ListBlock):
            lines.extend(_flatten_items(block))
    return lines


def _flatten_items(listing: ListBlock) -> list[tuple[int, str]]:
    lines: list[tuple[int, str]] = []
    for item in listing.items:
        lines.extend(_all_item_lines(item))
    return lines


def _all_item_lines(item: Item) -> list[tuple[int, str]]:
    lines: list[tuple[int, str]] = []
    for block in item.blocks:
        if isinstance(block, Paragraph):
            lines.extend(block.lines())
        elif isinstance(block, ListBlock):
            lines.extend(_flatten_items(block))
    return lines


def _item_lines(chunk: Chunk) -> list[tuple[int, str]]:
    """One line per list item (its text joined), and each line of loose paragraphs."""
    lines: list[tuple[int, str]] = []
    for block in chunk.content():
        if isinstance(block, ListBlock):
            for item in block.items:
                text = " ".join(part.strip() for part in item.text.split("\n") if part.strip())
                lines.append((item.line, text))
        elif isinstance(block, Paragraph):
            lines.extend(block.lines())
    return lines


def _looks_like_whys(listing: ListBlock) -> bool:
    return any(_WHY_LABEL.match(item.text) for item in listing.items)


def _trim_block(text: str) -> str:
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and (
        not lines[-1].strip() or re.fullmatch(r"\s*(?:-{3,}|\*{3,}|_{3,})\s*", lines[-1])
    ):
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines)


def _columns(
    header: list[str], table: tuple[tuple[str, str], ...], positional: tuple[str, ...]
) -> list[str | None]:
    found = [lookup(name, table) for name in header]
    if sum(key is not None for key in found) < 2:
        return [positional[i] if i < len(positional) else None for i in range(len(header))]
    seen: set[str] = set()
    columns: list[str | None] = []
    for key in found:
        columns.append(key if key is not None and key not in seen else None)
        if key is not None:
            seen.add(key)
    return columns


def _cells(cells: list[str], columns: list[str | None]) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in zip(columns, cells, strict=False):
        if key is not None:
            values[key] = value
    return values


def _cell_text(text: str | None) -> str | None:
    if text is None or is_placeholder(text):
        return None
    return text.strip()


def _link(text: str) -> dict[str, str | None] | None:
    stripped = text.strip()
    if not stripped or is_placeholder(stripped):
        return None
    match = _LINK.match(stripped)
    if match:
        return {"title": match.group("title").strip(), "url": match.group("url") or None}
    bare = _BARE_URL.match(stripped)
    if bare:
        title = bare.group("title").strip() or bare.group("url")
        return {"title": title, "url": bare.group("url")}
    return {"title": stripped, "url": None}


def _horizon_for(due: date | None, detected: datetime | None) -> Horizon:
    if due is not None and detected is not None:
        days = (due - detected.date()).days
        for horizon, limit in HORIZON_DAYS.items():
            if days <= limit:
                return horizon
        return Horizon.long_term
    return Horizon.short_term


def _error_path(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def parse_markdown(text: str, *, source: str | None = None) -> ParseResult:
    """Read a postmortem; DocumentError (with `source` and the line) if it is none."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not normalised.strip():
        raise DocumentError("the document is empty", line=1, source=source)
    try:
        return _Reader(normalised).read()
    except DocumentError as error:
        raise error.with_source(source) if source else error from None
