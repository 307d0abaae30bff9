"""The run journal: facts committed at once under the lease, events sent promptly."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import pytest

from engine.domain.errors import LeaseLostError, StoreError
from engine.domain.model import EventRecord, EventSource
from engine.domain.ports.cloud import EbEvent
from engine.release.journal import RunJournal
from engine.release.waits import RunWaiter
from tests.fakes import FakeClock, make_run
from tests.fakes.store import InMemoryRunStore
from tests.unit.release.fakes import RecordingObserver

OWNER = "host:1:aaaaaa"


class FlakyStore(InMemoryRunStore):
    """Refuses event writes while `down` is set."""

    down = False

    def add_events(self, events: Sequence[EventRecord]) -> None:
        if self.down:
            raise StoreError("database is locked")
        super().add_events(events)


def journal_for(store: InMemoryRunStore, clock: FakeClock) -> RunJournal:
    run = make_run()
    store.create(run, OWNER, 60)
    return RunJournal(run, store, OWNER, clock, RecordingObserver())


def test_recorded_facts_are_in_the_store_when_record_facts_returns() -> None:
    clock = FakeClock()
    store = InMemoryRunStore(clock.now)
    journal = journal_for(store, clock)

    journal.record_facts(green_env_id="e-green", green_cname="green.example")

    stored = store.get(journal.run.id)
    assert stored.facts.green_env_id == "e-green"
    assert stored.facts.green_cname == "green.example"


def test_an_unknown_fact_is_refused_before_anything_is_written() -> None:
    clock = FakeClock()
    journal = journal_for(InMemoryRunStore(clock.now), clock)

    with pytest.raises(ValueError, match="green_id"):
        journal.record_facts(green_id="e-1")


def test_facts_cannot_be_recorded_without_the_lease() -> None:
    clock = FakeClock()
    store = InMemoryRunStore(clock.now)
    journal = journal_for(store, clock)
    store.release(journal.run.id, OWNER)
    store.acquire(journal.run.id, "host:2:other0", 60)

    with pytest.raises(LeaseLostError):
        journal.record_facts(template_name="t")


def test_events_the_store_refused_are_written_with_the_next_commit() -> None:
    clock = FakeClock()
    store = FlakyStore(clock.now)
    journal = journal_for(store, clock)

    store.down = True
    journal.event(EventSource.ENGINE, "first")
    store.down = False
    journal.record_facts(template_name="t")

    assert [e.message for e in store.events(journal.run.id)] == ["first"]


def test_eb_events_keep_their_own_time_and_reach_the_history_once() -> None:
    clock = FakeClock()
    store = InMemoryRunStore(clock.now)
    journal = journal_for(store, clock)
    waiter = RunWaiter(None, journal.run, journal, RecordingObserver())  # type: ignore[arg-type]
    at = clock.now() - timedelta(seconds=7)
    event = EbEvent(at, "createEnvironment is starting.", "INFO", "shop-green", "req-1")

    waiter.eb_event(event)
    waiter.eb_event(event)

    stored = store.events(journal.run.id)
    assert [(e.source, e.at, e.message) for e in stored] == [
        (EventSource.EB, at, "createEnvironment is starting.")
    ]
    assert stored[0].data["environment"] == "shop-green"


def test_eb_events_a_previous_drive_recorded_are_not_recorded_again_after_a_resume() -> None:
    clock = FakeClock()
    store = InMemoryRunStore(clock.now)
    journal = journal_for(store, clock)
    event = EbEvent(clock.now(), "createEnvironment is starting.", "INFO", "shop-green", "req-1")
    RunWaiter(None, journal.run, journal, RecordingObserver()).eb_event(event)  # type: ignore[arg-type]

    resumed = RunJournal(journal.run, store, OWNER, clock, RecordingObserver())
    RunWaiter(None, journal.run, resumed, RecordingObserver()).eb_event(event)  # type: ignore[arg-type]

    assert len(store.events(journal.run.id)) == 1
