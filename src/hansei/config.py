"""Settings, read from HANSEI_* environment variables by load_settings() only.

Nothing reads the environment at import time; callers build the settings once
and pass them on.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)

from hansei.errors import SettingsError

ENV_PREFIX = "HANSEI_"


def find_zone(name: str) -> ZoneInfo | None:
    """The zone an IANA name names (tzdata ships with hansei); None for any other text.

    ZoneInfo reads a file named by the text: a folder of the database (`Asia`) or a
    name too long for a file raises OSError, not ZoneInfoNotFoundError.
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def known_timezone(value: str) -> str:
    """An IANA timezone name this machine knows."""
    if find_zone(value) is None:
        raise ValueError(f"unknown timezone {value!r}")
    return value


TimezoneName = Annotated[str, AfterValidator(known_timezone)]


class DocumentLimits(BaseModel):
    """How large a postmortem may be: far beyond any real one, small enough that reading,
    linting and rendering one stays well under a second (bench/pathological.py)."""

    model_config = ConfigDict(frozen=True)

    max_bytes: int = Field(default=1_000_000, gt=0)
    max_lines: int = Field(default=10_000, gt=0)
    max_line_chars: int = Field(default=20_000, gt=0)
    max_table_cells: int = Field(default=10_000, gt=0)


DEFAULT_LIMITS = DocumentLimits()


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    timezone: TimezoneName = Field(
        default="Asia/Tokyo", description="Default timezone of new documents."
    )
    language: str = Field(default="ja", description="Default language of new documents (ja|en).")
    # The model's bounds (model/limits.py; config sits below the model, so repeated here).
    slo_target: float = Field(
        default=0.999, gt=0, le=0.999_999, description="Default SLO target (at most 99.9999%)."
    )
    slo_window_days: int = Field(
        default=30, gt=0, le=3_660, description="Default SLO window in days (at most 3,660)."
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the store (default: hansei.db in the user's data folder).",
    )
    user: str | None = Field(
        default=None,
        description="Who the command line saves as (default: the login name).",
    )
    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Where the web app is reached: links in reminders point there.",
    )
    slack_webhook_url: str | None = Field(
        default=None,
        description="Slack incoming webhook for `hansei remind` (unset: it prints instead).",
    )
    github_api_url: str = Field(
        default="https://api.github.com",
        description="GitHub's REST API for `hansei actions export` "
        "(GitHub Enterprise Server: https://HOST/api/v3).",
    )
    github_token: SecretStr | None = Field(
        default=None,
        description="Token that may create issues, for `hansei actions export` "
        "(default: GITHUB_TOKEN).",
    )
    review_needs_clean_lint: bool = Field(
        default=True,
        description="Refuse asking for a review and approving while lint errors remain.",
    )

    max_document_bytes: int = Field(
        default=DEFAULT_LIMITS.max_bytes,
        gt=0,
        description="Largest postmortem read, in bytes of UTF-8: a file, an upload, a request "
        "body (a form may be three times as large, for its percent-encoding).",
    )
    max_document_lines: int = Field(
        default=DEFAULT_LIMITS.max_lines, gt=0, description="Most lines in one postmortem."
    )
    max_line_chars: int = Field(
        default=DEFAULT_LIMITS.max_line_chars,
        gt=0,
        description="Longest line of a postmortem, in characters.",
    )
    max_table_cells: int = Field(
        default=DEFAULT_LIMITS.max_table_cells,
        gt=0,
        description="Most table cells in one postmortem, all its tables together.",
    )

    def document_limits(self) -> DocumentLimits:
        return DocumentLimits(
            max_bytes=self.max_document_bytes,
            max_lines=self.max_document_lines,
            max_line_chars=self.max_line_chars,
            max_table_cells=self.max_table_cells,
        )

    def resolved_database_url(self) -> str:
        """The configured URL, else a SQLite file in the user's data folder."""
        if self.database_url:
            return self.database_url
        folder = Path(platformdirs.user_data_dir("hansei", appauthor=False))
        return f"sqlite:///{folder / 'hansei.db'}"

    def resolved_user(self) -> str:
        """Who saves: HANSEI_USER, else the login name of this process."""
        if self.user:
            return self.user
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return "unknown"

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in ("ja", "en"):
            raise ValueError("language must be 'ja' or 'en'")
        return value


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build the settings from HANSEI_* variables (default: the process environment)."""
    source = os.environ if environ is None else environ
    values = {
        name: source[ENV_PREFIX + name.upper()]
        for name in Settings.model_fields
        if ENV_PREFIX + name.upper() in source
    }
    try:
        return Settings.model_validate(values)
    except ValidationError as error:
        problem = error.errors()[0]
        variable = ENV_PREFIX + str(problem["loc"][0]).upper() if problem["loc"] else ENV_PREFIX
        raise SettingsError(f"{variable}: {problem['msg']}") from error
