"""Reading a postmortem file, Markdown or JSON, with errors that name file, line and field."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hansei.errors import DocumentError
from hansei.markdown import ParseResult, parse_markdown
from hansei.model import Postmortem


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(
            f"cannot read the file: {error.strerror or error}", source=str(path)
        ) from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DocumentError(
            f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})",
            line=line,
            source=str(path),
        ) from error


def load_document(path: Path) -> ParseResult:
    """A Markdown postmortem, or JSON: the canonical model or `{"postmortem": …}`."""
    text = read_text(path)
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        return ParseResult(_from_json(text, str(path)))
    return parse_markdown(text, source=str(path))


def _from_json(text: str, source: str) -> Postmortem:
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as error:
        raise DocumentError(
            f"not valid JSON: {error.msg}", line=error.lineno, source=source
        ) from error
    if isinstance(data, dict) and isinstance(data.get("postmortem"), dict):
        data = data["postmortem"]
    try:
        return Postmortem.model_validate(data)
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
