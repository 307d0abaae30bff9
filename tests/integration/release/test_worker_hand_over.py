"""A worker whose drive stops mid-release for a reason that passes (the database failed, the
lease ran out locally) hands the run over instead of leaving it released, so a worker (this
one here) continues it; what needs an operator stays the operator's.

Real SQLite history and queue, scripted step actions on the fake cloud, a real worker thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, update

from engine.domain.errors import StoreError
from engine.domain.health_urls import SecretNotStored
from engine.domain.model import Run, RunId, State, Trigger
from engine.domain.step import StepContext
from engine.release.drive import Services
from engine.release.fence import LeaseExpiredError
from engine.release.runner import Runner
from engine.release.worker import Worker, WorkerOptions
from storage.models import RunRow
from storage.queue import SqlRunQueue
from storage.sql import SqlRunStore, open_store
from tests.unit.release.harness import Behaviour, Harness

WAIT_SECONDS = 20.0  # a bound, not a timing: the runs here finish in well under a second


@pytest.fixture
def history(sqlite_url: str) -> Iterator[SqlRunStore]:
    store = open_store(sqlite_url)
    yield store
    store.close()


class FlakyHandOvers(SqlRunQueue):
    """The SQL queue, whose first `refused` hand-overs fail as a database outage would."""

    def __init__(self, engine: Engine, refused: int) -> None:
        super().__init__(engine)
        self.refused = refused
        self.hand_overs = 0

    def hand_over(self, run_id: RunId, owner: str) -> None:
        self.hand_overs += 1
        if self.hand_overs <= self.refused:
            raise StoreError("the run queue failed: could not connect to server")
        super().hand_over(run_id, owner)


class Pool:
    """A harness whose runners share a real SQLite history, and one worker thread on it."""

    def __init__(self, store: SqlRunStore, refused_hand_overs: int = 0) -> None:
        self.harness = Harness()
        self.store = store
        self.harness.actions.store = store  # type: ignore[assignment]
        self.queue = FlakyHandOvers(store.engine, refused_hand_overs)
        services = self.harness.services()
        self.services = Services(**{**vars(services), "store": store})
        self.worker = Worker(
            self.services, self.queue, self.harness.observer,
            WorkerOptions(self.harness.request.target.region, concurrency=2, claim_seconds=0.02),
        )  # fmt: skip
        self.thread = threading.Thread(target=self.worker.run, daemon=True)

    def submit(self) -> RunId:
        return Runner(self.services).submit(self.harness.request).id

    def until(self, run_id: RunId, settled: bool = False) -> Run:
        """The run once it is final (with `settled`: once it rests anywhere), its lease given up."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            run = self.store.get(run_id)
            resting = run.state.is_final or (settled and run.state is not State.QUEUED)
            if resting and run.lease_owner is None:  # the drive ended and gave its lease up
                return run
            time.sleep(0.02)
        raise AssertionError(f"run {run_id} did not settle: {self.store.get(run_id)}")

    def stop(self) -> None:
        self.harness.interrupt.request("test done")
        self.thread.join(timeout=WAIT_SECONDS)


@pytest.fixture
def pool(history: SqlRunStore) -> Iterator[Pool]:
    pool = Pool(history)
    yield pool
    pool.stop()


def fails_once(error: BaseException) -> Behaviour:
    def behave(ctx: StepContext) -> Trigger:
        raise error

    return behave


@pytest.mark.parametrize(
    "error",
    [
        StoreError("the run store failed: database is locked"),
        LeaseExpiredError("runner x's lease of run y ran out 1.0 s ago"),
    ],
    ids=["database", "lease ran out"],
)
def test_a_drive_stopped_by_a_passing_failure_is_handed_over_and_finished(
    pool: Pool, error: BaseException
) -> None:
    pool.harness.actions.on(State.SWAPPING, fails_once(error))
    run_id = pool.submit()
    pool.thread.start()
    run = pool.until(run_id)
    assert run.state is State.SUCCEEDED
    assert run.lease_owner is None
    # Swapping ran twice: stopped once, then continued by the worker that took it again.
    assert pool.harness.actions.states.count(State.SWAPPING) == 2
    messages = [e.message for e in pool.store.events(run_id)]
    assert f"taken over by worker {pool.worker.id} in state swapping" in messages
    assert pool.worker.driven == [run_id, run_id]


def test_a_run_that_needs_an_input_again_is_left_to_the_operator(pool: Pool) -> None:
    pool.harness.actions.on(State.VERIFYING, fails_once(SecretNotStored("the URL was masked")))
    run_id = pool.submit()
    pool.thread.start()
    run = pool.until(run_id, settled=True)
    time.sleep(0.2)  # ten claim intervals: a hand-over would have been taken again by now
    run = pool.store.get(run_id)
    assert (run.state, run.lease_owner) == (State.VERIFYING, None)
    assert pool.worker.driven == [run_id]
    assert pool.queue.queued() == []


def test_a_worker_never_takes_again_a_run_it_is_still_driving(pool: Pool) -> None:
    """The lease of a run this worker drives ran out in the database (its heartbeat was
    starved): the run looks abandoned, but this worker's own drive is alive, so it must not
    start a second drive of it under the same owner id (the second would clear the lease
    when the first stopped, leaving the run released mid-release)."""
    entered = threading.Event()

    def starved(ctx: StepContext) -> Trigger:
        with pool.store.engine.begin() as connection:  # the lease ran out meanwhile
            connection.execute(
                update(RunRow).where(RunRow.id == ctx.run.id)
                .values(lease_expires_at=datetime.now(UTC) - timedelta(seconds=5))
            )  # fmt: skip
        entered.set()
        time.sleep(0.3)  # fifteen claim intervals
        return Trigger.CLONED

    pool.harness.actions.on(State.CLONING, starved)
    run_id = pool.submit()
    pool.thread.start()
    assert entered.wait(WAIT_SECONDS)
    run = pool.until(run_id)

    assert run.state is State.SUCCEEDED
    assert pool.harness.actions.states.count(State.CLONING) == 1
    assert pool.worker.driven == [run_id]


def test_a_hand_over_the_database_refused_is_retried_until_it_lands(history: SqlRunStore) -> None:
    pool = Pool(history, refused_hand_overs=3)
    pool.harness.actions.on(State.DEPLOYING, fails_once(StoreError("database is locked")))
    run_id = pool.submit()
    pool.thread.start()
    try:
        run = pool.until(run_id)
    finally:
        pool.stop()

    assert run.state is State.SUCCEEDED
    assert pool.queue.hand_overs == 4  # refused three times, then it landed
    assert pool.worker.driven == [run_id, run_id]
