"""The run queue on real SQLite and PostgreSQL: concurrent claims take each run exactly once;
expired and handed-over leases are claimable, live ones and parked runs are not."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest

from engine.domain.model import HealthCheck, Mode, Run, RunId, State, Target
from storage.queue import SqlRunQueue
from storage.sql import SqlRunStore, open_store
from tests.fakes import FakeClock

CLAIMERS = 8
RUNS = 12


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def stores(
    request: pytest.FixtureRequest, clock: FakeClock
) -> Iterator[tuple[SqlRunStore, SqlRunQueue]]:
    fixture = "sqlite_url" if request.param == "sqlite" else "empty_postgres_url"
    store = open_store(request.getfixturevalue(fixture), clock.now)
    yield store, SqlRunQueue(store.engine, clock.now)
    store.close()


def queued(store: SqlRunStore, clock: FakeClock, n: int, state: State = State.QUEUED) -> Run:
    run = Run(
        id=RunId(f"run{n:04d}"), target=Target("us-east-1", f"app{n}", f"app{n}-blue"),
        green=f"app{n}-green", mode=Mode.FULL, version_label="v2", health=HealthCheck(),
        state=state, created_at=clock.now() + timedelta(seconds=n), updated_at=clock.now(),
    )  # fmt: skip
    store.create(run, "submitter", 60)
    store.release(run.id, "submitter")
    return run


def test_concurrent_workers_each_claim_different_runs_and_every_run_once(
    stores: tuple[SqlRunStore, SqlRunQueue], clock: FakeClock
) -> None:
    store, queue = stores
    for n in range(RUNS):
        queued(store, clock, n)
    taken: list[str] = []
    lock = threading.Lock()

    def claim_all(worker: int) -> None:
        while (run := queue.claim(f"worker-{worker}", 60, "us-east-1")) is not None:
            with lock:
                taken.append(run.id)

    threads = [threading.Thread(target=claim_all, args=(w,)) for w in range(CLAIMERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(taken) == [f"run{n:04d}" for n in range(RUNS)]
    assert queue.queued() == []


def test_a_live_lease_is_not_claimable_an_expired_or_handed_over_one_is(
    stores: tuple[SqlRunStore, SqlRunQueue], clock: FakeClock
) -> None:
    store, queue = stores
    run = queued(store, clock, 1)
    assert queue.claim("a", 10, "us-east-1") is not None
    assert queue.claim("b", 10, "us-east-1") is None

    clock.advance(11)
    again = queue.claim("b", 10, "us-east-1")
    store.release(run.id, "b")
    queue.hand_over(run.id, "b")

    assert again is not None and again.lease_owner == "b"
    assert [r.id for r in queue.queued()] == [run.id]


def test_a_run_the_worker_still_drives_is_not_claimed_again_even_when_its_lease_looks_expired(
    stores: tuple[SqlRunStore, SqlRunQueue], clock: FakeClock
) -> None:
    store, queue = stores
    first, second = queued(store, clock, 1), queued(store, clock, 2)
    claimed = queue.claim("w", 10, "us-east-1", driving=[])
    assert claimed is not None and claimed.id == first.id
    clock.advance(11)  # w's heartbeat was late: first's lease ran out in the database

    taken = queue.claim("w", 10, "us-east-1", driving=[first.id])

    assert taken is not None and taken.id == second.id
    assert queue.claim("w", 10, "us-east-1", driving=[first.id, second.id]) is None
    other = queue.claim("other", 10, "us-east-1", driving=[second.id])  # w's list is w's own
    assert other is not None and (other.id, other.lease_owner) == (first.id, "other")


def test_runs_of_another_region_or_waiting_for_an_operator_are_left_alone(
    stores: tuple[SqlRunStore, SqlRunQueue], clock: FakeClock
) -> None:
    store, queue = stores
    queued(store, clock, 1)
    parked = queued(store, clock, 2, State.AWAITING_CUTOVER)
    store.acquire(parked.id, "gone", 1)
    clock.advance(5)

    assert queue.claim("w", 10, "eu-west-1") is None
    assert queue.claim("w", 10, "us-east-1") is not None
    assert queue.claim("w", 10, "us-east-1") is None
