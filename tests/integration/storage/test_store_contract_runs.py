"""The RunStore contract, runs and history: every implementation behaves alike
(the `store` fixture runs each test on memory, SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from engine.domain.errors import LeaseLostError, RunNotFoundError, StoreError, TargetBusyError
from engine.domain.model import Bundle, Facts, HealthCheck, Mode, RunId, State, Target
from engine.domain.ports.store import RunQuery, RunStore
from tests.fakes import FakeClock
from tests.unit.storage.builders import (
    TARGET,
    at,
    event,
    finish,
    make_run,
    transition,
)

LEASE = 60.0
FINISHED = [State.SUCCEEDED, State.ROLLED_BACK, State.REFUSED]


# Creating runs


def test_a_created_run_reads_back_equal_and_leased_to_its_creator(
    store: RunStore, clock: FakeClock
) -> None:
    run = make_run(
        bundle=Bundle("dist/app.zip", "artifacts"), health=HealthCheck("/up", (200, 204))
    )
    store.create(run, "runner-a", LEASE)
    assert store.get(run.id) == run
    assert (run.lease_owner, run.lease_expires_at) == (
        "runner-a",
        clock.now() + timedelta(seconds=LEASE),
    )


def test_a_runs_engine_stamp_and_last_request_read_back_and_saving_keeps_the_stamp(
    store: RunStore,
) -> None:
    run = replace(make_run(), engine_version="1.2.3", engine_revision=7)
    store.create(run, "runner-a", LEASE)
    run.facts.requested, run.facts.requested_at = "SwapEnvironmentCNAMEs", "2024-05-01T12:00:00"
    store.save(replace(run, engine_version="9.9.9", engine_revision=9), "runner-a")

    stored = store.get(run.id)
    assert (stored.engine_version, stored.engine_revision) == ("1.2.3", 7)
    assert stored.facts.requested_at == "2024-05-01T12:00:00"


def test_creating_a_run_records_its_first_transition(store: RunStore) -> None:
    run = make_run()
    store.create(run, "runner-a", LEASE)
    [first] = store.transitions(run.id)
    assert (first.from_state, first.to_state, first.at) == (None, State.PREFLIGHT, run.created_at)


def test_a_second_unfinished_run_for_a_target_is_refused_naming_the_holder(
    store: RunStore,
) -> None:
    holder = make_run()
    store.create(holder, "runner-a", LEASE)
    with pytest.raises(TargetBusyError) as refused:
        store.create(make_run(), "runner-b", LEASE)
    assert (refused.value.run_id, refused.value.owner) == (holder.id, "runner-a")
    assert holder.id in str(refused.value) and "runner-a" in str(refused.value)
    assert [r.id for r in store.list_runs(RunQuery())] == [holder.id]


@pytest.mark.parametrize(
    "other",
    [replace(TARGET, blue="other-blue"), replace(TARGET, app="other"), replace(TARGET, region="x")],
)
def test_runs_for_other_targets_are_not_refused(store: RunStore, other: Target) -> None:
    store.create(make_run(), "runner-a", LEASE)
    store.create(make_run(target=other), "runner-b", LEASE)
    assert len(store.list_runs(RunQuery())) == 2


def test_a_failed_run_still_holds_its_target(store: RunStore) -> None:
    run = make_run()
    store.create(run, "runner-a", LEASE)
    finish(store, run.id, State.FAILED)
    with pytest.raises(TargetBusyError, match=run.id):
        store.create(make_run(), "runner-b", LEASE)


@pytest.mark.parametrize("final", FINISHED)
def test_a_succeeded_or_rolled_back_run_frees_its_target(store: RunStore, final: State) -> None:
    run = make_run()
    store.create(run, "runner-a", LEASE)
    finish(store, run.id, final)
    assert store.find_unfinished(TARGET) is None
    store.create(make_run(), "runner-b", LEASE)


def test_a_run_id_is_never_reused(store: RunStore) -> None:
    run = make_run()
    store.create(run, "runner-a", LEASE)
    with pytest.raises(StoreError, match="exists"):
        store.create(replace(run, target=replace(TARGET, blue="elsewhere")), "runner-b", LEASE)


# Saving runs


def test_save_writes_the_run_its_transition_and_events_together(store: RunStore) -> None:
    run = make_run()
    store.create(run, "runner-a", LEASE)
    facts = Facts(blue_env_id="e-1", blue_cname="shop.example", previous_version_label="v1")
    cloned = replace(run, state=State.CLONING, facts=facts, updated_at=at(2))
    store.save(cloned, "runner-a", transition(run, State.CLONING), [event(run, "cloned", n=1)])
    assert store.get(run.id) == cloned
    assert [t.to_state for t in store.transitions(run.id)] == [State.PREFLIGHT, State.CLONING]
    assert [(e.message, e.data) for e in store.events(run.id)] == [("cloned", {"n": 1})]


def test_save_by_a_runner_without_the_lease_is_refused_and_changes_nothing(
    store: RunStore,
) -> None:
    run = make_run()
    store.create(run, "runner-a", LEASE)
    with pytest.raises(LeaseLostError, match="runner-a"):
        store.save(replace(run, state=State.CLONING), "runner-b", transition(run, State.CLONING))
    assert store.get(run.id).state is State.PREFLIGHT
    assert len(store.transitions(run.id)) == 1


def test_saving_an_unknown_run_raises_run_not_found(store: RunStore) -> None:
    with pytest.raises(RunNotFoundError):
        store.save(make_run(), "runner-a")


def test_an_error_and_rollback_reason_are_kept_apart(store: RunStore) -> None:
    run = make_run()
    store.create(run, "runner-a", LEASE)
    failed = replace(run, state=State.FAILED, error="undo failed", rollback_reason="probe 500")
    store.save(failed, "runner-a")
    assert (store.get(run.id).error, store.get(run.id).rollback_reason) == (
        "undo failed",
        "probe 500",
    )


# Events


def test_events_come_back_in_time_order(store: RunStore) -> None:
    run = make_run()
    store.create(run, "runner-a", LEASE)
    store.add_events([event(run, "late", minutes=3), event(run, "early", minutes=1)])
    store.add_events([event(run, "middle", minutes=2)])
    assert [e.message for e in store.events(run.id)] == ["early", "middle", "late"]


def test_event_data_reads_back_as_json_values(store: RunStore) -> None:
    run = make_run()
    store.create(run, "runner-a", LEASE)
    store.add_events([event(run, "probe", status=500, urls=("a", "b"), when=at(1))])
    [stored] = store.events(run.id)
    assert stored.data == {"status": 500, "urls": ["a", "b"], "when": str(at(1))}


def test_events_of_an_unknown_run_are_refused(store: RunStore) -> None:
    with pytest.raises(RunNotFoundError):
        store.add_events([event(make_run(), "orphan")])


# Finding runs


def test_get_accepts_a_unique_prefix_of_four_or_more_characters(store: RunStore) -> None:
    run = make_run(id=RunId("abcd1234"))
    store.create(run, "runner-a", LEASE)
    assert store.get(RunId("abcd")).id == run.id
    with pytest.raises(RunNotFoundError, match="at least 4"):
        store.get(RunId("abc"))


def test_an_ambiguous_prefix_is_refused_naming_the_matches(store: RunStore) -> None:
    store.create(make_run(id=RunId("abcd1111")), "runner-a", LEASE)
    store.create(make_run(id=RunId("abcd2222"), target=replace(TARGET, blue="b2")), "x", LEASE)
    with pytest.raises(RunNotFoundError, match=r"ambiguous.*abcd1111, abcd2222"):
        store.get(RunId("abcd"))


def test_prefixes_match_literally_and_case_sensitively(store: RunStore) -> None:
    store.create(make_run(id=RunId("abcd_123")), "runner-a", LEASE)
    for prefix in ("ABCD", "abcd%", "ab_d"):
        with pytest.raises(RunNotFoundError):
            store.get(RunId(prefix))


def test_an_unknown_id_raises_run_not_found(store: RunStore) -> None:
    with pytest.raises(RunNotFoundError, match="nope1234"):
        store.get(RunId("nope1234"))


def test_find_unfinished_returns_the_run_holding_a_target(store: RunStore) -> None:
    run = make_run()
    store.create(run, "runner-a", LEASE)
    found = store.find_unfinished(TARGET)
    assert found is not None and found.id == run.id
    assert store.find_unfinished(replace(TARGET, blue="other")) is None


def test_runs_are_listed_newest_first_up_to_the_limit(store: RunStore) -> None:
    ids = []
    for minutes in range(4):
        run = make_run(created_at=at(minutes), target=replace(TARGET, blue=f"b{minutes}"))
        store.create(run, "runner-a", LEASE)
        ids.append(run.id)
    assert [r.id for r in store.list_runs(RunQuery())] == ids[::-1]
    assert [r.id for r in store.list_runs(RunQuery(limit=2))] == ids[:1:-1]


def test_runs_are_filtered_by_app_blue_state_and_creation_time(store: RunStore) -> None:
    a = make_run(created_at=at(0))
    b = make_run(created_at=at(5), target=replace(TARGET, blue="b"), mode=Mode.DEPLOY)
    c = make_run(created_at=at(9), target=replace(TARGET, app="other"), state=State.FAILED)
    for run in (a, b, c):
        store.create(run, "runner-a", LEASE)

    def listed(**query: object) -> set[RunId]:
        return {r.id for r in store.list_runs(RunQuery(**query))}  # type: ignore[arg-type]

    assert listed(app="shop") == {a.id, b.id}
    assert listed(blue="b") == {b.id}
    assert listed(states=(State.FAILED, State.SUCCEEDED)) == {c.id}
    assert listed(since=at(5)) == {b.id, c.id}
    assert listed(app="shop", since=at(1), limit=None) == {b.id}
