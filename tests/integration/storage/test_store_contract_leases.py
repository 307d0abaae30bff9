"""The RunStore contract, leases, pruning and time: every implementation behaves alike
(the `store` fixture runs each test on memory, SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta, timezone

import pytest

from engine.domain.errors import LeaseLostError, RunNotFoundError, StoreError, TargetBusyError
from engine.domain.model import RunId, State
from engine.domain.ports.store import RunQuery, RunStore
from tests.fakes import FakeClock
from tests.unit.storage.builders import TARGET, at, event, finish, make_run

LEASE = 60.0


# Leases


def test_acquire_renews_a_lease_its_owner_holds(store: RunStore, clock: FakeClock) -> None:
    run = make_run()
    store.create(run, "runner-a", LEASE)
    clock.advance(30)
    acquired = store.acquire(run.id, "runner-a", LEASE)
    assert acquired.lease_expires_at == clock.now() + timedelta(seconds=LEASE)


def test_a_lease_held_by_another_runner_is_refused_naming_owner_and_expiry(
    store: RunStore, clock: FakeClock
) -> None:
    run = make_run()
    store.create(run, "runner-a", LEASE)
    with pytest.raises(TargetBusyError) as refused:
        store.acquire(run.id, "runner-b", LEASE)
    expiry = (clock.now() + timedelta(seconds=LEASE)).isoformat(timespec="seconds")
    assert "runner-a" in str(refused.value) and expiry in str(refused.value)
    assert refused.value.owner == "runner-a"


def test_an_expired_lease_is_taken_over_and_its_old_owner_loses_it(
    store: RunStore, clock: FakeClock
) -> None:
    run = make_run()
    store.create(run, "runner-a", LEASE)
    clock.advance(LEASE)
    assert store.acquire(run.id, "runner-b", LEASE).lease_owner == "runner-b"
    with pytest.raises(LeaseLostError, match="runner-b"):
        store.save(replace(run, state=State.CLONING), "runner-a")
    with pytest.raises(LeaseLostError):
        store.renew(run.id, "runner-a", LEASE)
    store.save(replace(run, state=State.CLONING), "runner-b")


def test_a_lease_whose_owner_is_dead_is_taken_over_before_it_expires(
    store: RunStore, clock: FakeClock
) -> None:
    run = make_run()
    store.create(run, "runner-a", LEASE)

    taken = store.take_over(run.id, "runner-b", LEASE, dead_owner="runner-a")

    assert taken.lease_owner == "runner-b"
    assert taken.lease_expires_at == clock.now() + timedelta(seconds=LEASE)
    with pytest.raises(LeaseLostError):
        store.renew(run.id, "runner-a", LEASE)


def test_a_take_over_from_an_owner_that_no_longer_holds_the_lease_is_refused(
    store: RunStore,
) -> None:
    run = make_run()
    store.create(run, "runner-a", LEASE)
    store.take_over(run.id, "runner-b", LEASE, dead_owner="runner-a")

    with pytest.raises(TargetBusyError, match="runner-b"):
        store.take_over(run.id, "runner-c", LEASE, dead_owner="runner-a")


def test_a_busy_target_message_tells_when_the_holders_lease_expired(
    store: RunStore, clock: FakeClock
) -> None:
    run = make_run()
    store.create(run, "runner-a", LEASE)
    clock.advance(LEASE + 1)
    with pytest.raises(TargetBusyError, match=r"expired.*resume"):
        store.create(make_run(), "runner-b", LEASE)


def test_a_released_lease_can_be_acquired_at_once(store: RunStore) -> None:
    run = make_run()
    store.create(run, "runner-a", LEASE)
    store.release(run.id, "runner-a")
    assert store.get(run.id).lease_owner is None
    assert store.acquire(run.id, "runner-b", LEASE).lease_owner == "runner-b"


def test_release_by_another_runner_changes_nothing(store: RunStore) -> None:
    run = make_run()
    store.create(run, "runner-a", LEASE)
    store.release(run.id, "runner-b")
    assert store.get(run.id).lease_owner == "runner-a"


def test_renew_extends_the_lease_from_now(store: RunStore, clock: FakeClock) -> None:
    run = make_run()
    store.create(run, "runner-a", LEASE)
    clock.advance(45)
    store.renew(run.id, "runner-a", LEASE)
    assert store.get(run.id).lease_expires_at == clock.now() + timedelta(seconds=LEASE)
    clock.advance(45)
    with pytest.raises(TargetBusyError):
        store.acquire(run.id, "runner-b", LEASE)


def test_leasing_an_unknown_run_raises_run_not_found(store: RunStore) -> None:
    with pytest.raises(RunNotFoundError):
        store.acquire(RunId("missing1"), "runner-a", LEASE)
    with pytest.raises(RunNotFoundError):
        store.renew(RunId("missing1"), "runner-a", LEASE)


# Pruning


def test_prune_deletes_runs_that_finished_before_the_time_with_their_history(
    store: RunStore,
) -> None:
    old, recent = make_run(), make_run(target=replace(TARGET, blue="b2"))
    for run, minutes in ((old, 10), (recent, 30)):
        store.create(run, "runner-a", LEASE)
        store.add_events([event(run, "something")])
        finish(store, run.id, State.SUCCEEDED, minutes)
    assert store.prune(at(20)) == 1
    with pytest.raises(RunNotFoundError):
        store.get(old.id)
    assert store.transitions(old.id) == [] and store.events(old.id) == []
    assert len(store.transitions(recent.id)) == 2


def test_prune_keeps_failed_and_unfinished_runs(store: RunStore) -> None:
    failed, waiting = make_run(), make_run(target=replace(TARGET, blue="b2"))
    for run in (failed, waiting):
        store.create(run, "runner-a", LEASE)
    finish(store, failed.id, State.FAILED)
    finish(store, waiting.id, State.AWAITING_CUTOVER)
    assert store.prune(at(60)) == 0
    assert len(store.list_runs(RunQuery())) == 2


# Time


def test_times_in_any_zone_read_back_as_the_same_instants(store: RunStore) -> None:
    plus_two = timezone(timedelta(hours=2))
    created = at(0).astimezone(plus_two)
    run = make_run(created_at=created, updated_at=created)
    store.create(run, "runner-a", LEASE)
    stored = store.get(run.id)
    assert stored.created_at == at(0) and stored.created_at.utcoffset() is not None


def test_naive_times_are_refused(store: RunStore) -> None:
    naive = at(0).replace(tzinfo=None)
    with pytest.raises(StoreError, match="naive"):
        store.create(make_run(created_at=naive, updated_at=naive), "runner-a", LEASE)
