"""Alembic migrations applied from code, on first use, from a checkout or from a wheel.

The scripts live in `<repo>/alembic` in a checkout and in `storage/migrations` in a wheel
(pyproject force-includes them there). Concurrent upgrades are serialized by the database:
SQLite's `BEGIN IMMEDIATE`, PostgreSQL's transaction-scoped advisory lock.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from engine.domain.errors import StoreError
from storage.database import SQLITE_BEGIN_OPTION, describe, make_engine, safe_url

# pg_advisory_xact_lock key shared by every runner migrating the same database ("bluegre").
MIGRATION_LOCK_KEY = 0x626C7565677265


def script_location() -> Path:
    """The migration scripts: packaged in the wheel, or the checkout's `alembic/`."""
    here = Path(__file__).resolve().parent
    candidates = (here / "migrations", here.parent / "alembic")
    for candidate in candidates:
        if (candidate / "env.py").is_file():
            return candidate
    looked = " and ".join(str(c) for c in candidates)
    raise StoreError(f"the run store's migration scripts are missing (looked in {looked})")


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration built in code; env.py migrates over `connection` if given."""
    config = Config()
    config.set_main_option("script_location", str(script_location()).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def head_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        connection.execution_options(**{SQLITE_BEGIN_OPTION: "DEFERRED"})
        return set(MigrationContext.configure(connection).get_current_heads())


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
    # One transaction: on SQLite it begins IMMEDIATE (see storage.database), so a second
    # process waits for the first and then finds the schema at head; PostgreSQL takes a lock.
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            lock = text("SELECT pg_advisory_xact_lock(:key)")
            connection.execute(lock, {"key": MIGRATION_LOCK_KEY})
        command.upgrade(alembic_config(connection), "head")
