"""The lifecycle table is complete, and every reader of it agrees with it.

A state added to `engine.domain.lifecycle.State` fails here until it has its record (kind,
wording, colour, style, verdict), its transitions, and (when it works) its action; and every
view gives a finished run the exit code its command exited with.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest

from engine.domain import lifecycle
from engine.domain.lifecycle import LIFECYCLE, STATES, TRANSITIONS, Kind, State, Trigger
from engine.domain.model import TransitionRecord
from engine.domain.verdicts import exit_code_of, verdict_of
from engine.operator.notifications import summary_for
from engine.operator.progress.records import finished_record
from engine.operator.views.history import run_detail
from engine.operator.views.report import render_report
from engine.operator.views.report_chart import CHART_STYLE
from engine.operator.views.tables import STATE_STYLES
from engine.release.machine import allowed_triggers, next_state
from engine.release.outcomes import outcome_of
from states.registry import ACTIONS
from storage.mapping import DRIVEN, FINISHED_STATES
from tests.unit.operator.releases import (
    T0,
    History,
    new_run,
    rolled_back_release,
    succeeded_release,
    waiting_release,
)


def test_every_state_has_exactly_one_record() -> None:
    assert sorted(info.state for info in LIFECYCLE) == sorted(State)
    assert set(STATES) == set(State)


@pytest.mark.parametrize("state", list(State), ids=str)
def test_every_state_has_its_wording_colour_and_style(state: State) -> None:
    info = state.info
    assert info.does.strip() and info.waits_for.strip()
    assert re.fullmatch(r"#[0-9a-f]{6}", info.colour)
    assert f".timeline .state-{state.value}{{fill:{info.colour}}}" in CHART_STYLE
    assert STATE_STYLES[state.value] == info.style


@pytest.mark.parametrize("state", list(State), ids=str)
def test_working_states_have_an_action_and_the_others_a_verdict(state: State) -> None:
    info = state.info
    if info.kind is Kind.WORKING:
        assert state in ACTIONS, f"{state} works but has no action in states/registry.py"
        assert info.verdict is None and info.worker_drives
    else:
        assert state not in ACTIONS
        assert info.verdict is not None, f"{state} rests or ends but has no verdict"
        assert not info.worker_drives
    if info.kind is Kind.FINAL and state is not State.FAILED:
        assert info.frees_target and allowed_triggers(state) == []


def test_the_machine_is_built_from_the_table_row_for_row() -> None:
    for row in TRANSITIONS:
        for source in row.sources:
            assert next_state(source, row.trigger) is row.dest


def test_every_state_is_reachable_from_queued_and_every_unfinished_one_can_end() -> None:
    reached, frontier = {State.QUEUED}, [State.QUEUED]
    while frontier:
        state = frontier.pop()
        for trigger in allowed_triggers(state):
            dest = next_state(state, trigger)
            if dest not in reached:
                reached.add(dest)
                frontier.append(dest)
    assert reached == set(State)
    for state in State:
        if not state.info.frees_target:  # an operator can always roll a held run back
            assert Trigger.ROLLBACK in allowed_triggers(state), state


def test_storage_and_the_queue_read_the_table() -> None:
    assert set(FINISHED_STATES) == {s for s in State if s.info.frees_target}
    assert set(DRIVEN) == {s.value for s in State if s.info.kind is Kind.WORKING}


def test_a_failing_step_rolls_back_or_gives_up_as_its_record_says() -> None:
    for state in State:
        failure = state.info.on_failure
        if failure is not None:
            assert next_state(state, failure) in (State.ROLLING_BACK, State.FAILED)


def _failed_run() -> History:
    history = waiting_release()
    history.move(60, Trigger.CUTOVER, State.VERIFYING)
    history.move(30, Trigger.FAIL, State.ROLLING_BACK, "health check failed")
    history.move(90, Trigger.GIVE_UP, State.FAILED, "terminate green failed")
    return history.finish(error="terminate green failed")


def _operator_rollback() -> History:
    history = waiting_release()
    history.move(60, Trigger.ROLLBACK, State.ROLLING_BACK, "operator asked")
    history.move(90, Trigger.UNDONE, State.ROLLED_BACK)
    return history.finish(rollback_reason="operator asked")


def _restore_run() -> History:
    """`rollback --to-version`: a run created in rolling_back."""
    history = new_run("restore1")
    history.run = replace(history.run, state=State.ROLLING_BACK)
    history.transitions = [
        TransitionRecord(history.run.id, None, State.ROLLING_BACK, "start", T0, None)
    ]
    history.move(40, Trigger.UNDONE, State.ROLLED_BACK)
    return history.finish(rollback_reason="the operator asked to put blue back on v1")


def _refused() -> History:
    history = new_run("refused1").move(2, Trigger.REFUSE, State.REFUSED)
    return history.finish(error="version v9 of shop does not exist")


def _legacy_preflight_failure() -> History:
    """Recorded before the `refused` state: preflight -> rolling_back -> rolled_back."""
    history = new_run("legacy1").move(2, Trigger.FAIL, State.ROLLING_BACK, "bad version")
    history.move(1, Trigger.UNDONE, State.ROLLED_BACK)
    return history.finish(rollback_reason="bad version")


ENDINGS = {
    "succeeded": (succeeded_release, lifecycle.SUCCEEDED, 0),
    "awaiting_cutover": (waiting_release, lifecycle.AWAITING_CUTOVER, 0),
    "rolled_back": (rolled_back_release, lifecycle.ROLLED_BACK, 1),
    "rolled_back_by_operator": (_operator_rollback, lifecycle.ROLLED_BACK_BY_OPERATOR, 0),
    "restored_to_version": (_restore_run, lifecycle.ROLLED_BACK_BY_OPERATOR, 0),
    "refused": (_refused, lifecycle.REFUSED, 2),
    "refused_before_the_refused_state": (_legacy_preflight_failure, lifecycle.REFUSED, 2),
    "failed": (_failed_run, lifecycle.FAILED, 4),
}


def test_the_endings_cover_every_resting_and_final_state() -> None:
    covered = {build().run.state for build, _, _ in ENDINGS.values()}
    assert covered == {s for s in State if s.info.kind is not Kind.WORKING}


@pytest.mark.parametrize("ending", list(ENDINGS))
def test_the_command_and_every_view_give_a_run_the_same_exit_code(ending: str) -> None:
    build, verdict, code = ENDINGS[ending]
    history = build()
    run, transitions = history.run, history.transitions
    assert verdict_of(run, transitions) is verdict
    assert exit_code_of(run, transitions) == code

    command = outcome_of(run, transitions)  # what the drive's command exits with
    assert command.exit_code == code and command.verdict is verdict

    detail = run_detail(run, transitions, history.events)  # runs show, --json, export
    assert detail["outcome"]["exit_code"] == code
    assert detail["outcome"]["verdict"] == verdict.name
    assert detail["outcome"]["meaning"] == verdict.meaning

    report = render_report(detail, T0 + timedelta(hours=1))  # the HTML report
    assert f"{verdict.meaning} (exit {code})".replace("`", "") in report.replace(
        "<code>", ""
    ).replace("</code>", "").replace("`", "")

    notification = summary_for(command, now=T0 + timedelta(hours=1))
    assert notification["exit_code"] == code and notification["outcome"] == verdict.name
    assert verdict.headline in str(notification["text"])

    line = finished_record(command, T0 + timedelta(hours=1))  # progress lines, JSON lines
    assert line["exit_code"] == code and line["outcome"] == verdict.name


def test_an_in_progress_run_has_no_verdict_and_a_stopped_drive_exits_4() -> None:
    history = waiting_release()
    history.move(60, Trigger.CUTOVER, State.VERIFYING)
    assert verdict_of(history.run, history.transitions) is None
    assert exit_code_of(history.run, history.transitions) is None
    assert run_detail(history.run, history.transitions, [])["outcome"]["exit_code"] is None
    assert outcome_of(history.run, history.transitions).exit_code == 4
