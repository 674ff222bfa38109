"""Control characters in a Markdown document: removed, each one reported.

The model holds no control character but tab and line breaks (model/limits.py);
a file may carry a stray NUL or an escape sequence pasted from a terminal. The
reader keeps the rest of the text and says where each one was, so nothing a
person wrote disappears without a word.
"""

from __future__ import annotations

import re

from hansei.model.limits import describe_character

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def without_control_characters(text: str) -> tuple[str, list[tuple[int, str]]]:
    """`text` (`\\n` line ends) without its control characters, and for each line that
    held any: its number and a message naming them."""
    if not _CONTROL.search(text):
        return text, []
    removed: list[tuple[int, str]] = []
    lines = text.split("\n")
    for index, line in enumerate(lines):
        found = sorted(set(_CONTROL.findall(line)))
        if found:
            names = ", ".join(describe_character(character) for character in found)
            plural = "s" if len(found) > 1 else ""
            removed.append((index + 1, f"control character{plural} {names} removed"))
            lines[index] = _CONTROL.sub("", line)
    return "\n".join(lines), removed
