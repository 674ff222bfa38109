"""Saving a postmortem: one transaction, one revision."""

from __future__ import annotations

from hansei.errors import ConflictError
from hansei.model import Postmortem
from hansei.store import Database
from hansei.store import repository as repo
from hansei.store.repository import WriteResult
from hansei.workflow import check_edit


def create_postmortem(
    database: Database,
    postmortem: Postmortem,
    *,
    user: str,
    postmortem_id: str | None = None,
    note: str | None = None,
) -> WriteResult:
    with database.transaction() as session:
        return repo.create(session, postmortem, user=user, postmortem_id=postmortem_id, note=note)


def update_postmortem(
    database: Database,
    postmortem_id: str,
    postmortem: Postmortem,
    *,
    user: str,
    base_revision: int | None,
    kind: str = "save",
    note: str | None = None,
) -> WriteResult:
    """Save a new revision. An update from a revision that is no longer current is
    kept as a conflict revision and refused with ConflictError; one that moves the
    status, writes the review history or edits a Final document is refused with
    TransitionError (review steps do those)."""
    with database.transaction() as session:
        check_edit(repo.get(session, postmortem_id, for_update=True).postmortem, postmortem)
        result = repo.update(
            session,
            postmortem_id,
            postmortem,
            user=user,
            base_revision=base_revision,
            kind=kind,
            note=note,
        )
    if result.outcome == "conflict":
        assert base_revision is not None
        raise ConflictError(
            postmortem_id,
            base=base_revision,
            current=result.current_revision,
            kept_revision=result.revision,
        )
    return result


__all__ = ["WriteResult", "create_postmortem", "update_postmortem"]
