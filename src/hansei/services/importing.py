"""Importing files into the store: idempotent, and each document all or nothing.

A file is matched to a stored postmortem by the id an export wrote into it,
else by title and detection time; an unchanged document creates nothing, a
changed one becomes a new revision. A file that cannot be read is reported
and the others still go in.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from hansei.config import DEFAULT_LIMITS, DocumentLimits
from hansei.errors import DocumentError
from hansei.metrics import key_times
from hansei.services.documents import load_with_id, require_postmortem
from hansei.store import Database, describe
from hansei.store import repository as repo
from hansei.store.mapping import PreparedDocument, prepare

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
    warnings: list[str] = field(default_factory=list)
    """What the parser could not read in files that were imported (`file:line: warning: …`)."""

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged) + len(self.failed)


@dataclass(frozen=True)
class LoadedFile:
    source: str
    prepared: PreparedDocument | None
    document_id: str | None
    error: str | None
    warnings: tuple[str, ...] = ()


def load_file(
    path: Path, *, dialect: str = "sqlite", limits: DocumentLimits = DEFAULT_LIMITS
) -> LoadedFile:
    """Read, parse and prepare one file for saving; errors become `file:line: reason`."""
    try:
        loaded = load_with_id(path, limits)
        require_postmortem(loaded, str(path))
        prepared = prepare(loaded.result.postmortem, dialect=dialect)
    except DocumentError as error:
        return LoadedFile(str(path), None, None, str(error))
    except Exception as error:  # a bug in hansei must cost one file, not the whole import
        reason = f"{path}: hansei could not read it ({error.__class__.__name__}: {error})"
        return LoadedFile(str(path), None, None, reason)
    warnings = tuple(
        f"{path}:{found.line}: warning: {found.code}: {found.message}"
        for found in loaded.result.diagnostics
    )
    return LoadedFile(str(path), prepared, loaded.document_id, None, warnings)


def load_all(
    paths: list[Path],
    *,
    dialect: str = "sqlite",
    workers: int | None = None,
    limits: DocumentLimits = DEFAULT_LIMITS,
) -> Iterator[LoadedFile]:
    """Each file loaded, in order; on all cores when there are many."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    load = functools.partial(load_file, dialect=dialect, limits=limits)
    if workers <= 1 or len(paths) < _PARALLEL_FROM:
        yield from map(load, paths)
        return
    chunk = max(1, min(16, len(paths) // (workers * 8)))
    # Not fork: the caller may be running threads (a progress bar, a connection pool).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["hansei.services.importing"])
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(load, paths, chunksize=chunk)


def import_paths(
    database: Database,
    paths: list[Path],
    *,
    user: str,
    on_progress: Callable[[str], None] | None = None,
    workers: int | None = None,
    limits: DocumentLimits = DEFAULT_LIMITS,
) -> ImportReport:
    """Import every file; the report says what became of each."""
    report = ImportReport()
    batch: list[LoadedFile] = []
    batch_started = time.monotonic()
    sources_of_ids: dict[str, str] = {}
    loaded_files = load_all(paths, dialect=database.dialect, workers=workers, limits=limits)
    for loaded in loaded_files:
        report.warnings.extend(loaded.warnings)
        error = loaded.error or _second_with_id(loaded, sources_of_ids)
        if loaded.prepared is None or error is not None:
            report.failed.append(ImportFailure(loaded.source, error or "unreadable"))
            if on_progress is not None:
                on_progress(loaded.source)
            continue
        if not batch:
            batch_started = time.monotonic()
        batch.append(loaded)
        full = len(batch) >= _BATCH_DOCUMENTS
        if full or time.monotonic() - batch_started >= _BATCH_SECONDS:
            _write_batch(database, batch, user=user, report=report, on_progress=on_progress)
            batch = []
    if batch:
        _write_batch(database, batch, user=user, report=report, on_progress=on_progress)
    return report


def _second_with_id(loaded: LoadedFile, sources_of_ids: dict[str, str]) -> str | None:
    """Two files with one id (an old export beside a new one): the first one read wins
    and the other is reported, rather than one silently replacing the other."""
    wanted = repo.normalise_id(loaded.document_id) if loaded.document_id else None
    if wanted is None:
        return None
    first = sources_of_ids.setdefault(wanted, loaded.source)
    if first == loaded.source:
        return None
    return f"{loaded.source}:1: carries the same hansei-id as {first}; import one of them"


# Documents are written a batch per transaction, each inside a savepoint of its
# own: one document is all there or not there at all, and the commit (where FTS5
# writes its index) is paid once per batch, not once per file.
_BATCH_DOCUMENTS = 64
_BATCH_SECONDS = 0.5


def _write_batch(
    database: Database,
    batch: list[LoadedFile],
    *,
    user: str,
    report: ImportReport,
    on_progress: Callable[[str], None] | None,
) -> None:
    stored: list[tuple[str, str]] = []
    refused: list[ImportFailure] = []
    try:
        with database.transaction() as session:
            for loaded in batch:
                assert loaded.prepared is not None
                try:
                    with session.begin_nested():
                        stored.append(
                            _store(
                                session,
                                loaded.prepared,
                                document_id=loaded.document_id,
                                user=user,
                                source=loaded.source,
                            )
                        )
                except SQLAlchemyError as error:
                    reason = f"{loaded.source}: the database refused it: {_reason(error)}"
                    refused.append(ImportFailure(loaded.source, reason))
    except SQLAlchemyError as error:
        stored = []
        refused = [
            ImportFailure(item.source, f"{item.source}: not saved: {_reason(error)}")
            for item in batch
        ]
    for outcome, postmortem_id in stored:
        getattr(report, outcome).append(postmortem_id)
    report.failed.extend(refused)
    if on_progress is not None:
        for loaded in batch:
            on_progress(loaded.source)


def _reason(error: SQLAlchemyError) -> str:
    return describe(error)


def _store(
    session: Session,
    prepared: PreparedDocument,
    *,
    document_id: str | None,
    user: str,
    source: str | None,
) -> tuple[str, str]:
    """(`created` | `updated` | `unchanged`, the postmortem's id)."""
    postmortem = prepared.postmortem
    wanted = repo.normalise_id(document_id) if document_id else None
    detected = key_times(postmortem).detected
    repo.lock_for_matching(session, wanted or f"{postmortem.title}|{detected}")
    if wanted is not None and repo.exists(session, wanted):
        target: str | None = wanted
    else:
        # Title and detection time name an incident (also one exported from another
        # database, whose id this one does not know); a document with neither (an
        # early draft) is recognised by its content, so importing it twice is harmless.
        target = repo.find_by_title_and_detection(
            session, postmortem.title, detected
        ) or repo.find_by_content(session, prepared.digest)
    note = f"imported from {source}" if source else "imported"
    if target is None:
        result = repo.create(
            session, prepared, user=user, postmortem_id=wanted, kind="import", note=note
        )
    else:
        result = repo.update(
            session, target, prepared, user=user, base_revision=None, kind="import", note=note
        )
    return result.outcome, result.postmortem_id
