"""The embedded SQLite database: where it lives, who may read it, how it takes its locks."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from engine.domain.errors import StoreError
from storage.locations import default_database_path
from storage.sql import SqlRunStore, open_store
from tests.unit.storage.builders import event as history_event
from tests.unit.storage.builders import make_run


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_default_database_is_a_private_file_in_a_private_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    store = open_store()
    try:
        store.create(make_run(), "runner-a", 60)
        database = tmp_path / "state" / "bluegreen" / "runs.db"
        assert default_database_path() == database
        assert mode(database) == 0o600
        assert mode(database.parent) == mode(database.parent.parent) == 0o700
        assert mode(database.with_name("runs.db-wal")) == 0o600
    finally:
        store.close()


def test_an_existing_database_file_keeps_its_permissions(tmp_path: Path) -> None:
    database = tmp_path / "shared.db"
    database.touch(mode=0o640)
    database.chmod(0o640)
    open_store(f"sqlite:///{database}").close()
    assert mode(database) == 0o640


def test_connections_use_wal_a_busy_timeout_and_foreign_keys(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        with store.engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA busy_timeout").scalar() == 30_000
            assert pragma("PRAGMA foreign_keys").scalar() == 1
    finally:
        store.close()


def begins(store: SqlRunStore) -> list[str]:
    """Records the BEGIN statements the store's engine sends."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        statement = args[2]
        if statement.startswith("BEGIN"):
            seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", record)
    return seen


def test_writes_take_the_write_lock_up_front_and_reads_do_not(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        seen = begins(store)
        run = make_run()
        store.create(run, "runner-a", 60)
        store.add_events([history_event(run, "written")])
        assert seen == ["BEGIN IMMEDIATE", "BEGIN IMMEDIATE"]
        seen.clear()
        store.get(run.id)
        store.events(run.id)
        assert seen == ["BEGIN DEFERRED", "BEGIN DEFERRED"]
    finally:
        store.close()


def test_a_database_that_cannot_be_opened_is_a_store_error_without_the_password() -> None:
    with pytest.raises(StoreError) as failed:
        open_store("postgresql://deployer:s3cret-pw@127.0.0.1:1/history")
    assert "s3cret-pw" not in str(failed.value)
    assert "postgresql+psycopg://deployer:***@127.0.0.1:1/history" in str(failed.value)


def test_a_sqlite_file_in_an_unwritable_place_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    with pytest.raises(StoreError):
        open_store(f"sqlite:///{blocker / 'runs.db'}")
