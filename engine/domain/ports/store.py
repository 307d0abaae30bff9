"""The run store port: what the engine needs from persistence. No SQLAlchemy here.

`storage.sql.SqlRunStore` implements it over SQLAlchemy (`tests.fakes.store` in a dict for unit
tests); `storage.empty.EmptyHistory` reads a history that does not exist yet. Every method is
one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from engine.domain.model import EventRecord, Run, RunId, State, Target, TransitionRecord


@dataclass(frozen=True)
class RunQuery:
    """Filters for listing runs; newest first."""

    app: str | None = None
    blue: str | None = None
    states: tuple[State, ...] = ()
    since: datetime | None = None
    limit: int | None = 50
    batch: str | None = None  # the fleet release (`submit --targets`) the runs belong to


class RunHistory(Protocol):
    """What the read commands need: runs, their transitions and events (and pruning)."""

    def get(self, run_id: RunId) -> Run:
        """Raises RunNotFoundError. Accepts a unique prefix of an id too."""
        ...

    def list_runs(self, query: RunQuery) -> list[Run]: ...

    def transitions(self, run_id: RunId) -> list[TransitionRecord]: ...

    def events(self, run_id: RunId) -> list[EventRecord]: ...

    def prune(self, finished_before: datetime) -> int:
        """Delete finished runs (and their history) older than a time; keeps unfinished ones."""
        ...

    def close(self) -> None: ...


class RunStore(RunHistory, Protocol):
    """Runs, their transitions and events, and the leases that keep one runner per run."""

    def create(self, run: Run, owner: str, lease_seconds: float) -> None:
        """Insert a new run (and its first transition) leased to `owner`.

        Raises TargetBusyError when an unfinished run already holds the run's target; the
        database enforces this (a unique key), so two racing runners cannot both succeed.
        """
        ...

    def save(
        self,
        run: Run,
        owner: str,
        transition: TransitionRecord | None = None,
        events: Sequence[EventRecord] = (),
    ) -> None:
        """Write the run's row (state, facts, error, finished_at) with its new transition and
        events in one transaction. Raises LeaseLostError unless `owner` holds the lease.
        A run reaching succeeded or rolled_back frees its target."""
        ...

    def add_events(self, events: Sequence[EventRecord]) -> None: ...

    def find_unfinished(self, target: Target) -> Run | None: ...

    def acquire(self, run_id: RunId, owner: str, lease_seconds: float) -> Run:
        """Lease the run to `owner` (or renew it). Raises TargetBusyError when another owner
        holds an unexpired lease."""
        ...

    def take_over(self, run_id: RunId, owner: str, lease_seconds: float, dead_owner: str) -> Run:
        """Lease the run to `owner` if `dead_owner` still holds it (expired or not): for an
        owner whose process is known to be gone. Raises TargetBusyError when someone else
        holds it now."""
        ...

    def renew(self, run_id: RunId, owner: str, lease_seconds: float) -> None:
        """Extend the lease (heartbeat). Raises LeaseLostError when `owner` lost it."""
        ...

    def release(self, run_id: RunId, owner: str) -> None:
        """Give the lease up (no error when `owner` does not hold it)."""
        ...
