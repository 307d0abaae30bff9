"""RecordingJournal: applies facts to the run at once and keeps the events it is told."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any

from engine.domain.model import EventRecord, EventSource, Facts, Run
from engine.domain.ports.runtime import Clock
from tests.fakes.crash import Crash


class RecordingJournal:
    def __init__(self, run: Run, clock: Clock) -> None:
        self.run, self.clock = run, clock
        self.events: list[EventRecord] = []
        self.crash_after_facts: int | None = None

    def record_facts(self, **changes: str | datetime | None) -> None:
        known = {f.name for f in fields(Facts)}
        unknown = set(changes) - known
        if unknown:
            raise TypeError(f"unknown facts: {sorted(unknown)}")
        for name, value in changes.items():
            setattr(self.run.facts, name, value)
        if self.crash_after_facts is not None:
            self.crash_after_facts -= 1
            if self.crash_after_facts <= 0:
                self.crash_after_facts = None
                raise Crash("crashed after recording facts")

    def event(self, source: EventSource, message: str, **data: Any) -> None:
        self.events.append(EventRecord(self.run.id, self.clock.now(), source, message, data))

    def messages(self, source: EventSource | None = None) -> list[str]:
        return [e.message for e in self.events if source in (None, e.source)]
