"""Action items as the API and the pages show them."""

from __future__ import annotations

from hansei.services.following import FollowUp
from hansei.web.api.schemas import ActionItemRead


def action_read(follow_up: FollowUp) -> ActionItemRead:
    item, change = follow_up.item, follow_up.last_change
    return ActionItemRead(
        postmortem_id=item.postmortem_id,
        postmortem_title=item.postmortem_title,
        number=item.number,
        horizon=item.horizon,
        task=item.task,
        owner=item.owner,
        due=item.due,
        status=item.status,
        issue_url=item.issue_url,
        overdue=follow_up.overdue,
        outside_horizon=follow_up.outside_horizon,
        status_changed_by=change.changed_by if change else None,
        status_changed_at=change.changed_at if change else None,
    )
