"""Importing files into the store: idempotent, one transaction per document.

A file is matched to a stored postmortem by the id an export wrote into it,
else by title and detection time; an unchanged document creates nothing, a
changed one becomes a new revision. A file that cannot be read is reported
and the others still go in.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from hansei.errors import DocumentError
from hansei.metrics import key_times
from hansei.model import Postmortem
from hansei.services.documents import load_with_id
from hansei.store import Database
from hansei.store import repository as repo

# Below this many files, starting processes costs more than it saves.
_PARALLEL_FROM = 32


@dataclass(frozen=True)
class ImportFailure:
    source: str
    reason: str
    """`file:line: message (field)`, ready to print."""


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[ImportFailure] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged) + len(self.failed)


@dataclass(frozen=True)
class _Loaded:
    source: str
    postmortem: Postmortem | None
    document_id: str | None
    error: str | None


def _load(path: Path) -> _Loaded:
    try:
        loaded = load_with_id(path)
    except DocumentError as error:
        return _Loaded(str(path), None, None, str(error))
    return _Loaded(str(path), loaded.result.postmortem, loaded.document_id, None)


def load_all(paths: list[Path], *, workers: int | None = None) -> Iterator[_Loaded]:
    """Each file read and parsed, in order; on all cores when there are many."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(paths) < _PARALLEL_FROM:
        yield from map(_load, paths)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_load, paths, chunksize=max(1, min(64, len(paths) // (workers * 8))))


def import_paths(
    database: Database,
    paths: list[Path],
    *,
    user: str,
    on_progress: Callable[[str], None] | None = None,
    workers: int | None = None,
) -> ImportReport:
    report = ImportReport()
    for loaded in load_all(paths, workers=workers):
        if loaded.postmortem is None:
            report.failed.append(ImportFailure(loaded.source, loaded.error or "unreadable"))
        else:
            try:
                outcome, postmortem_id = import_document(
                    database,
                    loaded.postmortem,
                    document_id=loaded.document_id,
                    user=user,
                    source=loaded.source,
                )
            except SQLAlchemyError as error:
                reason = f"{loaded.source}: the database refused it: {error.__class__.__name__}"
                report.failed.append(ImportFailure(loaded.source, reason))
            else:
                getattr(report, outcome).append(postmortem_id)
        if on_progress is not None:
            on_progress(loaded.source)
    return report


def import_document(
    database: Database,
    postmortem: Postmortem,
    *,
    document_id: str | None,
    user: str,
    source: str | None = None,
) -> tuple[str, str]:
    """Store one document; returns (`created` | `updated` | `unchanged`, its id)."""
    wanted = repo.normalise_id(document_id) if document_id else None
    with database.transaction() as session:
        if wanted is not None and repo.exists(session, wanted):
            target: str | None = wanted
        elif wanted is not None:
            target = None
        else:
            target = repo.find_by_title_and_detection(
                session, postmortem.title, key_times(postmortem).detected
            )
        note = f"imported from {source}" if source else "imported"
        if target is None:
            result = repo.create(
                session, postmortem, user=user, postmortem_id=wanted, kind="import", note=note
            )
        else:
            result = repo.update(
                session, target, postmortem, user=user, base_revision=None, kind="import", note=note
            )
    return result.outcome, result.postmortem_id
