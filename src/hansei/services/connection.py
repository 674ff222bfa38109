"""The store as the web app and other callers above the services see it."""

from hansei.store import Database, open_database
from hansei.store.database import ReadTooLongError, within

__all__ = ["Database", "ReadTooLongError", "open_database", "within"]
