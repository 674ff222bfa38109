"""The error hierarchy: every error hansei raises on purpose is a HanseiError."""

from __future__ import annotations


class HanseiError(Exception):
    """Base of every error hansei reports to a user instead of a traceback."""


class DocumentError(HanseiError):
    """A document that cannot be read, with the place that is wrong.

    `str()` gives the `file:line: message` form that the CLI prints.
    """

    def __init__(
        self,
        message: str,
        *,
        line: int | None = None,
        field: str | None = None,
        source: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.field = field
        self.source = source

    def with_source(self, source: str) -> DocumentError:
        return DocumentError(self.message, line=self.line, field=self.field, source=source)

    def __str__(self) -> str:
        where = self.source or "<document>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        field = f" ({self.field})" if self.field else ""
        return f"{where}: {self.message}{field}"


class UsageError(HanseiError):
    """A command was called with arguments that do not fit."""


class SettingsError(HanseiError):
    """A HANSEI_* setting has a value that cannot be used."""
