"""Review states and transitions (DESIGN.md workflow): pure, the guards passed in."""

from hansei.workflow.transitions import (
    Actor,
    ReviewAction,
    Step,
    changes_allowed_when_final,
    check_edit,
    is_author,
    take_step,
)

__all__ = [
    "Actor",
    "ReviewAction",
    "Step",
    "changes_allowed_when_final",
    "check_edit",
    "is_author",
    "take_step",
]
