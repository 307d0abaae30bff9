"""The timeline of a run and the JSON documents of `runs list` / `runs show`."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import timedelta

import pytest

from engine.domain.durations import human_duration, run_duration_seconds
from engine.domain.model import EventRecord, EventSource, RunId, State, TransitionRecord
from engine.operator.views.history import is_failure, run_detail, run_summary, steps_of
from tests.unit.operator.releases import (
    T0,
    rolled_back_release,
    running_release,
    succeeded_release,
    waiting_release,
)


def test_steps_of_a_finished_run_add_up_to_its_duration() -> None:
    history = rolled_back_release()
    steps = steps_of(history.run, history.transitions)
    total = sum(step.duration_seconds or 0 for step in steps)
    assert total == pytest.approx(run_duration_seconds(history.run, history.transitions))
    assert total == pytest.approx((history.run.finished_at - T0).total_seconds())


def test_steps_follow_the_transitions_in_order_without_the_final_state() -> None:
    history = rolled_back_release()
    states = [step.state for step in steps_of(history.run, history.transitions)]
    assert states == [
        State.PREFLIGHT,
        State.CLONING,
        State.SWAPPING,
        State.DEPLOYING,
        State.VERIFYING,
        State.ROLLING_BACK,
    ]


def test_each_step_ends_when_the_next_begins() -> None:
    history = succeeded_release()
    steps = steps_of(history.run, history.transitions)
    for step, following in itertools.pairwise(steps):
        assert step.ended_at == following.started_at
    assert steps[0].started_at == T0
    assert steps[-1].ended_at == history.run.finished_at


def test_an_unfinished_run_has_an_open_current_step_and_lasts_until_its_last_transition() -> None:
    history = running_release()
    steps = steps_of(history.run, history.transitions)
    assert steps[-1].state is State.VERIFYING
    assert steps[-1].ended_at is None and steps[-1].duration_seconds is None
    closed = sum(step.duration_seconds or 0 for step in steps)
    last_move = history.transitions[-1].at
    assert run_duration_seconds(history.run, history.transitions) == pytest.approx(closed)
    assert closed == pytest.approx((last_move - T0).total_seconds())


def test_a_run_finishing_after_its_last_transition_gives_the_gap_to_the_last_step() -> None:
    history = succeeded_release()
    late = replace(history.run, finished_at=history.run.finished_at + timedelta(seconds=7))
    steps = steps_of(late, history.transitions)
    assert sum(step.duration_seconds or 0 for step in steps) == pytest.approx(
        run_duration_seconds(late, history.transitions)
    )


def test_times_going_backwards_between_runners_never_give_negative_durations() -> None:
    history = succeeded_release()
    skewed = list(history.transitions)
    skewed[3] = replace(skewed[3], at=T0 - timedelta(seconds=30))
    steps = steps_of(history.run, skewed)
    assert all((step.duration_seconds or 0) >= 0 for step in steps)
    assert sum(step.duration_seconds or 0 for step in steps) == pytest.approx(
        run_duration_seconds(history.run, skewed)
    )


def test_a_resumed_failed_run_counts_the_time_it_rested_in_failed() -> None:
    history = rolled_back_release()
    transitions = list(history.transitions[:-1])
    at = transitions[-1].at
    run_id = history.run.id
    transitions += [
        TransitionRecord(run_id, State.ROLLING_BACK, State.FAILED, "give_up", at + timedelta(1)),
        TransitionRecord(
            run_id, State.FAILED, State.ROLLING_BACK, "retry_rollback", at + timedelta(2)
        ),
        TransitionRecord(
            run_id, State.ROLLING_BACK, State.ROLLED_BACK, "undone", at + timedelta(3)
        ),
    ]
    run = replace(history.run, finished_at=at + timedelta(3))
    steps = steps_of(run, transitions)
    assert [step.state for step in steps][-3:] == [
        State.ROLLING_BACK,
        State.FAILED,
        State.ROLLING_BACK,
    ]
    assert steps[-2].duration_seconds == pytest.approx(86400)
    assert sum(s.duration_seconds or 0 for s in steps) == pytest.approx(
        run_duration_seconds(run, transitions)
    )


def test_the_summary_has_what_runs_list_promises() -> None:
    history = succeeded_release()
    summary = run_summary(history.run, history.transitions)
    assert summary["id"] == history.run.id
    assert summary["app"] == "shop" and summary["blue"] == "shop-blue"
    assert summary["green"] == "shop-blue-green"
    assert summary["version_label"] == "v2" and summary["previous_version_label"] == "v1"
    assert summary["state"] == "succeeded"
    assert summary["created_at"] == "2026-11-26T13:00:00Z"
    assert summary["finished_at"].endswith("Z")
    assert summary["duration_seconds"] == pytest.approx(
        (history.run.finished_at - T0).total_seconds()
    )


def test_the_detail_document_is_json_with_transitions_events_and_steps() -> None:
    history = rolled_back_release()
    detail = json.loads(json.dumps(run_detail(history.run, history.transitions, history.events)))
    assert [t["to"] for t in detail["transitions"]][-2:] == ["rolling_back", "rolled_back"]
    assert detail["transitions"][0]["from"] is None
    assert set(detail["transitions"][0]) >= {"from", "to", "trigger", "at", "detail"}
    assert set(detail["events"][0]) >= {"at", "source", "message", "data"}
    assert set(detail["steps"][0]) >= {"state", "started_at", "ended_at", "duration_seconds"}
    assert detail["facts"]["blue_env_id"] == "e-blue12345"
    assert detail["inputs"]["health_check"]["path"] == "/health"
    assert detail["outcome"] == {
        "state": "rolled_back",
        "verdict": "rolled_back",
        "exit_code": 1,
        "meaning": "release failed and was rolled back; production untouched",
    }


def test_events_come_in_time_order_and_failed_probes_are_flagged() -> None:
    history = rolled_back_release()
    detail = run_detail(history.run, history.transitions, list(reversed(history.events)))
    moments = [event["at"] for event in detail["events"]]
    assert moments == sorted(moments)
    probes = [event for event in detail["events"] if event["source"] == "probe"]
    assert probes and all(probe["failed"] for probe in probes)


def test_the_rollback_says_why_and_what_it_did() -> None:
    history = rolled_back_release()
    rollback = run_detail(history.run, history.transitions, history.events)["rollback"]
    assert rollback["reason"].startswith("health check failed")
    messages = [event["message"] for event in rollback["events"]]
    assert "rollback: swapping CNAMEs back" in messages
    assert "terminateEnvironment completed successfully." in messages
    assert all(not m.startswith("probe ") for m in messages)


def test_a_successful_run_did_no_rollback() -> None:
    history = succeeded_release()
    assert run_detail(history.run, history.transitions, history.events)["rollback"] is None


def test_a_waiting_run_rests_in_awaiting_cutover_with_exit_code_zero() -> None:
    history = waiting_release()
    detail = run_detail(history.run, history.transitions, history.events)
    assert detail["state"] == "awaiting_cutover"
    assert detail["finished_at"] is None
    assert detail["steps"][-1]["state"] == "awaiting_cutover"
    assert detail["outcome"]["exit_code"] == 0


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "-"),
        (0.25, "0.2s"),
        (42, "42s"),
        (252, "4m12s"),
        (3720, "1h02m"),
        (47 * 3600, "47h00m"),
        (76 * 3600, "3d04h"),
    ],
)
def test_human_durations_read_like_a_person_would_say_them(seconds, text) -> None:
    assert human_duration(seconds) == text


def probe_event(**data) -> EventRecord:
    return EventRecord(RunId("r"), T0, EventSource.PROBE, "probe", data)


def test_a_probe_fails_on_an_error_or_a_status_it_did_not_expect() -> None:
    assert not is_failure(probe_event(status=200, error=None), (200,))
    assert is_failure(probe_event(status=200, error=None), (204,))
    assert is_failure(probe_event(status=None, error="connection refused"), (200,))
    assert is_failure(probe_event(status=503, error=None))
    assert not is_failure(probe_event(status=301, error=None))


def test_eb_events_with_error_severity_are_failures_and_others_are_not() -> None:
    error = EventRecord(RunId("r"), T0, EventSource.EB, "Failed to launch", {"severity": "ERROR"})
    info = EventRecord(RunId("r"), T0, EventSource.EB, "launched", {"severity": "INFO"})
    assert is_failure(error) and not is_failure(info)
