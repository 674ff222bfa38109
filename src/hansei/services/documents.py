"""Reading a postmortem file, Markdown or JSON, with errors that name file, line and field."""

from __future__ import annotations

import glob
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hansei.config import DEFAULT_LIMITS, DocumentLimits
from hansei.errors import DocumentError, UsageError
from hansei.markdown import ParseResult, parse_markdown
from hansei.markdown.limits import check_postmortem, check_size
from hansei.markdown.lines import first_line, line_count
from hansei.model import Postmortem


def read_text(path: Path, limits: DocumentLimits = DEFAULT_LIMITS) -> str:
    """The file's text; refused unread past the size limit (`file: too large (…)`)."""
    try:
        with path.open("rb") as stream:
            data = stream.read(limits.max_bytes + 1)
            if len(data) > limits.max_bytes:
                check_size(max(len(data), os.fstat(stream.fileno()).st_size), limits)
    except DocumentError as error:
        raise error.with_source(str(path)) from None
    except OSError as error:
        raise DocumentError(
            f"cannot read the file: {error.strerror or error}", source=str(path)
        ) from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        # The bytes before the first undecodable one are UTF-8.
        line = line_count(data[: error.start].decode("utf-8"))
        raise DocumentError(
            f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})",
            line=line,
            source=str(path),
        ) from error


def expand_paths(paths: list[str], *, folder_patterns: tuple[str, ...]) -> list[Path]:
    """Files as given, folders searched for `folder_patterns`, and glob patterns expanded."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(
                sorted(match for pattern in folder_patterns for match in path.rglob(pattern))
            )
        elif path.exists():
            found.append(path)
        elif matches := sorted(glob.glob(given, recursive=True)):
            found.extend(Path(match) for match in matches if Path(match).is_file())
        else:
            raise UsageError(f"{given}: no such file, folder or pattern")
    return list(dict.fromkeys(found))


# The stable id of a stored postmortem, written by `hansei export` as the first line.
_ID_COMMENT = re.compile(
    r"<!--\s*hansei-id:\s*([0-9a-fA-F-]{32,36})(?:\s+revision:\s*(\d+))?\s*-->"
)


@dataclass(frozen=True)
class LoadedDocument:
    result: ParseResult
    document_id: str | None
    """The id written into the file by an export, if any (as written; not checked)."""
    revision: int | None = None
    """The revision the file was exported at, if it says."""


def load_document(path: Path, limits: DocumentLimits = DEFAULT_LIMITS) -> ParseResult:
    """A Markdown postmortem, or JSON: the canonical model or `{"postmortem": …}`."""
    return load_with_id(path, limits).result


def load_with_id(path: Path, limits: DocumentLimits = DEFAULT_LIMITS) -> LoadedDocument:
    """The document and the store id it carries (`<!-- hansei-id: … -->` or JSON `id`)."""
    text = read_text(path, limits)
    return load_text(text, str(path), as_json=path.suffix.lower() == ".json", limits=limits)


def load_text(
    text: str,
    source: str,
    *,
    as_json: bool = False,
    default_timezone: str | None = None,
    limits: DocumentLimits = DEFAULT_LIMITS,
) -> LoadedDocument:
    """A document sent as text (Markdown, or JSON when `as_json` or when it looks like it)."""
    if as_json or text.lstrip().startswith("{"):
        try:
            check_size(len(text.encode("utf-8")), limits)
        except DocumentError as error:
            raise error.with_source(source) from None
        postmortem, document_id, revision = _from_json(text, source)
        try:
            check_postmortem(postmortem, limits)  # what is stored must read back
        except DocumentError as error:
            raise error.with_source(source) from None
        return LoadedDocument(ParseResult(postmortem), document_id, revision)
    result = parse_markdown(text, source=source, default_timezone=default_timezone, limits=limits)
    found = _id_comment(text)
    if found is None:
        return LoadedDocument(result, None)
    return LoadedDocument(result, found.group(1), int(found.group(2)) if found.group(2) else None)


def _id_comment(text: str) -> re.Match[str] | None:
    """The id comment, on the first line that is not blank (where export writes it)."""
    first = first_line(text.lstrip("\ufeff \t\r\n"))
    return _ID_COMMENT.fullmatch(first.strip())


def read_id(path: Path) -> str | None:
    """The id an exported file carries, without parsing the rest (None if unreadable)."""
    try:
        with path.open(encoding="utf-8") as stream:
            head = stream.read(4096)
    except (OSError, UnicodeDecodeError):
        return None
    found = _id_comment(head)
    if found is not None:
        return found.group(1)
    ids = re.search(r'"id"\s*:\s*"([0-9a-f]{32})"', head)
    return ids.group(1) if ids else None


def with_id_comment(markdown: str, document_id: str, revision: int) -> str:
    return f"<!-- hansei-id: {document_id} revision: {revision} -->\n{markdown}"


def _from_json(text: str, source: str) -> tuple[Postmortem, str | None, int | None]:
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as error:
        raise DocumentError(
            f"not valid JSON: {error.msg}", line=error.lineno, source=source
        ) from error
    document_id = revision = None
    if isinstance(data, dict) and isinstance(data.get("postmortem"), dict):
        if isinstance(data.get("id"), str):
            document_id = data["id"]
        if isinstance(data.get("revision"), int):
            revision = data["revision"]
        data = data["postmortem"]
    try:
        return Postmortem.model_validate(data), document_id, revision
    except ValidationError as error:
        first = error.errors()[0]
        location = [part for part in first["loc"]]
        field = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in location).replace(
            ".[", "["
        )
        raise DocumentError(
            first["msg"], line=_json_line(text, location), field=field or None, source=source
        ) from error


def _json_line(text: str, location: list[int | str]) -> int | None:
    """The line where the value at `location` starts (the deepest part that can be found)."""
    decoder = json.JSONDecoder()
    position = 0
    found: int | None = None
    for part in location:
        if isinstance(part, str):
            match = re.compile(rf'"{re.escape(part)}"\s*:\s*').search(text, position)
            if match is None:
                break
            position = match.end()
        else:
            start = text.find("[", position)
            if start < 0:
                break
            position = _skip_items(decoder, text, start + 1, part)
            if position < 0:
                break
        found = text.count("\n", 0, position) + 1
    return found


def _skip_items(decoder: json.JSONDecoder, text: str, position: int, count: int) -> int:
    """The position of item `count` of the array whose items start at `position`."""
    whitespace = re.compile(r"[\s,]*")
    for _ in range(count):
        position = whitespace.match(text, position).end()  # type: ignore[union-attr]
        try:
            _, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            return -1
    return whitespace.match(text, position).end()  # type: ignore[union-attr]


def require_postmortem(loaded: LoadedDocument, source: str) -> None:
    """Refuse what reads as no postmortem at all before it is stored.

    The parser is lenient (any `#` heading is a title, unknown sections are kept),
    which suits `hansei parse`; a README or a shopping list in an imported folder
    must not become a postmortem.
    """
    result = loaded.result
    if result.lines:
        known = [key for key in result.lines if key != "title" and not key.startswith("extra_")]
        if not known:
            raise DocumentError(
                "not a postmortem: none of the template's sections or fields "
                "(概要 / Summary, 発生日時 / Timestamps, タイムライン / Timeline, …)",
                line=1,
                source=source,
            )
    elif result.postmortem == Postmortem():
        raise DocumentError("not a postmortem: the document is empty", line=1, source=source)
