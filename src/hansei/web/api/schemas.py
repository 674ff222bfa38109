"""What the API reads and returns (names after Dispatch: Create / Update / Read / Page)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from hansei.metrics import Metrics
from hansei.model import Postmortem
from hansei.model.access import Role
from hansei.model.limits import MAX_REVISION
from hansei.web.parameters import FormLine


class PostmortemCreate(BaseModel):
    postmortem: Postmortem


class PostmortemUpdate(BaseModel):
    base_revision: int | None = Field(
        default=None,
        ge=1,
        le=MAX_REVISION,
        description="The revision the change started from (or send If-Match); "
        "409 if another was saved since, 428 if no revision is given at all.",
    )
    postmortem: Postmortem


class PostmortemRead(BaseModel):
    id: str
    revision: int
    updated_at: dt.datetime
    updated_by: str
    postmortem: Postmortem
    metrics: Metrics


class WriteRead(BaseModel):
    id: str
    outcome: str = Field(description="created, updated or unchanged")
    revision: int
    warnings: list[str] = []


class PostmortemSummaryRead(BaseModel):
    id: str
    title: str | None
    status: str
    severity: str | None
    author: str | None
    detected_at: dt.datetime | None
    downtime_minutes: float | None
    revision: int
    updated_at: dt.datetime
    services: list[str]


class PostmortemPage(BaseModel):
    items: list[PostmortemSummaryRead]
    total: int = Field(
        description="how many match: exact with no filter or `status` alone; with other "
        "filters counted up to 10,000, and 10,001 means more than that"
    )
    total_exact: bool = Field(description="false when counting stopped at 10,000")
    limit: int
    offset: int


class SearchHitRead(BaseModel):
    id: str
    title: str | None
    status: str
    severity: str | None
    detected_at: dt.datetime | None
    author: str | None
    services: list[str]
    snippet: str


class SearchPage(BaseModel):
    query: str
    items: list[SearchHitRead]
    limit: int
    offset: int


class FindingRead(BaseModel):
    line: int = Field(
        description="1-based line of hansei's Markdown rendition; for /lint, of the "
        "?format=md download"
    )
    code: str
    severity: str
    message: str


class CheckRead(BaseModel):
    metrics: Metrics
    findings: list[FindingRead]


class RevisionRead(BaseModel):
    number: int
    kind: str
    based_on: int | None
    created_at: dt.datetime
    created_by: str
    note: str | None
    current: bool


class DiffRead(BaseModel):
    old: int
    new: int
    diff: str = Field(description="unified diff of the two revisions' Markdown")


class RestoreCreate(BaseModel):
    revision: int = Field(ge=1, le=MAX_REVISION)


class ActionItemRead(BaseModel):
    postmortem_id: str
    postmortem_title: str | None
    number: int | None
    horizon: str | None
    task: str | None
    owner: str | None
    due: dt.date | None
    status: str | None
    issue_url: str | None = Field(
        default=None, description="the tracker issue that follows the item up"
    )
    overdue: bool
    outside_horizon: bool
    status_changed_by: str | None = None
    status_changed_at: dt.datetime | None = None


class UserRead(BaseModel):
    name: str
    role: str
    language: str | None


class UserCreate(BaseModel):
    name: str
    role: Role = Role.author
    password: str | None = Field(default=None, description="None: API tokens only")


class TokenCreate(BaseModel):
    label: FormLine = "token"
    password: str = Field(description="your password again: a stolen session alone makes none")


class TokenRead(BaseModel):
    id: int
    label: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


class TokenCreated(TokenRead):
    token: str = Field(description="shown this once; send as `Authorization: Bearer …`")
