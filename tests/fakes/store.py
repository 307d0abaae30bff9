"""InMemoryRunStore: the RunStore port in a dict, for unit tests of the engine and the CLI.

Same semantics as SqlRunStore (the shared contract suite holds both to them): busy targets,
leases, id prefixes, pruning; values go in and come out as copies, like rows would.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from engine.domain import refusals
from engine.domain.errors import StoreError
from engine.domain.model import EventRecord, Run, RunId, Target, TransitionRecord
from engine.domain.ports.runtime import Now, utc_now
from engine.domain.ports.store import RunQuery
from storage.mapping import FINISHED_STATES, FIRST_TRIGGER, jsonable


class InMemoryRunStore:
    """Runs, transitions, events and leases in memory; thread-safe, one lock per call."""

    def __init__(self, clock: Now = utc_now) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._runs: dict[RunId, Run] = {}
        self._transitions: list[TransitionRecord] = []
        self._events: list[EventRecord] = []

    def create(self, run: Run, owner: str, lease_seconds: float) -> None:
        _require_aware(run.created_at, run.updated_at)
        with self._lock:
            if run.id in self._runs:
                raise StoreError(f"a run with id {run.id} exists already")
            holder = self._holder(run.target)
            if holder is not None and run.state.is_unfinished:
                raise refusals.target_busy(copy.deepcopy(holder), self._clock())
            run.lease_owner = owner
            run.lease_expires_at = self._clock() + timedelta(seconds=lease_seconds)
            self._runs[run.id] = copy.deepcopy(run)
            first = TransitionRecord(run.id, None, run.state, FIRST_TRIGGER, run.created_at)
            self._transitions.append(first)

    def save(
        self,
        run: Run,
        owner: str,
        transition: TransitionRecord | None = None,
        events: Sequence[EventRecord] = (),
    ) -> None:
        _require_aware(run.updated_at, *(e.at for e in events))
        with self._lock:
            stored = self._held(run.id, owner)
            holder = self._holder(run.target)
            if run.state.is_unfinished and holder is not None and holder.id != run.id:
                raise StoreError(f"target {run.target.key} is held by run {holder.id}")
            self._runs[run.id] = replace(
                copy.deepcopy(run),
                created_at=stored.created_at,
                lease_owner=stored.lease_owner,
                lease_expires_at=stored.lease_expires_at,
                engine_version=stored.engine_version,  # the stamp is set at creation only
                engine_revision=stored.engine_revision,
                batch=stored.batch,
            )
            self._transitions.extend([transition] if transition else [])
            self._events.extend(_stored_event(e) for e in events)

    def add_events(self, events: Sequence[EventRecord]) -> None:
        _require_aware(*(e.at for e in events))
        with self._lock:
            for event in events:
                self._existing(event.run_id)
            self._events.extend(_stored_event(e) for e in events)

    def get(self, run_id: RunId) -> Run:
        with self._lock:
            if run_id in self._runs:
                return copy.deepcopy(self._runs[run_id])
            if len(run_id) < refusals.MIN_PREFIX:
                raise refusals.run_not_found(run_id)
            matches = sorted(i for i in self._runs if i.startswith(run_id))
            if len(matches) > 1:
                raise refusals.ambiguous_prefix(run_id, matches)
            return copy.deepcopy(self._existing(matches[0] if matches else run_id))

    def find_unfinished(self, target: Target) -> Run | None:
        with self._lock:
            return copy.deepcopy(self._holder(target))

    def acquire(self, run_id: RunId, owner: str, lease_seconds: float) -> Run:
        with self._lock:
            run, now = self._existing(run_id), self._clock()
            expired = run.lease_expires_at is None or run.lease_expires_at <= now
            if run.lease_owner not in (None, owner) and not expired:
                raise refusals.lease_busy(copy.deepcopy(run), now)
            run.lease_owner = owner
            run.lease_expires_at = now + timedelta(seconds=lease_seconds)
            return copy.deepcopy(run)

    def take_over(self, run_id: RunId, owner: str, lease_seconds: float, dead_owner: str) -> Run:
        with self._lock:
            run, now = self._existing(run_id), self._clock()
            if run.lease_owner != dead_owner:
                raise refusals.lease_busy(copy.deepcopy(run), now)
            run.lease_owner = owner
            run.lease_expires_at = now + timedelta(seconds=lease_seconds)
            return copy.deepcopy(run)

    def renew(self, run_id: RunId, owner: str, lease_seconds: float) -> None:
        with self._lock:
            run = self._held(run_id, owner)
            run.lease_expires_at = self._clock() + timedelta(seconds=lease_seconds)

    def release(self, run_id: RunId, owner: str) -> None:
        with self._lock:
            run = self._runs.get(run_id)
            if run is not None and run.lease_owner == owner:
                run.lease_owner = run.lease_expires_at = None

    def list_runs(self, query: RunQuery) -> list[Run]:
        with self._lock:
            runs = [r for r in self._runs.values() if _matches(r, query)]
        runs.sort(key=lambda r: (r.created_at, r.id), reverse=True)
        return copy.deepcopy(runs[: query.limit] if query.limit is not None else runs)

    def transitions(self, run_id: RunId) -> list[TransitionRecord]:
        with self._lock:
            return [t for t in self._transitions if t.run_id == run_id]

    def events(self, run_id: RunId) -> list[EventRecord]:
        with self._lock:
            found = [e for e in self._events if e.run_id == run_id]
        return copy.deepcopy(sorted(found, key=lambda e: e.at))  # stable: ties keep order

    def close(self) -> None:
        return None

    def prune(self, finished_before: datetime) -> int:
        with self._lock:
            old = {i for i, r in self._runs.items() if _finished_before(r, finished_before)}
            for run_id in old:
                del self._runs[run_id]
            self._transitions = [t for t in self._transitions if t.run_id not in old]
            self._events = [e for e in self._events if e.run_id not in old]
            return len(old)

    def _existing(self, run_id: RunId) -> Run:
        if run_id not in self._runs:
            raise refusals.run_not_found(run_id)
        return self._runs[run_id]

    def _held(self, run_id: RunId, owner: str) -> Run:
        run = self._existing(run_id)
        if run.lease_owner != owner:
            raise refusals.lease_lost(run_id, owner, run.lease_owner)
        return run

    def _holder(self, target: Target) -> Run | None:
        unfinished = (r for r in self._runs.values() if r.state.is_unfinished)
        return next((r for r in unfinished if r.target == target), None)


def _matches(run: Run, query: RunQuery) -> bool:
    return (
        (query.app is None or run.target.app == query.app)
        and (query.blue is None or run.target.blue == query.blue)
        and (not query.states or run.state in query.states)
        and (query.since is None or run.created_at >= query.since)
        and (query.batch is None or run.batch == query.batch)
    )


def _finished_before(run: Run, moment: datetime) -> bool:
    return run.state in FINISHED_STATES and run.finished_at is not None and run.finished_at < moment


def _stored_event(event: EventRecord) -> EventRecord:
    return replace(event, data=jsonable(event.data))


def _require_aware(*moments: datetime | None) -> None:
    if any(m is not None and m.tzinfo is None for m in moments):
        raise StoreError("naive datetime: the run store needs aware UTC times")
