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
        return type(self)(self.message, line=self.line, field=self.field, source=source)

    def __str__(self) -> str:
        where = self.source or "<document>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        field = f" ({self.field})" if self.field else ""
        return f"{where}: {self.message}{field}"


class TooLargeError(DocumentError):
    """A document over a size limit (bytes, lines, line length, table cells): refused
    before it is read, the message naming the limit and the setting that raises it."""


class UnreadableDocumentError(HanseiError):
    """A stored document that the model refuses (written by an older version, before the
    bounds): the one document is reported, and whatever reads many goes on with the rest."""

    def __init__(
        self, postmortem_id: str | None, revision: int | None, problem: str, field: str | None
    ) -> None:
        where = f"postmortem {postmortem_id}" if postmortem_id else "a stored postmortem"
        if revision is not None:
            where += f" revision {revision}"
        at = f" ({field})" if field else ""
        super().__init__(f"{where} cannot be read: {problem}{at}")
        self.postmortem_id = postmortem_id
        self.revision = revision
        self.problem = problem
        self.field = field


class UsageError(HanseiError):
    """A command was called with arguments that do not fit."""


class SettingsError(HanseiError):
    """A HANSEI_* setting has a value that cannot be used."""


class NotFoundError(HanseiError):
    """A postmortem or revision that the store does not hold."""


class ConflictError(HanseiError):
    """An update that started from a revision that is no longer the current one.

    Nothing is lost: the refused version is kept as revision `kept_revision`.
    """

    def __init__(
        self, postmortem_id: str, *, base: int, current: int, kept_revision: int | None
    ) -> None:
        kept = f"; your version is kept as revision {kept_revision}" if kept_revision else ""
        super().__init__(
            f"postmortem {postmortem_id} is at revision {current}, "
            f"but the update started from revision {base}{kept}"
        )
        self.postmortem_id = postmortem_id
        self.base = base
        self.current = current
        self.kept_revision = kept_revision


class StoreError(HanseiError):
    """The database cannot be used as it is (unreachable, or its schema is out of date)."""


class AuthenticationError(HanseiError):
    """A sign-in with a wrong name or password, or a token that is unknown or revoked."""


class RateLimitedError(HanseiError):
    """Too many failed sign-ins: the next attempt is accepted after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins; try again in {retry_after} seconds")
        self.retry_after = retry_after


class PermissionDeniedError(HanseiError):
    """A signed-in user whose role does not allow the action."""


class TransitionError(HanseiError):
    """A review step that the document's state, the user's part or its findings forbid."""


class DeliveryError(HanseiError):
    """A service hansei posts to (Slack, GitHub) did not take what was sent."""
