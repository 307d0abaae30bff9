"""Opening the run history for the read commands: no adapter but the database's is loaded."""

from __future__ import annotations

from engine.domain.ports.queue import RunQueue
from engine.domain.ports.store import RunHistory
from storage.database import missing_sqlite_file
from storage.empty import EmptyHistory
from storage.queue import SqlRunQueue
from storage.sql import SqlRunStore, open_store


def queue_of(history: RunHistory) -> RunQueue | None:
    """The worker pool's view of a SQL history (workers, queue); None for an empty one."""
    return SqlRunQueue(history.engine) if isinstance(history, SqlRunStore) else None


def open_history(database_url: str | None) -> RunHistory:
    """The history at a URL (default: this user's SQLite file), migrated if it must be; a
    SQLite history that does not exist yet reads as empty (nothing is created)."""
    if missing_sqlite_file(database_url) is not None:
        return EmptyHistory()
    return open_store(database_url)
