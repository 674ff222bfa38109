"""Prose and lists: summary, causes, whys, steps, lessons, links, appendix, kept sections."""

from __future__ import annotations

import re

from hansei.markdown.blocks import (
    Fence,
    Item,
    ListBlock,
    Paragraph,
    flatten_items,
    item_lines,
    item_texts,
    trim_block,
)
from hansei.markdown.draft import Draft
from hansei.markdown.fields import (
    field_line,
    strip_emphasis,
)
from hansei.markdown.sections import LOGS, Chunk
from hansei.markdown.values import (
    is_placeholder,
)
from hansei.markdown.vocabulary import (
    FIELD_ALIASES,
    SUMMARY_PROMPTS,
    lookup,
    normalise,
)
from hansei.model import (
    TIME_FIELDS,
    Language,
)
from hansei.model.links import is_unsafe_url

_LINK = re.compile(r"^\[(?P<title>[^\]]+)\]\((?P<url>(?:[^()\s]|\([^()\s]*\))*)\)\s*(?P<rest>.*)$")


_URL_START = re.compile(r"https?://")


_LIST_MARKS = re.compile(r"^(?:[✅❌📚✔✓✗✖❎⭕️•・\-]\ufe0f?\s*)+")


_LABEL_END = r"(?:[:：]\s*(?:\*\*|__)|(?:\*\*|__)\s*[:：]|[:：])"
_WHY_LABEL = re.compile(
    rf"^(?:\*\*|__)?\s*+(?:(?:why|なぜ|q)\s*+\d*\s*+{_LABEL_END}|q\s*+\d+\s*+[.)](?:\*\*|__)?)\s*",
    re.IGNORECASE,
)
_ANSWER_LABEL = re.compile(
    r"^(?:→|->|⇒|=>|➡|➔)\s*"
    rf"|^(?:\*\*|__)?\s*(?:(?:answer|a|答え|回答|理由|because)\s*{_LABEL_END}"
    r"|a\s*\d+\s*[.)](?:\*\*|__)?)\s*",
    re.IGNORECASE,
)
# Only from the start of a run of spaces: searched from each space of a long run, the
# pattern would scan the rest of the run every time.
_INLINE_ANSWER = re.compile(r"(?<!\s)\s*(?:→|->|⇒|➡)\s*")


_EXAMPLE_LABEL = re.compile(
    r"^\s*(?:\*\*|__)?\s*(?:例|example|e\.g\.)\s*(?:\*\*|__)?\s*[:：]", re.I
)


def read_summary(draft: Draft, chunk: Chunk) -> None:
    draft.lines.setdefault("summary", chunk.line)
    start = chunk.line if chunk.heading else 0
    end = max((block.end for block in chunk.blocks), default=start)
    lines = draft.source_lines[start:end]
    for index, text in enumerate(lines):
        found = field_line(text, start + index + 1)
        if found and lookup(found.label, FIELD_ALIASES) == "summary":
            lines = ([found.value] if found.value else []) + lines[index + 1 :]
            break
    first_line = end - len(lines) + 1
    written = []
    for offset, text in enumerate(lines):
        found = field_line(text, first_line + offset)
        # A field written as one (`- **影響度**: High`) under a merged heading such as
        # `## サマリー & 影響`; a sentence with a colon (`復旧: ロールバックで…`) is prose.
        key = _exact_field(found.label) if found and _BOLD_LABEL.match(text) else None
        if found and key in _DETAIL_FIELDS:
            draft.raw.summary_fields.setdefault(key, (found.value, first_line + offset))
        elif not _is_prompt(text):
            # The template's prompts (何が起こったか …) are guidance, alone or beside text.
            written.append(text)
    body = trim_block("\n".join(written))
    if body:
        first = next((b.line for b in chunk.content()), chunk.line)
        draft.put("summary", body, first)


_BOLD_LABEL = re.compile(r"^\s*(?:[-*+]\s+)?(?:\*\*|__)")
_DETAIL_FIELDS = frozenset(
    {
        *TIME_FIELDS,
        "services",
        "users_affected",
        "severity",
        "downtime",
        "data_loss",
        "availability",
        "budget_consumed",
        "budget_remaining",
    }
)


def _exact_field(label: str) -> str | None:
    folded = normalise(label)
    return next((key for alias, key in FIELD_ALIASES if alias == folded), None)


def _is_prompt(line: str) -> bool:
    text = _LIST_MARKS.sub("", line.strip()).strip()
    return bool(text) and (text.lower() in SUMMARY_PROMPTS or is_placeholder(text))


def read_plain_list(draft: Draft, chunk: Chunk) -> None:
    """Good, bad, learned: one entry per item, nested items as entries of their own."""
    for block in chunk.content():
        lines = item_texts(block, nested=True) if isinstance(block, ListBlock) else []
        if isinstance(block, Paragraph):
            lines = block.lines()
        for number, text in lines:
            cleaned = _LIST_MARKS.sub("", text).strip()
            if cleaned and not is_placeholder(cleaned):
                draft.append(_list_of_mark(text) or chunk.section, cleaned, number)


