"""Exporting every stored postmortem to files that import back unchanged."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hansei.errors import UnreadableDocumentError
from hansei.markdown import render_markdown
from hansei.model import Language, Postmortem
from hansei.services.documents import read_id, with_id_comment
from hansei.store import Database
from hansei.store import repository as repo


@dataclass(frozen=True)
class ExportedFile:
    postmortem_id: str
    path: Path


def export_all(
    database: Database,
    directory: Path,
    *,
    language: Language | None = None,
    file_format: str = "md",
    on_unreadable: Callable[[UnreadableDocumentError], None] | None = None,
) -> list[ExportedFile]:
    """One file per postmortem, named by date and id, carrying its id for re-import.

    A stored document that cannot be read is passed to `on_unreadable` and the export goes
    on with the rest; without `on_unreadable`, the first one is raised once the rest are
    written."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[ExportedFile] = []
    unreadable: list[UnreadableDocumentError] = []
    with database.reading() as session:
        for postmortem_id in repo.all_ids(session):
            try:
                stored = repo.get(session, postmortem_id)
            except UnreadableDocumentError as error:
                unreadable.append(error)
                if on_unreadable is not None:
                    on_unreadable(error)
                continue
            path = directory / _file_name(postmortem_id, stored.postmortem, language, file_format)
            _remove_older_exports(directory, postmortem_id, keep=path)
            text = _content(
                postmortem_id, stored.revision, stored.postmortem, language, file_format
            )
            _write_atomically(path, text)
            written.append(ExportedFile(postmortem_id, path))
    if unreadable and on_unreadable is None:
        raise unreadable[0]
    return written


def _remove_older_exports(directory: Path, postmortem_id: str, *, keep: Path) -> None:
    # A file from an earlier export (another date or language in its name) would
    # carry the same id and, imported later, bring an old version back.
    for suffix in ("md", "json"):
        for older in directory.glob(f"*-{postmortem_id[:12]}.*{suffix}"):
            if older != keep and read_id(older) == postmortem_id:
                older.unlink()


def _file_name(
    postmortem_id: str, postmortem: Postmortem, language: Language | None, file_format: str
) -> str:
    day = postmortem.date.isoformat() if postmortem.date else "undated"
    lang = (language or postmortem.language).value
    suffix = "json" if file_format == "json" else f"{lang}.md"
    return f"{day}-{postmortem_id[:12]}.{suffix}"


def _content(
    postmortem_id: str,
    revision: int,
    postmortem: Postmortem,
    language: Language | None,
    file_format: str,
) -> str:
    if language is not None and language != postmortem.language:
        postmortem = postmortem.model_copy(update={"language": language})
    if file_format == "json":
        payload = {
            "id": postmortem_id,
            "revision": revision,
            "postmortem": postmortem.to_json_dict(),
        }
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    return with_id_comment(render_markdown(postmortem), postmortem_id, revision)


def _write_atomically(path: Path, text: str) -> None:
    # A reader (or an interrupted export) never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
