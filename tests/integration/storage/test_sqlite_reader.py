"""The read commands' SQLite reader reads back exactly what the SQL store wrote (runs, their
history, the worker pool as SqlRunQueue reads it), and steps aside (to the SQL store) when the
schema is behind or the file is missing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from engine.domain.errors import RunNotFoundError
from engine.domain.model import EventSource, RunId, State, Target
from engine.domain.ports.queue import WorkerInfo
from engine.domain.ports.store import RunQuery
from storage.empty import EmptyHistory
from storage.history import open_history, pool_of
from storage.queue import SqlRunQueue
from storage.sql import SqlRunStore, open_store
from storage.sqlite_reader import SqliteHistory
from tests.fakes import FakeClock
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


@dataclass
class Pool:
    """One SQLite file seen by both: the SQL store's queue and the reader."""

    store: SqlRunStore
    queue: SqlRunQueue
    reader: SqliteHistory
    clock: FakeClock

    def put(self, name: str, state: State, lease: tuple[str, float] | None = None) -> RunId:
        """A run of its own target, created a second after the last one, its lease then left
        to `lease` (owner, seconds) or freed."""
        self.clock.advance(1)
        return self.put_at(self.clock.now(), name, state, lease)

    def put_at(
        self, created: datetime, name: str, state: State, lease: tuple[str, float] | None = None
    ) -> RunId:
        target = Target(region="eu-west-1", app=name, blue=f"{name}-blue")
        run = make_run(id=RunId(name), target=target, state=state, created_at=created)
        self.store.create(run, "submitter", 60)
        self.store.release(run.id, "submitter")
        if lease is not None:
            self.store.acquire(run.id, *lease)
        return run.id

    def worker(self, id: str, host: str, pid: int) -> None:
        now = self.clock.now()
        self.queue.register(WorkerInfo(id, host, pid, 4, now, now))


@pytest.fixture
def pool(sqlite_url: str, clock: FakeClock) -> Iterator[Pool]:
    store = open_store(sqlite_url, clock.now)
    reader = SqliteHistory.open_current(Path(sqlite_url.removeprefix("sqlite:///")), clock.now)
    assert reader is not None
    yield Pool(store, SqlRunQueue(store.engine, clock.now), reader, clock)
    reader.close()
    store.close()


LIVE, SHORT = 600.0, 10.0  # lease seconds: still live, and run out, 30 s after the last put


def fill_pool(pool: Pool) -> list[RunId]:
    """Leases of every kind on runs of every kind, and three workers (one draining, one
    holding nothing). Returns the runs a worker may claim, oldest first."""
    put = pool.put
    queued = put("queued", State.QUEUED)
    same_time = pool.put_at(pool.clock.now(), "a-queued-at-the-same-time", State.QUEUED)
    put("queued-live", State.QUEUED, ("worker-a", LIVE))
    queued_expired = put("queued-expired", State.QUEUED, ("gone", SHORT))
    put("cloning-live", State.CLONING, ("worker-a", LIVE))
    cloning_expired = put("cloning-expired", State.CLONING, ("gone", SHORT))
    put("cloning-released", State.CLONING)  # an operator's to resume, not a worker's
    handed_over = put("deploying-handed-over", State.DEPLOYING, ("worker-b", LIVE))
    put("awaiting-cutover", State.AWAITING_CUTOVER, ("gone", SHORT))
    put("failed", State.FAILED, ("gone", SHORT))
    put("succeeded", State.SUCCEEDED, ("worker-b", LIVE))  # final, yet its lease counts
    for worker, host, pid in (("worker-a", "h1", 2), ("worker-b", "h1", 1), ("idle", "h0", 9)):
        pool.worker(worker, host, pid)
    pool.clock.advance(30)
    pool.queue.beat("worker-b", draining=True)
    pool.store.release(handed_over, "worker-b")
    pool.queue.hand_over(handed_over, "worker-b")  # its lease ends now: claimable at once
    return [same_time, queued, queued_expired, cloning_expired, handed_over]


def test_the_reader_reads_workers_and_queue_as_the_sql_queue_does(pool: Pool) -> None:
    claimable = fill_pool(pool)
    assert pool.reader.workers() == pool.queue.workers()
    assert pool.reader.queued() == pool.queue.queued()
    held = [(w.id, w.runs_held, w.draining) for w in pool.reader.workers()]
    assert held == [("idle", 0, False), ("worker-b", 1, True), ("worker-a", 2, False)]
    assert all(type(w.draining) is bool for w in pool.reader.workers())  # 1 == True: JSON 1
    assert [run.id for run in pool.reader.queued()] == claimable


def test_once_every_lease_ran_out_both_still_agree(pool: Pool) -> None:
    claimable = fill_pool(pool)
    pool.clock.advance(LIVE)
    assert pool.reader.workers() == pool.queue.workers()
    assert {worker.runs_held for worker in pool.reader.workers()} == {0}
    assert pool.reader.queued() == pool.queue.queued()
    assert len(pool.reader.queued()) == len(claimable) + 2  # queued-live, cloning-live


def test_a_run_claimed_from_the_queue_leaves_it_for_the_reader_too(pool: Pool) -> None:
    oldest, *rest = fill_pool(pool)
    claimed = pool.queue.claim("worker-a", 60, "eu-west-1")
    assert claimed is not None and claimed.id == oldest
    assert [run.id for run in pool.reader.queued()] == rest
    assert pool.reader.queued() == pool.queue.queued()
    assert pool.reader.workers() == pool.queue.workers()


def test_a_current_sqlite_file_is_its_own_pool_and_a_missing_one_has_none(
    sqlite_url: str, tmp_path: Path
) -> None:
    open_store(sqlite_url).close()
    reader = open_history(sqlite_url)
    assert pool_of(reader) is reader
    sql_store = open_history(sqlite_url, sql=True)
    assert isinstance(pool_of(sql_store), SqlRunQueue)
    assert pool_of(open_history(f"sqlite:///{tmp_path / 'nothing-here.db'}")) is None
