"""The read commands' SQLite reader reads back exactly what the SQL store wrote, and steps
aside (to the SQL store) when the schema is behind or the file is missing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from engine.domain.errors import RunNotFoundError
from engine.domain.model import EventSource, RunId, State, Target
from engine.domain.ports.store import RunQuery
from storage.empty import EmptyHistory
from storage.history import open_history
from storage.sql import SqlRunStore, open_store
from storage.sqlite_reader import SqliteHistory
from tests.unit.storage.builders import T0, at, event, finish, make_run, transition

OTHER = Target(region="eu-west-1", app="cart", blue="cart-blue")


@pytest.fixture
def written(sqlite_url: str) -> tuple[SqlRunStore, SqliteHistory]:
    """A history with runs of two targets, their transitions and events (with data)."""
    store = open_store(sqlite_url)
    for minutes, target in enumerate([OTHER, *[None] * 3]):
        where = {"target": target} if target else {}
        run = make_run(
            id=RunId(f"abc{minutes:09d}"), created_at=at(minutes), updated_at=at(minutes), **where
        )
        store.create(run, "runner-a", 60)
        store.save(
            replace(run, state=State.CLONING, updated_at=at(minutes + 1)), "runner-a",
            transition(run, State.CLONING, minutes=minutes + 1),
            [event(run, "green launching", minutes + 1, environment="shop-green", n=minutes)],
        )  # fmt: skip
        if minutes < 3:
            finish(store, run.id, State.SUCCEEDED, minutes=minutes + 2)
    reader = SqliteHistory.open_current(Path(sqlite_url.removeprefix("sqlite:///")))
    assert reader is not None
    return store, reader


@pytest.mark.parametrize(
    "query",
    [
        RunQuery(),
        RunQuery(app="shop"),
        RunQuery(blue="cart-blue"),
        RunQuery(states=(State.CLONING,)),
        RunQuery(since=T0 + timedelta(minutes=2)),
        RunQuery(limit=2),
        RunQuery(limit=None),
    ],
)
def test_it_lists_what_the_sql_store_lists(
    written: tuple[SqlRunStore, SqliteHistory], query: RunQuery
) -> None:
    store, reader = written
    assert reader.list_runs(query) == store.list_runs(query)


def test_a_run_its_transitions_and_events_read_back_equal(
    written: tuple[SqlRunStore, SqliteHistory],
) -> None:
    store, reader = written
    for run in store.list_runs(RunQuery(limit=None)):
        assert reader.get(run.id) == store.get(run.id)
        assert reader.transitions(run.id) == store.transitions(run.id)
        assert reader.events(run.id) == store.events(run.id)
    events = reader.events(RunId("abc000000003"))
    assert events[0].source is EventSource.ENGINE and events[0].data["n"] == 3


def test_prefixes_resolve_or_are_refused_like_the_sql_store(
    written: tuple[SqlRunStore, SqliteHistory],
) -> None:
    store, reader = written
    assert reader.get(RunId("abc000000002")) == store.get(RunId("abc000000002"))
    for bad in ("abc", "abc0", "zzzzzz"):  # too short, ambiguous, unknown
        with pytest.raises(RunNotFoundError) as by_store:
            store.get(RunId(bad))
        with pytest.raises(RunNotFoundError) as by_reader:
            reader.get(RunId(bad))
        assert str(by_reader.value) == str(by_store.value)


def test_it_only_reads(written: tuple[SqlRunStore, SqliteHistory]) -> None:
    _, reader = written
    with pytest.raises(Exception, match="only reads"):
        reader.prune(T0)


def test_open_history_reads_a_current_file_with_the_reader_and_a_missing_one_as_empty(
    sqlite_url: str, tmp_path: Path
) -> None:
    open_store(sqlite_url).close()
    assert isinstance(open_history(sqlite_url), SqliteHistory)
    assert isinstance(open_history(sqlite_url, sql=True), SqlRunStore)
    missing = f"sqlite:///{tmp_path / 'nothing-here.db'}"
    assert isinstance(open_history(missing), EmptyHistory)
    assert not (tmp_path / "nothing-here.db").exists()


def test_a_history_behind_the_scripts_is_migrated_through_the_sql_store(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    with store.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'older'")
    store.close()
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    assert SqliteHistory.open_current(path) is None
