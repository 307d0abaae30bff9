"""Database fixtures: SQLite files and PostgreSQL databases of a test's (or session's) own.

A pytest plugin module: `pytest_plugins = ["tests.db_fixtures"]` in tests/conftest.py.
PostgreSQL comes from BLUEGREEN_TEST_POSTGRES_URL (default: the local server, database
`test`); when it is unreachable the tests skip, except in CI (CI=true), where they fail.
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
    url = normalize_url(os.environ.get("BLUEGREEN_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))
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
