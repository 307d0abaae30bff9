"""Opening the run history for the read commands: no adapter but the database's is loaded.

A current SQLite history is read through the standard library (`storage.sqlite_reader`), its
worker pool too (`status`, `workers`); a history that needs migrating, another database, and
commands that write (`prune`) go through the SQL store.
"""

from __future__ import annotations

from pathlib import Path

from engine.domain.ports.queue import WorkerPool
from engine.domain.ports.store import RunHistory
from storage.empty import EmptyHistory
from storage.locations import default_database_url
from storage.sqlite_reader import SqliteHistory

PLAIN_SQLITE = "sqlite:///"


def pool_of(history: RunHistory) -> WorkerPool | None:
    """The worker pool of a history (workers, queue); None for one that does not exist yet."""
    if isinstance(history, SqliteHistory):
        return history
    if isinstance(history, EmptyHistory):
        return None
    from storage.queue import SqlRunQueue
    from storage.sql import SqlRunStore

    return SqlRunQueue(history.engine) if isinstance(history, SqlRunStore) else None


def open_history(database_url: str | None, sql: bool = False) -> RunHistory:
    """The history at a URL (default: this user's SQLite file), migrated if it must be; a
    SQLite history that does not exist yet reads as empty (nothing is created). `sql`: the
    SQL store even for a current SQLite file (to write)."""
    path = _plain_sqlite_file(database_url or default_database_url())
    if path is not None and not path.exists():
        return EmptyHistory()
    if path is not None and not sql and (reader := SqliteHistory.open_current(path)):
        return reader
    from storage.database import missing_sqlite_file
    from storage.sql import open_store

    if missing_sqlite_file(database_url) is not None:
        return EmptyHistory()
    return open_store(database_url)


def _plain_sqlite_file(url: str) -> Path | None:
    """The file of a plain `sqlite:///PATH` URL (no driver, no query); None for anything else,
    which SQLAlchemy's URL parsing handles."""
    if not url.startswith(PLAIN_SQLITE) or "?" in url:
        return None
    name = url.removeprefix(PLAIN_SQLITE)
    return None if name in ("", ":memory:") else Path(name)
