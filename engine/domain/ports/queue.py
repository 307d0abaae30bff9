"""The run queue port: how workers share runs through the history's database.

`storage.queue.SqlRunQueue` implements it (row locks with SKIP LOCKED on PostgreSQL, the
write lock on SQLite). Every method is one transaction. `WorkerPool` is the part `status`
reads; `storage.sqlite_reader.SqliteHistory` implements that too (sqlite3, no SQLAlchemy).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from engine.domain.model import Run, RunId


@dataclass(frozen=True)
class WorkerInfo:
    """A worker process as `bluegreen status` shows it."""

    id: str  # the owner id its leases carry
    host: str
    pid: int
    concurrency: int
    started_at: datetime
    heartbeat_at: datetime
    draining: bool = False
    runs_held: int = 0


class WorkerPool(Protocol):
    """What `bluegreen status` and `bluegreen workers` read of the pool."""

    def workers(self) -> list[WorkerInfo]:
        """Registered workers, with the runs each holds a live lease on."""
        ...

    def queued(self) -> list[Run]:
        """Runs waiting for a worker, oldest first (queued, or expired while driven)."""
        ...


class RunQueue(WorkerPool, Protocol):
    """Queued runs and runs whose driver went away, taken by exactly one worker each."""

    def claim(
        self, owner: str, lease_seconds: float, region: str, driving: Collection[RunId] = ()
    ) -> Run | None:
        """Lease to `owner` the oldest run in `region` that is queued, or whose lease expired
        while it was being driven (its runner died, or handed it over); None if none is.
        Never one of `driving`: a run the worker still drives, whose lease only looks
        expired (its heartbeat was late), must not get a second drive under the same owner."""
        ...

    def hand_over(self, run_id: RunId, owner: str) -> None:
        """Make a run this worker stopped driving claimable at once by another worker."""
        ...

    def register(self, worker: WorkerInfo) -> None: ...

    def beat(self, worker_id: str, draining: bool = False) -> None:
        """The worker is alive (and whether it is draining)."""
        ...

    def leave(self, worker_id: str) -> None: ...
