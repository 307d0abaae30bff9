"""SqlRunQueue: the RunQueue port over the run history's own tables.

A claim is one transaction: select the oldest claimable run `FOR UPDATE SKIP LOCKED` (so
concurrent workers on PostgreSQL each get a different run, never waiting on each other), then
lease it. SQLite renders no row lock; its `BEGIN IMMEDIATE` write lock serializes the claims.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from engine.domain.errors import StoreError
from engine.domain.model import Run, RunId
from engine.domain.ports.queue import WorkerInfo
from engine.domain.ports.runtime import Now, utc_now
from storage.database import describe
from storage.mapping import DRIVEN, run_from_row, worker_from_row
from storage.models import RunRow, WorkerRow
from storage.queries import OLDEST_FIRST, claimable, claimable_runs, workers_holding

FORGET_WORKERS_AFTER = timedelta(days=1)  # a worker silent this long is dropped from status


class SqlRunQueue:
    """Claims, hand-overs and the workers table, on the engine of a `SqlRunStore`."""

    def __init__(self, engine: Engine, clock: Now = utc_now) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._clock = clock

    def claim(
        self, owner: str, lease_seconds: float, region: str, driving: Collection[RunId] = ()
    ) -> Run | None:
        now = self._clock()
        pick = (
            select(RunRow)
            .where(claimable(now), RunRow.region == region, RunRow.id.not_in(list(driving)))
            .order_by(*OLDEST_FIRST)
            .limit(1)
        ).with_for_update(skip_locked=True)
        with self._uow() as session:
            row = session.scalars(pick).first()
            if row is None:
                return None
            row.lease_owner = owner
            row.lease_expires_at = now + timedelta(seconds=lease_seconds)
            return run_from_row(row)

    def hand_over(self, run_id: RunId, owner: str) -> None:
        # The drive gave its lease up already; an owner with an expired lease is what the
        # other workers look for (a released run without one is the operator's to resume).
        nobody = (RunRow.id == run_id) & (
            RunRow.lease_owner.is_(None) | (RunRow.lease_owner == owner)
        )
        with self._uow() as session:
            session.execute(
                update(RunRow).where(nobody, RunRow.state.in_(DRIVEN))
                .values(lease_owner=owner, lease_expires_at=self._clock()),
                execution_options={"synchronize_session": False},
            )  # fmt: skip

    def register(self, worker: WorkerInfo) -> None:
        with self._uow() as session:
            stale = WorkerRow.heartbeat_at < self._clock() - FORGET_WORKERS_AFTER
            session.execute(delete(WorkerRow).where(stale | (WorkerRow.id == worker.id)))
            session.add(WorkerRow(
                id=worker.id, host=worker.host, pid=worker.pid, concurrency=worker.concurrency,
                started_at=worker.started_at, heartbeat_at=worker.heartbeat_at, draining=False,
            ))  # fmt: skip

    def beat(self, worker_id: str, draining: bool = False) -> None:
        with self._uow() as session:
            session.execute(
                update(WorkerRow).where(WorkerRow.id == worker_id)
                .values(heartbeat_at=self._clock(), draining=draining)
            )  # fmt: skip

    def leave(self, worker_id: str) -> None:
        with self._uow() as session:
            session.execute(delete(WorkerRow).where(WorkerRow.id == worker_id))

    def workers(self) -> list[WorkerInfo]:
        with self._uow() as session:
            rows = session.execute(workers_holding(self._clock()))
            return [worker_from_row(row, held) for row, held in rows]

    def queued(self) -> list[Run]:
        with self._uow() as session:
            return [run_from_row(row) for row in session.scalars(claimable_runs(self._clock()))]

    @contextmanager
    def _uow(self) -> Iterator[Session]:
        try:
            with self._sessions.begin() as session:
                yield session
        except SQLAlchemyError as exc:
            raise StoreError(f"the run queue failed: {describe(exc)}") from exc
