"""The run's memory while it is driven: facts committed at once, events sent promptly.

`RunJournal` implements `engine.domain.step.Journal`. Events written from the poller's thread and
the step's thread go through one lock; an event the store could not take stays buffered and
rides along with the next write.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import fields
from datetime import datetime
from typing import Any

from engine.domain.errors import StoreError
from engine.domain.model import EventRecord, EventSource, Facts, Run, TransitionRecord
from engine.domain.ports.runtime import Clock
from engine.domain.ports.store import RunStore
from engine.release.observer import Observer

FACT_NAMES = frozenset(f.name for f in fields(Facts))


class RunJournal:
    """Facts and events of one run, written through the run store under this runner's lease."""

    def __init__(
        self, run: Run, store: RunStore, owner: str, clock: Clock, observer: Observer
    ) -> None:
        self.run = run
        self._store = store
        self._owner = owner
        self._clock = clock
        self._observer = observer
        self._lock = threading.RLock()
        self._pending: list[EventRecord] = []
        # Called before facts are written (the drive's lease fence): a runner whose lease ran
        # out records no intent it will not carry out.
        self.before_facts: Callable[[], None] = lambda: None

    def record_facts(self, **changes: str | datetime | None) -> None:
        """Set fields of `run.facts` and commit them (with buffered events) before returning."""
        unknown = set(changes) - FACT_NAMES
        if unknown:
            raise ValueError(f"not facts of a run: {', '.join(sorted(unknown))}")
        self.before_facts()
        with self._lock:
            for name, value in changes.items():
                setattr(self.run.facts, name, value)
            self.run.updated_at = self._clock.now()
            self.save()

    def save(self, transition: TransitionRecord | None = None) -> None:
        """Commit the run's row, `transition` and pending events in one transaction.

        Raises LeaseLostError when this runner no longer holds the run."""
        with self._lock:
            pending, self._pending = self._pending, []
            try:
                self._store.save(self.run, self._owner, transition, pending)
            except BaseException:
                self._pending = pending + self._pending
                raise

    def event(self, source: EventSource, message: str, **data: Any) -> None:
        self.add(EventRecord(self.run.id, self._clock.now(), source, message, dict(data)))

    def add(self, record: EventRecord) -> None:
        """Send one event to the observer and the store; buffered if the store is busy."""
        self._observer.event(record)
        with self._lock:
            self._pending.append(record)
            self.flush()

    def recorded(self, source: EventSource) -> list[EventRecord]:
        """The run's events from `source` already in the history (empty if unreadable)."""
        try:
            stored = self._store.events(self.run.id)
        except StoreError:
            return []
        return [e for e in stored if e.source is source]

    def flush(self) -> None:
        """Write buffered events; a store failure keeps them for the next write."""
        with self._lock:
            if not self._pending:
                return
            pending, self._pending = self._pending, []
            try:
                self._store.add_events(pending)
            except StoreError:
                self._pending = pending + self._pending


class RetryRelay:
    """botocore's retry reports (process-wide) sent to the journals of the drives under way."""

    def __init__(self) -> None:
        self._journals: list[RunJournal] = []
        self._lock = threading.Lock()

    def attach(self, journal: RunJournal) -> None:
        with self._lock:
            self._journals.append(journal)

    def detach(self, journal: RunJournal) -> None:
        with self._lock:
            if journal in self._journals:
                self._journals.remove(journal)

    def __call__(self, message: str) -> None:
        with self._lock:
            journals = list(self._journals)
        for journal in journals:
            journal.event(EventSource.AWS, message)
