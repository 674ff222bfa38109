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


# Documents are written a batch per transaction: one document is all there or not
# there at all, and the commit (where FTS5 writes its index) is paid once per batch,
# not once per file. The new postmortems of a batch go in together, a few statements
# for all of them; a file that matches a stored postmortem (or another file of the
# batch) is then written on its own, inside a savepoint. Should the database refuse
# the batch, it is written again a file at a time, each inside a savepoint, so that
# the file it refused is named and the others still go in.
_BATCH_DOCUMENTS = 64
_BATCH_SECONDS = 0.5

_Outcome = tuple[str, str] | ImportFailure
"""(`created` | `updated` | `unchanged`, the postmortem's id), or why it was not stored."""


def _write_batch(
    database: Database,
    batch: list[LoadedFile],
    *,
    user: str,
    report: ImportReport,
    on_progress: Callable[[str], None] | None,
) -> None:
    try:
        with database.transaction() as session:
            outcomes = _store_batch(session, batch, user=user)
    except SQLAlchemyError:
        outcomes = _write_one_by_one(database, batch, user=user)
    refused: list[ImportFailure] = []
    for outcome in outcomes:
        if isinstance(outcome, ImportFailure):
            refused.append(outcome)
        else:
            getattr(report, outcome[0]).append(outcome[1])
    report.failed.extend(refused)
    if on_progress is not None:
        for loaded in batch:
            on_progress(loaded.source)


def _write_one_by_one(database: Database, batch: list[LoadedFile], *, user: str) -> list[_Outcome]:
    try:
        with database.transaction() as session:
            return [_store_in_savepoint(session, loaded, user=user) for loaded in batch]
    except SQLAlchemyError as error:
        return [
            ImportFailure(item.source, f"{item.source}: not saved: {_reason(error)}")
            for item in batch
        ]


def _store_in_savepoint(session: Session, loaded: LoadedFile, *, user: str) -> _Outcome:
    assert loaded.prepared is not None
    try:
        with session.begin_nested():
            return _store(
                session,
                loaded.prepared,
                document_id=loaded.document_id,
                user=user,
                source=loaded.source,
            )
    except SQLAlchemyError as error:
        reason = f"{loaded.source}: the database refused it: {_reason(error)}"
        return ImportFailure(loaded.source, reason)


def _store_batch(session: Session, batch: list[LoadedFile], *, user: str) -> list[_Outcome]:
    """Each file's outcome, in order, as `_store` one after another would have it."""
    prepared = [loaded.prepared for loaded in batch]
    assert all(item is not None for item in prepared)
    documents = [item for item in prepared if item is not None]
    wanted = [
        repo.normalise_id(loaded.document_id) if loaded.document_id else None for loaded in batch
    ]
    incidents = [(item.columns["title"], item.columns["detected_at"]) for item in documents]
    repo.lock_many_for_matching(
        session,
        [
            wanted_id or f"{title}|{detected}"
            for wanted_id, (title, detected) in zip(wanted, incidents, strict=True)
        ],
    )
    stored_ids = repo.existing_ids(session, [wanted_id for wanted_id in wanted if wanted_id])
    by_incident = repo.first_by_title_and_detection(session, incidents)
    by_content = repo.first_by_content(session, [item.digest for item in documents])

    # A file that matches nothing stored and nothing before it in the batch is new:
    # those go in together. The others are written after them, in order, each as
    # `_store` writes it; they cannot match a new one (they share none of its keys).
    outcomes: list[_Outcome | None] = [None] * len(batch)
    fresh: list[repo.NewPostmortem] = []
    one_by_one: list[int] = []
    seen: set[tuple[object, ...]] = set()
    for index, (loaded, item) in enumerate(zip(batch, documents, strict=True)):
        wanted_id, incident = wanted[index], incidents[index]
        keys: set[tuple[object, ...]] = {("content", item.digest)}
        if wanted_id is not None:
            keys.add(("id", wanted_id))
        if incident[0] and incident[1] is not None:
            keys.add(("incident", *incident))
        matched = wanted_id in stored_ids or incident in by_incident or item.digest in by_content
        if matched or not keys.isdisjoint(seen):
            one_by_one.append(index)
        else:
            postmortem_id = wanted_id or repo.new_id()
            fresh.append(repo.NewPostmortem(postmortem_id, item, _note(loaded.source)))
            outcomes[index] = ("created", postmortem_id)
        seen |= keys
    repo.create_many(session, fresh, user=user, kind="import")
    for index in one_by_one:
        outcomes[index] = _store_in_savepoint(session, batch[index], user=user)
    return [outcome for outcome in outcomes if outcome is not None]


def _reason(error: SQLAlchemyError) -> str:
    return describe(error)


def _note(source: str | None) -> str:
    return f"imported from {source}" if source else "imported"


def _store(
    session: Session,
    prepared: PreparedDocument,
    *,
    document_id: str | None,
    user: str,
    source: str | None,
) -> tuple[str, str]:
    """(`created` | `updated` | `unchanged`, the postmortem's id)."""
    title, detected = prepared.columns["title"], prepared.columns["detected_at"]
    wanted = repo.normalise_id(document_id) if document_id else None
    repo.lock_for_matching(session, wanted or f"{title}|{detected}")
    if wanted is not None and repo.exists(session, wanted):
        target: str | None = wanted
    else:
        # Title and detection time name an incident (also one exported from another
        # database, whose id this one does not know); a document with neither (an
        # early draft) is recognised by its content, so importing it twice is harmless.
        target = repo.find_by_title_and_detection(session, title, detected) or repo.find_by_content(
            session, prepared.digest
        )
    note = _note(source)
    if target is None:
        result = repo.create(
            session, prepared, user=user, postmortem_id=wanted, kind="import", note=note
        )
    else:
        result = repo.update(
            session, target, prepared, user=user, base_revision=None, kind="import", note=note
        )
    return result.outcome, result.postmortem_id
