"""Review steps on a stored postmortem: one transaction, one revision of kind `review`."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hansei.config import Settings
from hansei.errors import ConflictError, TransitionError
from hansei.lint.findings import Severity
from hansei.model.access import Permission, Role, allows
from hansei.services.checking import check
from hansei.store import Database
from hansei.store import repository as repo
from hansei.store.repository import WriteResult
from hansei.workflow import Actor, ReviewAction, Step, take_step

# Steps that vouch for the document: they wait until lint finds no error.
_NEED_CLEAN_LINT = frozenset({ReviewAction.request_review, ReviewAction.approve})


def actor_of(name: str, role: Role) -> Actor:
    return Actor(
        name=name,
        may_review=allows(role, Permission.review),
        is_admin=role == Role.admin,
    )


def take_review_step(
    database: Database,
    postmortem_id: str,
    action: ReviewAction,
    *,
    actor: Actor,
    settings: Settings,
    base_revision: int | None = None,
    comment: str | None = None,
    reviewers: list[str] | None = None,
) -> WriteResult:
    """Take the step on the current revision. `base_revision`, when given, must be the
    current one: an approval of a revision that has since changed does not count."""
    with database.transaction() as session:
        stored = repo.get(session, postmortem_id, for_update=True)
        if base_revision is not None and base_revision != stored.revision:
            raise ConflictError(
                postmortem_id, base=base_revision, current=stored.revision, kept_revision=None
            )
        if action in _NEED_CLEAN_LINT and settings.review_needs_clean_lint:
            errors = [
                f"{finding.code} (line {finding.line})"
                for finding in check(stored.postmortem, settings).findings
                if finding.severity == Severity.error
            ]
            if errors:
                raise TransitionError(
                    f"lint errors remain: {', '.join(errors)}; fix them first "
                    "(HANSEI_REVIEW_NEEDS_CLEAN_LINT=false turns this check off)"
                )
        day = dt.datetime.now(ZoneInfo(settings.timezone)).date()
        step = Step(action=action, actor=actor, day=day, comment=comment, reviewers=reviewers or [])
        changed = take_step(stored.postmortem, step)
        note = action.value + (f": {comment.strip()}" if comment and comment.strip() else "")
        return repo.update(
            session,
            postmortem_id,
            changed,
            user=actor.name,
            base_revision=stored.revision,
            kind="review",
            note=note,
        )
