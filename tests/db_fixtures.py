"""Database fixtures: SQLite files and PostgreSQL databases of a test's (or session's) own.

A pytest plugin module: `pytest_plugins = ["tests.db_fixtures"]` in tests/conftest.py.
PostgreSQL comes from BLUEGREEN_TEST_POSTGRES_URL (else BLUEGREEN_DATABASE_URL when that
names a PostgreSQL server; default: the local server, database `test`); when it is unreachable
the tests skip, except in CI (CI=true), where they fail.

The release suites (engine integration, e2e) keep their history where `history_url` says: a
SQLite file of the test's own, or, when BLUEGREEN_DATABASE_URL points at PostgreSQL, a database
of the session's own on that server (`make test-postgres` runs them so).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from storage.database import normalize_url, safe_url
from storage.migrate import upgrade

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DATABASE_PREFIX = "bluegreen_test_"


def _configured_postgres_url() -> str:
    history = os.environ.get("BLUEGREEN_DATABASE_URL", "")
    fallback = history if history_on_postgres() else DEFAULT_POSTGRES_URL
    return os.environ.get("BLUEGREEN_TEST_POSTGRES_URL", fallback)


def history_on_postgres() -> bool:
    """Whether the release suites were asked to keep their history on PostgreSQL."""
    return os.environ.get("BLUEGREEN_DATABASE_URL", "").startswith("postgres")


def _admin(url: URL) -> URL:
    return url.set(query={**url.query, "connect_timeout": "5"})


def _execute(admin_url: URL, statement: str) -> None:
    engine = create_engine(_admin(admin_url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def _database_names(admin_url: URL) -> list[str]:
    engine = create_engine(_admin(admin_url))
    try:
        with engine.connect() as connection:
            query = text("SELECT datname FROM pg_database WHERE datname LIKE :prefix")
            return list(connection.scalars(query, {"prefix": DATABASE_PREFIX + "%"}))
    finally:
        engine.dispose()


def _drop_leftovers(admin_url: URL) -> None:
    """Drop databases of earlier sessions on this machine whose process is gone."""
    for name in _database_names(admin_url):
        pid = name.removeprefix(DATABASE_PREFIX).split("_")[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            _execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create_postgres_database(admin_url: URL) -> URL:
    """A new empty database on the server; its URL."""
    name = f"{DATABASE_PREFIX}{os.getpid()}_{secrets.token_hex(4)}"
    _execute(admin_url, f'CREATE DATABASE "{name}"')
    return admin_url.set(database=name)


def drop_postgres_database(admin_url: URL, url: URL) -> None:
    _execute(admin_url, f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')


def as_string(url: URL) -> str:
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_admin_url() -> URL:
    """The configured server, checked reachable: skip (fail in CI) when it is not."""
    url = normalize_url(_configured_postgres_url())
    try:
        _drop_leftovers(url)
    except (SQLAlchemyError, ImportError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        message = f"PostgreSQL not reachable at {safe_url(url)}: {reason}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture(scope="session")
def postgres_url(postgres_admin_url: URL) -> Iterator[str]:
    """A database of this test session's own, migrated to head, dropped at the end."""
    url = create_postgres_database(postgres_admin_url)
    try:
        upgrade(as_string(url))
        yield as_string(url)
    finally:
        drop_postgres_database(postgres_admin_url, url)


@pytest.fixture
def empty_postgres_url(postgres_url: str) -> str:
    """The session's database with every run, transition and event deleted."""
    engine = create_engine(postgres_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("TRUNCATE events, transitions, runs"))
    finally:
        engine.dispose()
    return postgres_url


@pytest.fixture
def fresh_postgres_url(postgres_admin_url: URL) -> Iterator[str]:
    """A brand-new database (no schema) for this test only."""
    url = create_postgres_database(postgres_admin_url)
    try:
        yield as_string(url)
    finally:
        drop_postgres_database(postgres_admin_url, url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite file of this test's own (not created yet: the store creates it)."""
    return f"sqlite:///{tmp_path / 'runs.db'}"


@pytest.fixture
def history_url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    """The release suites' history: SQLite of the test's own, or emptied PostgreSQL."""
    if history_on_postgres():
        return str(request.getfixturevalue("empty_postgres_url"))
    return sqlite_url


@pytest.fixture(scope="module")
def shared_history_url(request: pytest.FixtureRequest) -> str | None:
    """For module-wide scenarios: the session's PostgreSQL database, or None (SQLite files)."""
    return str(request.getfixturevalue("postgres_url")) if history_on_postgres() else None
