"""Finding a team's lint settings: hansei.toml, or [tool.hansei] in pyproject.toml, upward."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hansei.errors import DocumentError
from hansei.lint import LintOptions


def forget_settings() -> None:
    """Read settings files afresh (once per run: a folder's settings are then reused)."""
    _options_in.cache_clear()


def options_for(document: Path) -> LintOptions:
    """The settings of the nearest folder, from the document's own upward, that has any."""
    return _options_in(document.resolve().parent)


@lru_cache(maxsize=256)
def _options_in(folder: Path) -> LintOptions:
    own = folder / "hansei.toml"
    if own.is_file():
        return _read(own, _toml(own))
    project = folder / "pyproject.toml"
    if project.is_file():
        table = _toml(project).get("tool", {}).get("hansei")
        if isinstance(table, dict):
            return _read(project, table)
    if folder.parent == folder:
        return LintOptions()
    return _options_in(folder.parent)


def _toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise DocumentError(f"cannot read the settings: {error}", source=str(path)) from error
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None)
        raise DocumentError(f"not valid TOML: {error}", line=line, source=str(path)) from error


def _read(path: Path, table: dict[str, Any]) -> LintOptions:
    try:
        return LintOptions.model_validate(table)
    except ValidationError as error:
        problem = error.errors()[0]
        field = ".".join(str(part) for part in problem["loc"])
        raise DocumentError(problem["msg"], field=field, source=str(path)) from error