# A mark says which list an item is in, whatever the heading (`## Good / Bad` merged).
_MARKED_LISTS = (("went_well", "✅✔✓⭕"), ("went_wrong", "❌✗✖❎⚠"), ("learned", "📚💡"))


def _list_of_mark(text: str) -> str | None:
    first = text.strip()[:1]
    return next((key for key, marks in _MARKED_LISTS if first and first in marks), None)


def read_rca(draft: Draft, chunk: Chunk) -> None:
    if chunk.subsection == "direct_causes":
        _direct_causes(draft, chunk)
    else:
        _root_causes(draft, chunk)


def _direct_causes(draft: Draft, chunk: Chunk) -> None:
    skip_next_list = False
    for block in chunk.content():
        if isinstance(block, Paragraph):
            if _EXAMPLE_LABEL.match(block.text):
                skip_next_list = True
                continue
            text = " ".join(line.strip() for line in block.text.split("\n"))
            if not is_placeholder(text):
                draft.append("rca.direct_causes", text, block.line)
        elif isinstance(block, ListBlock):
            if not skip_next_list:
                for item in block.items:
                    _list_value(draft, "rca.direct_causes", item)
            skip_next_list = False


def _analysis(draft: Draft, block: Paragraph | ListBlock) -> None:
    text = "\n".join(line.rstrip() for line in draft.source_lines[block.line - 1 : block.end])
    previous = draft.data.get("rca", {}).get("analysis")
    if previous:
        draft.data["rca"]["analysis"] = f"{previous}\n\n{text.strip()}"
    else:
        draft.put("rca.analysis", text.strip(), block.line)


def _label_key(paragraph: Paragraph) -> str | None:
    label = field_line(paragraph.text.split("\n", 1)[0], paragraph.line)
    return lookup(label.label, FIELD_ALIASES) if label else None


def _root_causes(draft: Draft, chunk: Chunk) -> None:
    mode = "analysis"
    blocks = chunk.content()
    whys_label_at = next(
        (
            index
            for index, block in enumerate(blocks)
            if isinstance(block, Paragraph) and _label_key(block) == "whys"
        ),
        None,
    )
    for position, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            label = field_line(block.text.split("\n", 1)[0], block.line)
            key = lookup(label.label, FIELD_ALIASES) if label else None
            if key == "whys":
                mode = "whys"
                rest = block.text.split("\n", 1)[1:]
                if rest:
                    _whys_from_lines(draft, Paragraph(block.line + 1, block.end, rest[0]).lines())
                continue
            if key == "root_causes":
                mode = "root"
                if label and not is_placeholder(label.value):
                    draft.append("rca.root_causes", label.value, block.line)
                continue
            if _WHY_LABEL.match(block.text) or (
                mode == "whys" and _INLINE_ANSWER.search(block.text)
            ):
                mode = "whys"
                _whys_from_lines(draft, block.lines())
            elif mode in ("analysis", "whys") and not is_placeholder(block.text):
                _analysis(draft, block)  # a note among the whys joins the analysis
            elif mode == "root":
                text = " ".join(line.strip() for line in block.text.split("\n"))
                if not is_placeholder(text):
                    draft.append("rca.root_causes", text, block.line)
        elif isinstance(block, ListBlock):
            before_whys = whys_label_at is not None and position < whys_label_at
            if mode == "analysis" and before_whys and not _looks_like_whys(block):
                _analysis(draft, block)  # bullets of the deep dive, above the 5 Whys
                continue
            if mode == "analysis":
                mode = "whys" if block.ordered or _looks_like_whys(block) else "root"
            if block.ordered or (mode == "whys" and _looks_like_whys(block)):
                for item in block.items:
                    _why_item(draft, item)
            else:
                for item in block.items:
                    _list_value(draft, "rca.root_causes", item)


def _why_item(draft: Draft, item: Item) -> None:
    lines = item_lines(item)
    if not lines:
        return
    _whys_from_lines(draft, lines, single=True)


def _whys_from_lines(draft: Draft, lines: list[tuple[int, str]], *, single: bool = False) -> None:
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
        answers_current = current is not None and (single or current["answer"] is None)
        if answers_current and not question and not _INLINE_ANSWER.search(text):
            # The line under a why is its answer, arrow or not.
            assert current is not None
            previous = current["answer"]
            current["answer"] = f"{previous} {text}" if previous else text
            continue
        if question or current is None or not single:
            body = text[question.end() :] if question else text
            parts = _INLINE_ANSWER.split(body, maxsplit=1)
            current = {
                "question": parts[0].strip(),
                "answer": parts[1].strip() if len(parts) > 1 else None,
            }
            whys.append((number, current))
    for number, why in whys:
        cleaned = {key: None if is_placeholder(value) else value for key, value in why.items()}
        if cleaned["question"] or cleaned["answer"]:
            draft.append("rca.whys", cleaned, number)


