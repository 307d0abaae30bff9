"""Rows and domain values: a run survives the trip to a row and back unchanged."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from engine.domain.hooks import OnTimeout, parse_hook
from engine.domain.model import Bundle, Facts, Guards, HealthCheck, Mode, State
from storage.mapping import (
    active_target,
    event_from_row,
    guards_from_json,
    guards_to_json,
    health_from_json,
    run_from_row,
    transition_from_row,
)
from storage.rows import event_row, new_run_row, transition_row
from tests.unit.storage.builders import at, event, make_run, transition

EVERY_FACT = Facts(*(f"fact-{n}" for n in range(len(Facts.__dataclass_fields__))))


def test_a_run_with_every_field_set_survives_the_trip_through_a_row() -> None:
    run = make_run(
        mode=Mode.DEPLOY,
        health=HealthCheck("https://shop.example/up", (200, 204), 5, 1.0, 2.0, 30.0),
        bundle=Bundle("dist/app.zip", "artifacts"),
        facts=EVERY_FACT,
        state=State.ROLLING_BACK,
        finished_at=at(9),
        error="boom",
        rollback_reason="probe answered 500",
        lease_owner="runner-a",
        lease_expires_at=at(10),
    )
    row = new_run_row(run)
    row.lease_owner, row.lease_expires_at = run.lease_owner, run.lease_expires_at
    assert run_from_row(row) == run


def test_a_run_without_a_bundle_reads_back_without_one() -> None:
    assert run_from_row(new_run_row(make_run())).bundle is None


@pytest.mark.parametrize("state", list(State))
def test_only_unfinished_runs_hold_their_target(state: State) -> None:
    finished = (State.SUCCEEDED, State.ROLLED_BACK, State.REFUSED)
    expected = None if state in finished else "eu-west-1/shop/shop-blue"
    assert active_target(make_run(state=state)) == expected


def test_health_check_settings_from_a_newer_version_are_ignored() -> None:
    stored = {"path": "/up", "expected_status": [200], "jitter": 3}
    assert health_from_json(stored) == HealthCheck(path="/up", expected_status=(200,))


def test_transitions_and_events_survive_the_trip_through_rows() -> None:
    run = make_run()
    first = replace(transition(run, State.CLONING), detail="cloned from blue")
    assert transition_from_row(transition_row(first)) == first
    probe = event(run, "probe", status=200)
    assert event_from_row(event_row(probe)) == probe


def test_hooks_and_the_cutover_gate_read_back_from_the_guards_json_as_given() -> None:
    guards = Guards(
        hooks=(parse_hook("before-swap=./migrate.sh 'a b'"), parse_hook("on-rollback=page")),
        hook_timeout_seconds=12.0,
        cutover_timeout_seconds=3600.0,
        on_timeout=OnTimeout.CUTOVER,
    )

    stored = json.loads(json.dumps(guards_to_json(guards)))

    assert stored["hooks"] == ["before-swap=./migrate.sh 'a b'", "on-rollback=page"]
    assert guards_from_json(stored) == guards
    assert guards_from_json({}) == Guards()  # a run stored before hooks existed
