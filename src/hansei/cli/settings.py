"""The settings as a command sees them: read once per command, an error ends it."""

from __future__ import annotations

from hansei.cli.output import fail
from hansei.config import Settings, load_settings
from hansei.errors import SettingsError


def command_settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as error:
        fail(f"hansei: {error}")