def read_response(draft: Draft, chunk: Chunk) -> None:
    _steps(draft, chunk.subsection or "mitigation", chunk)


def read_prevention(draft: Draft, chunk: Chunk) -> None:
    _steps(draft, f"prevention.{chunk.subsection or 'process'}", chunk)


def _steps(draft: Draft, path: str, chunk: Chunk) -> None:
    for block in chunk.content():
        if isinstance(block, ListBlock):
            for item in block.items:
                _step(draft, path, item)
        elif isinstance(block, Paragraph):
            for number, text in block.lines():
                title = strip_emphasis(text.strip().rstrip(":：")) if text.strip() else ""
                if title and not is_placeholder(title):
                    draft.append(path, {"title": title, "details": []}, number)


def _step(draft: Draft, path: str, item: Item) -> None:
    first, *rest = item.text.split("\n") if item.text else [""]
    title = strip_emphasis(first.strip().rstrip(":：").strip())
    details = [line.strip() for line in rest if line.strip()]
    for sublist in item.sublists():
        details.extend(text for _, text in flatten_items(sublist))
    details = [_LIST_MARKS.sub("", d).strip() if d.startswith("- ") else d for d in details]
    details = [d for d in details if d and not is_placeholder(d)]
    if not title or is_placeholder(title):
        if not details:
            return
        title, details = details[0], details[1:]
    draft.append(path, {"title": title, "details": details}, item.line)


def read_related(draft: Draft, chunk: Chunk) -> None:
    for number, text in chunk.item_lines():
        link = _link(text)
        if link is not None:
            draft.append("related_docs", link, number)


def read_appendix(draft: Draft, chunk: Chunk) -> None:
    if chunk.subsection == "references":
        for number, text in chunk.item_lines():
            link = _link(text)
            if link is not None:
                draft.append("appendix.references", link, number)
        return
    title = chunk.heading.text.strip() if chunk.subsection == LOGS and chunk.heading else None
    fences = [block for block in chunk.content() if isinstance(block, Fence)]
    if not fences and chunk.subsection == LOGS:
        read_extra(draft, chunk)
        return
    default_title = "ログ" if draft.language == Language.ja else "Log"
    for fence in fences:
        if not fence.text.strip():
            continue  # an empty block is the template's slot for a log, not a log
        log = {"title": title or default_title, "lang": fence.info or None, "text": fence.text}
        draft.append("appendix.logs", log, fence.line)


def read_extra(draft: Draft, chunk: Chunk) -> None:
    heading = chunk.heading
    if heading is None:
        return
    end = max((block.end for block in chunk.blocks), default=heading.line)
    body = trim_block("\n".join(draft.source_lines[heading.line : end]))
    section = {
        "title": heading.text.strip(),
        "level": heading.level,
        "body": body,
        "after": chunk.after,
    }
    draft.append("extra_sections", section, heading.line)


def _list_value(draft: Draft, path: str, item: Item) -> None:
    if item.joined and not is_placeholder(item.joined):
        draft.append(path, item.joined, item.line)


def _looks_like_whys(listing: ListBlock) -> bool:
    return any(_WHY_LABEL.match(item.text) for item in listing.items)


def _link(text: str) -> dict[str, str | None] | None:
    stripped = _LIST_MARKS.sub("", text).strip()
    if not stripped or is_placeholder(stripped):
        return None
    match = _LINK.match(stripped)
    if match and is_unsafe_url(match.group("url")):
        # Kept as it was written, as text: the model takes no link that runs code.
        return {"title": stripped, "url": None}
    if match:
        title, rest = match.group("title").strip(), match.group("rest").strip()
        # Words after the link (`[Runbook](…) — 手順書`) stay with its title.
        return {"title": f"{title} {rest}" if rest else title, "url": match.group("url") or None}
    bare = _bare_url(stripped)
    if bare:
        title, url = bare
        return {"title": title or url, "url": url}
    return {"title": stripped, "url": None}


def _bare_url(text: str) -> tuple[str, str] | None:
    """`title: <https://…>` as (title, url): the URL is the end of the line's last word.

    Found without a pattern like `(.*?)\\s*:?\\s*(https?://\\S+)$`, which tries every
    way of sharing a long run of spaces between its parts (20,000 spaces: minutes).
    """
    words = text.split()
    if not words:
        return None
    last = words[-1]
    start = _URL_START.search(last)
    if start is None or start.end() == len(last):
        return None
    url = last[start.start() :]
    if url.endswith(">") and len(url) > start.end() - start.start() + 1:
        url = url[:-1]
    title = text[: len(text) - len(last) + start.start()].removesuffix("<").rstrip()
    title = (title[:-1] if title.endswith((":", "：")) else title).strip()
    return title, url
