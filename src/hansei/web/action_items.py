"""Action items as the API and the pages show them: overdue today, due outside their horizon."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hansei.model import Horizon
from hansei.model.actions import due_in_horizon
from hansei.services.searching import ActionItemRecord
from hansei.web.api.schemas import ActionItemRead


def today(timezone: str) -> dt.date:
    return dt.datetime.now(ZoneInfo(timezone)).date()


def action_read(record: ActionItemRecord, *, today: dt.date, timezone: str) -> ActionItemRead:
    overdue = record.due is not None and record.due < today and (record.status or "todo") != "done"
    outside = False
    if record.due is not None and record.detected_at is not None and record.horizon:
        detected_on = record.detected_at.astimezone(ZoneInfo(timezone)).date()
        outside = not due_in_horizon(Horizon(record.horizon), record.due, detected_on)
    return ActionItemRead(
        postmortem_id=record.postmortem_id,
        postmortem_title=record.postmortem_title,
        number=record.number,
        horizon=record.horizon,
        task=record.task,
        owner=record.owner,
        due=record.due,
        status=record.status,
        overdue=overdue,
        outside_horizon=outside,
    )
