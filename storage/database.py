"""Where the run history lives and how to connect to it: URLs, engines, SQLite's settings.

SQLite (the default) runs in WAL mode with a busy timeout and `BEGIN IMMEDIATE` for writes,
so concurrent runners on one machine queue instead of failing with "database is locked".
"""

from __future__ import annotations

import ipaddress
import os
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError, StatementError
from sqlalchemy.pool import ConnectionPoolEntry

from engine.domain.errors import ConfigurationError, StoreError
from storage.locations import default_database_url
from storage.plain_errors import in_plain_words

STATE_DIR_MODE = 0o700
DB_FILE_MODE = 0o600
SQLITE_BUSY_TIMEOUT_MS = 30_000
# Execution option a reader sets to open a deferred (shared) transaction on SQLite.
SQLITE_BEGIN_OPTION = "bluegreen_sqlite_begin"


def missing_sqlite_file(url: str | None) -> Path | None:
    """The SQLite file `url` (None: the default) names, when it does not exist yet; else None
    (it exists, or the URL is not a SQLite file)."""
    parsed = parse_url(url or default_database_url())
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database)
    return None if path.exists() else path


def parse_url(url: str | URL) -> URL:
    """A database URL parsed; ConfigurationError (without the text: it may hold a password)
    when it is not one."""
    try:
        return make_url(url)
    except ArgumentError:
        raise ConfigurationError(
            "the database URL is not a SQLAlchemy URL: use e.g. sqlite:////path/to/runs.db "
            "or postgresql://user@host/database"
        ) from None


def normalize_url(url: str | URL, environ: Mapping[str, str] | None = None) -> URL:
    """Parse a database URL; PostgreSQL URLs always use the psycopg (3) driver and verify
    the server's certificate unless they are on loopback or say otherwise."""
    parsed = parse_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return with_tls_verification(parsed, os.environ if environ is None else environ)


def with_tls_verification(parsed: URL, environ: Mapping[str, str]) -> URL:
    """`sslmode=verify-full` for a PostgreSQL server off this machine: libpq's default
    (`prefer`) encrypts without checking who answers, so a password and the history could
    go to anyone in the path. An explicit `sslmode` (URL or PGSSLMODE) is kept as given."""
    if parsed.get_backend_name() != "postgresql" or "sslmode" in parsed.query:
        return parsed
    if environ.get("PGSSLMODE") or _is_local(parsed):
        return parsed
    return parsed.update_query_dict({"sslmode": "verify-full"})


def _is_local(parsed: URL) -> bool:
    """Loopback or a Unix socket (no host, `/path`, or `?host=/path`): no network between."""
    query_host = parsed.query.get("host")
    host = parsed.host or (query_host if isinstance(query_host, str) else None) or ""
    if not host or host.startswith("/") or host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def safe_url(url: str | URL) -> str:
    """The URL as it may appear in messages and logs: the password masked."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str | URL) -> Engine:
    """An engine for `url`; SQLite files are created private (0600 in a 0700 directory).
    ConfigurationError when the URL names a database or driver that is not installed."""
    parsed = normalize_url(url)
    try:
        return _make_engine(parsed)
    except (ArgumentError, ImportError) as exc:
        raise ConfigurationError(f"cannot use the database URL {safe_url(parsed)}: {exc}") from exc


def _make_engine(parsed: URL) -> Engine:
    if parsed.get_backend_name() != "sqlite":
        # A server that does not answer must not hang a cron runner forever.
        timeout = {} if "connect_timeout" in parsed.query else {"connect_timeout": 10}
        return create_engine(parsed, pool_pre_ping=True, connect_args=timeout)
    if parsed.database and parsed.database != ":memory:" and not parsed.query.get("uri"):
        try:
            _create_private_file(Path(parsed.database))
        except OSError as exc:
            raise StoreError(
                f"cannot create the run store {parsed.database}: {in_plain_words(str(exc))}"
            ) from exc
    engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _create_private_file(path: Path) -> None:
    """Create the file (and missing directories) readable by its owner only."""
    missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
    for directory in reversed(missing):
        directory.mkdir(mode=STATE_DIR_MODE, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, DB_FILE_MODE))


def _configure_sqlite_connection(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # Take BEGIN away from the sqlite3 module (its legacy mode begins too late and never
    # for DDL); `_begin_sqlite_transaction` emits it (SQLAlchemy's documented recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        _switch_to_wal(cursor)
    finally:
        cursor.close()


def _switch_to_wal(cursor: Any) -> None:
    # WAL is a property of the file, so this only runs on a new database; the switch needs
    # the file to itself and fails at once with "database is locked" (the busy handler does
    # not apply) while another new connection holds it: retry until the busy timeout.
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    pause = 0.005
    while cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() not in ("wal", "memory"):
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


def _begin_sqlite_transaction(connection: Connection) -> None:
    # IMMEDIATE takes the write lock up front, waiting for it under busy_timeout; a deferred
    # transaction that later writes can fail at once with "database is locked" instead.
    mode = connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "IMMEDIATE")
    connection.exec_driver_sql(f"BEGIN {mode}")


def describe(error: SQLAlchemyError) -> str:
    """The driver's own words for a database error, without SQLAlchemy's statement dump."""
    cause = error.orig if isinstance(error, StatementError) and error.orig else error
    noise = ("[SQL", "[parameters", "(Background")
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    kept = [line for line in lines if not line.startswith(noise)]
    return in_plain_words(" ".join(kept[:2]) or type(cause).__name__)
