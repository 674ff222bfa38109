"""The store as the web app and other callers above the services see it."""

from hansei.store import Database, open_database

__all__ = ["Database", "open_database"]
