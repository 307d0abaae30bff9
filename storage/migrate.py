"""Alembic migrations applied from code, on first use, from a checkout or from a wheel.

The scripts live in `<repo>/alembic` in a checkout and in `storage/migrations` in a wheel
(pyproject force-includes them there). Concurrent upgrades are serialized by the database:
SQLite's `BEGIN IMMEDIATE`, PostgreSQL's transaction-scoped advisory lock. Alembic itself is
imported only when the schema is behind: a read command on a current history never loads it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from engine.domain.errors import StoreError
from storage.database import SQLITE_BEGIN_OPTION, describe, make_engine, safe_url
from storage.revisions import head_revisions, script_location

if TYPE_CHECKING:
    from alembic.config import Config

# pg_advisory_xact_lock key shared by every runner migrating the same database ("bluegre").
MIGRATION_LOCK_KEY = 0x626C7565677265


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration built in code; env.py migrates over `connection` if given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location()).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def current_revisions(engine: Engine) -> set[str]:
    """The revisions the database is at (none for a new database)."""
    with engine.connect() as connection:
        connection.execution_options(**{SQLITE_BEGIN_OPTION: "DEFERRED"})
        if not inspect(connection).has_table("alembic_version"):
            return set()
        rows = connection.execute(text("SELECT version_num FROM alembic_version"))
        return {str(row[0]) for row in rows}


def upgrade(target: Engine | str) -> None:
    """Bring the database's schema to the newest revision (a no-op when it is there)."""
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        if current_revisions(engine) != head_revisions():
            _upgrade_serialized(engine)
    except SQLAlchemyError as exc:
        where = safe_url(engine.url)
        raise StoreError(f"cannot migrate the run store at {where}: {describe(exc)}") from exc
    finally:
        if isinstance(target, str):
            engine.dispose()


def _upgrade_serialized(engine: Engine) -> None:
    from alembic import command

    # One transaction: on SQLite it begins IMMEDIATE (see storage.database), so a second
    # process waits for the first and then finds the schema at head; PostgreSQL takes a lock.
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            lock = text("SELECT pg_advisory_xact_lock(:key)")
            connection.execute(lock, {"key": MIGRATION_LOCK_KEY})
        command.upgrade(alembic_config(connection), "head")
