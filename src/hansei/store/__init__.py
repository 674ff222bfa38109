"""The database: tables, migrations, the repository of postmortems, search and queries.

Only the services layer uses it; nothing here opens a connection until asked.
"""

from hansei.store.database import Database, create_engine, describe, open_database, sqlite_file

__all__ = ["Database", "create_engine", "describe", "open_database", "sqlite_file"]
