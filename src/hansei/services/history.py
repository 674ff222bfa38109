"""Revisions of a postmortem: list, compare, restore."""

from __future__ import annotations

import difflib
import threading
import weakref
from collections import OrderedDict

from sqlalchemy.orm import Session

from hansei.errors import NotFoundError
from hansei.markdown import render_markdown
from hansei.markdown.lines import split_keeping_ends
from hansei.model import Postmortem
from hansei.store import Database
from hansei.store import repository as repo
from hansei.store.repository import RevisionInfo, StoredPostmortem, WriteResult
from hansei.workflow import check_edit


def resolve(database: Database, reference: str) -> str:
    with database.reading() as session:
        return repo.resolve_id(session, reference)


def get_postmortem(database: Database, postmortem_id: str) -> StoredPostmortem:
    with database.reading() as session:
        return repo.get(session, postmortem_id)


# Revisions read lately, by what names their content: a revision never changes, so one
# read and validated once serves every later view of it without decoding it again.
_RECENT: weakref.WeakKeyDictionary[Database, OrderedDict[tuple[str, int, str], StoredPostmortem]]
_RECENT = weakref.WeakKeyDictionary()
_RECENT_KEPT = 256
_RECENT_LOCK = threading.Lock()


def current(database: Database, reference: str) -> StoredPostmortem:
    """The current revision of the postmortem that `reference` (an id or a prefix of
    one) names, read whole only if it was not read lately."""
    with database.reading() as session:
        now = _head(session, reference)
        found = _read_lately(database, now)
        if found is not None:
            return found
        stored = repo.get(session, now.id)
    with _RECENT_LOCK:
        kept = _RECENT.setdefault(database, OrderedDict())
        kept[(stored.id, stored.revision, stored.content_hash)] = stored
        if len(kept) > _RECENT_KEPT:
            kept.popitem(last=False)
    return stored


def read_lately(database: Database, reference: str) -> StoredPostmortem | None:
    """The current revision as `current` gives it if it was read lately (one indexed
    row read, nothing decoded), else None."""
    with database.reading() as session:
        return _read_lately(database, _head(session, reference))


def _head(session: Session, reference: str) -> repo.Head:
    exact = repo.normalise_id(reference)
    now = repo.head(session, exact) if exact else None
    if now is None:
        now = repo.head(session, repo.resolve_id(session, reference))
    if now is None:
        raise NotFoundError(f"no postmortem {reference}")
    return now


def _read_lately(database: Database, now: repo.Head) -> StoredPostmortem | None:
    key = (now.id, now.revision, now.content_hash)
    with _RECENT_LOCK:
        kept = _RECENT.setdefault(database, OrderedDict())
        found = kept.get(key)
        if found is not None:
            kept.move_to_end(key)
    if found is not None and found.updated_at == now.updated_at:
        return found
    return None


def list_revisions(database: Database, postmortem_id: str) -> list[RevisionInfo]:
    with database.reading() as session:
        return repo.history(session, postmortem_id)


def diff_revisions(database: Database, postmortem_id: str, old: int, new: int) -> str:
    """A unified diff of the two revisions as Markdown (empty when they read the same)."""
    with database.reading() as session:
        before = render_markdown(repo.revision(session, postmortem_id, old))
        after = render_markdown(repo.revision(session, postmortem_id, new))
    return "".join(
        difflib.unified_diff(
            _diff_lines(before),
            _diff_lines(after),
            fromfile=f"{postmortem_id} revision {old}",
            tofile=f"{postmortem_id} revision {new}",
        )
    )


def _diff_lines(text: str) -> list[str]:
    return [line + end for line, end in split_keeping_ends(text) if line or end]


def restore_revision(
    database: Database, postmortem_id: str, number: int, *, user: str
) -> WriteResult:
    """Make an old revision's content current again, as a new revision: nothing is
    overwritten. The status and the review history stay as they are now (review steps
    move them); a Final postmortem is refused: reopen it first."""
    with database.transaction() as session:
        current = repo.get(session, postmortem_id, for_update=True).postmortem
        old = repo.revision(session, postmortem_id, number).model_copy(
            update={"status": current.status, "reviews": current.reviews}
        )
        check_edit(current, old)
        return repo.update(
            session,
            postmortem_id,
            old,
            user=user,
            base_revision=None,
            kind="restore",
            note=f"restored from revision {number}",
        )


def revision_document(database: Database, postmortem_id: str, number: int) -> Postmortem:
    with database.reading() as session:
        return repo.revision(session, postmortem_id, number)


__all__ = [
    "RevisionInfo",
    "StoredPostmortem",
    "WriteResult",
    "diff_revisions",
    "get_postmortem",
    "list_revisions",
    "resolve",
    "restore_revision",
    "revision_document",
]
