"""The runner: persist then act, roll back on failure, give up to an operator, resume."""

from __future__ import annotations

from dataclasses import replace

import pytest

from engine.domain.errors import (
    ConfigurationError,
    DeadlineExceeded,
    LeaseLostError,
    ServiceError,
    StepFailed,
    TargetBusyError,
    ThrottledError,
)
from engine.domain.exit_codes import ExitCode
from engine.domain.model import EventSource, Mode, Run, RunId, State, Trigger
from engine.domain.ports.store import RunQuery
from engine.domain.step import StepContext
from engine.release.interrupt import Interrupted
from engine.release.requests import LockPolicy, OnUnfinished
from engine.release.runner import NothingToDo, UsageError
from tests.unit.release.harness import Harness, fail_with

S = State
FULL_PATH = [
    (None, "preflight", "start"),
    ("preflight", "cloning", "preflight_passed"),
    ("cloning", "swapping", "cloned"),
    ("swapping", "deploying", "swapped"),
    ("deploying", "verifying", "deployed"),
    ("verifying", "cutting_over", "verified"),
    ("cutting_over", "baking", "cut_over"),
    ("baking", "cleaning_up", "baked"),
    ("cleaning_up", "succeeded", "cleaned_up"),
]


@pytest.fixture
def h() -> Harness:
    return Harness()


def test_a_full_release_moves_through_every_state_in_order_and_exits_0(h: Harness) -> None:
    outcome = h.runner().release(h.request, h.observer)

    run = h.only_run()
    assert outcome.exit_code == ExitCode.OK
    assert run.state is S.SUCCEEDED and run.finished_at is not None
    assert h.path(run) == FULL_PATH
    assert [t.to_state for t in h.observer.transitions] == [t[1] for t in FULL_PATH[1:]]
    assert len(h.observer.started) == 1 and h.observer.outcomes == [outcome]


def test_every_state_is_committed_before_its_action_starts(h: Harness) -> None:
    h.runner().release(h.request, h.observer)

    assert h.actions.calls, "no action ran"
    assert all(asked is stored for asked, stored in h.actions.calls)


def test_the_lease_is_given_up_when_the_drive_rests(h: Harness) -> None:
    h.runner().release(replace(h.request, mode=Mode.DEPLOY), h.observer)

    run = h.only_run()
    assert run.state is S.AWAITING_CUTOVER
    assert run.lease_owner is None


def test_deploy_rests_in_awaiting_cutover_and_another_runner_cuts_over(h: Harness) -> None:
    first = h.runner("host:1:aaaaaa").release(replace(h.request, mode=Mode.DEPLOY), h.observer)
    assert first.exit_code == ExitCode.OK and "cutover" in first.summary

    second = h.runner("host:2:bbbbbb").cutover(None, h.request.target, h.observer)

    run = h.only_run()
    assert second.exit_code == ExitCode.OK and run.state is S.SUCCEEDED
    assert ("deploying", "awaiting_cutover", "pause") in h.path(run)
    assert ("awaiting_cutover", "verifying", "cutover") in h.path(run)
    operator = [e.message for e in h.store.events(run.id) if e.source is EventSource.OPERATOR]
    assert operator == ["cutover requested"]


def test_a_failed_step_rolls_the_release_back_and_exits_1(h: Harness) -> None:
    h.actions.on(S.SWAPPING, fail_with(StepFailed("CNAMEs did not move")))

    outcome = h.runner().release(h.request, h.observer)

    run = h.only_run()
    assert outcome.exit_code == ExitCode.ROLLED_BACK
    assert run.state is S.ROLLED_BACK
    assert h.path(run)[-2:] == [
        ("swapping", "rolling_back", "fail"),
        ("rolling_back", "rolled_back", "undone"),
    ]
    assert run.rollback_reason == "swapping failed: CNAMEs did not move"
    assert "CNAMEs did not move" in outcome.summary
    assert h.store.find_unfinished(run.target) is None


def test_a_cloud_error_or_a_bug_in_a_step_rolls_back_too(h: Harness) -> None:
    h.actions.on(S.DEPLOYING, fail_with(KeyError("VersionLabel")))

    outcome = h.runner().release(h.request, h.observer)

    assert outcome.exit_code == ExitCode.ROLLED_BACK
    assert "KeyError" in (h.only_run().rollback_reason or "")


def test_a_step_returning_a_trigger_its_state_does_not_allow_is_a_failure(h: Harness) -> None:
    h.actions.on(S.CLONING, lambda ctx: Trigger.CLEANED_UP)

    outcome = h.runner().release(h.request, h.observer)

    assert outcome.exit_code == ExitCode.ROLLED_BACK
    assert "cleaned_up" in (h.only_run().rollback_reason or "")


def test_a_preflight_refusal_ends_refused_in_one_transition_and_exits_2(h: Harness) -> None:
    h.actions.on(S.PREFLIGHT, fail_with(ConfigurationError("blue shop-blue is Updating")))

    outcome = h.runner().release(h.request, h.observer)

    run = h.only_run()
    assert outcome.exit_code == ExitCode.USAGE
    assert run.state is S.REFUSED and not run.state.is_unfinished
    assert [t.to_state for t in h.store.transitions(run.id)] == [S.PREFLIGHT, S.REFUSED]
    assert S.ROLLING_BACK not in h.actions.states
    assert run.error == "blue shop-blue is Updating"
    assert outcome.summary == "refused before touching anything: blue shop-blue is Updating"


@pytest.mark.parametrize(
    "error",
    [ThrottledError("Rate exceeded", "Throttling"), ServiceError("InternalFailure"),
     DeadlineExceeded("version v2 not processed within 600 s"), KeyError("a bug")],
)  # fmt: skip
def test_aws_out_of_reach_in_preflight_is_no_refusal_the_run_waits_for_resume(
    h: Harness, error: Exception
) -> None:
    h.actions.on(S.PREFLIGHT, *[fail_with(error)] * 4)  # every attempt: it persists

    outcome = h.runner().release(h.request, h.observer)

    run = h.only_run()
    assert outcome.exit_code == ExitCode.NEEDS_OPERATOR
    assert run.state is S.PREFLIGHT and run.state.is_unfinished
    assert [t.to_state for t in h.store.transitions(run.id)] == [S.PREFLIGHT]
    assert f"bluegreen resume {run.id}" in outcome.summary
    assert h.store.get(run.id).lease_owner is None


def test_throttling_in_preflight_is_retried_and_the_release_goes_on(h: Harness) -> None:
    h.actions.on(S.PREFLIGHT, *[fail_with(ThrottledError("Rate exceeded", "Throttling"))] * 3)

    outcome = h.runner().release(h.request, h.observer)

    assert outcome.exit_code == ExitCode.OK
    assert [state for state, _ in h.actions.calls].count(S.PREFLIGHT) == 4
    retries = [e for e in h.store.events(h.only_run().id) if e.source is EventSource.AWS]
    assert [e.message for e in retries][:1] == ["preflight: Rate exceeded; retrying in 1s"]


def test_a_rollback_that_fails_leaves_the_run_failed_for_an_operator(h: Harness) -> None:
    h.actions.on(S.VERIFYING, fail_with(StepFailed("/health answered 500")))
    h.actions.on(S.ROLLING_BACK, fail_with(ServiceError("InternalFailure")))

    outcome = h.runner().release(h.request, h.observer)

    run = h.only_run()
    assert outcome.exit_code == ExitCode.NEEDS_OPERATOR
    assert run.state is S.FAILED
    assert run.error == "rolling_back failed: InternalFailure"
    assert run.rollback_reason == "verifying failed: /health answered 500"
    assert h.store.find_unfinished(run.target) is not None, "a failed run keeps its target"
    assert run.lease_owner is None


def test_resume_of_a_failed_rollback_retries_the_rollback(h: Harness) -> None:
    h.actions.on(S.DEPLOYING, fail_with(StepFailed("blue went Red")))
    h.actions.on(S.ROLLING_BACK, fail_with(ServiceError("InternalFailure")))
    run_id = h.runner().release(h.request, h.observer).run.id

    outcome = h.runner("host:2:bbbbbb").resume(run_id, h.observer)

    run = h.store.get(run_id)
    assert outcome.exit_code == ExitCode.ROLLED_BACK
    assert h.path(run)[-3:] == [
        ("rolling_back", "failed", "give_up"),
        ("failed", "rolling_back", "retry_rollback"),
        ("rolling_back", "rolled_back", "undone"),
    ]
    assert run.error is None


def test_a_failed_cleanup_gives_up_and_resume_retries_the_cleanup(h: Harness) -> None:
    h.actions.on(S.CLEANING_UP, fail_with(StepFailed("green did not terminate")))

    failed = h.runner().release(h.request, h.observer)
    resumed = h.runner("host:2:bbbbbb").resume(failed.run.id, h.observer)

    assert failed.exit_code == ExitCode.NEEDS_OPERATOR
    assert resumed.exit_code == ExitCode.OK
    assert h.path(resumed.run)[-3:] == [
        ("cleaning_up", "failed", "give_up"),
        ("failed", "cleaning_up", "retry_cleanup"),
        ("cleaning_up", "succeeded", "cleaned_up"),
    ]


def test_an_interrupted_wait_keeps_the_state_records_it_and_exits_130(h: Harness) -> None:
    h.actions.on(S.DEPLOYING, fail_with(Interrupted("interrupted by SIGTERM")))

    outcome = h.runner().release(h.request, h.observer)

    run = h.only_run()
    assert outcome.exit_code == ExitCode.INTERRUPTED
    assert run.state is S.DEPLOYING and run.lease_owner is None
    assert any("interrupted by SIGTERM" in e.message for e in h.store.events(run.id))
    resumed = h.runner("host:2:bbbbbb").resume(run.id, h.observer)
    assert resumed.exit_code == ExitCode.OK
    assert h.actions.states.count(S.DEPLOYING) == 2


def test_an_interrupt_between_steps_stops_at_the_next_boundary(h: Harness) -> None:
    def interrupt_then_finish(ctx: StepContext) -> Trigger:
        h.interrupt.request("interrupted by SIGINT")
        return Trigger.CLONED

    h.actions.on(S.CLONING, interrupt_then_finish)

    outcome = h.runner().release(h.request, h.observer)

    assert outcome.exit_code == ExitCode.INTERRUPTED
    assert h.only_run().state is S.SWAPPING
    assert S.SWAPPING not in h.actions.states


def test_a_lost_lease_stops_the_drive_with_exit_4_and_no_further_action(h: Harness) -> None:
    def stolen(ctx: StepContext) -> Trigger:
        h.store.release(ctx.run.id, "host:1:aaaaaa")
        h.store.acquire(ctx.run.id, "host:9:zzzzzz", 60)
        return Trigger.SWAPPED

    h.actions.on(S.SWAPPING, stolen)

    outcome = h.runner().release(h.request, h.observer)

    run = h.only_run()
    assert outcome.exit_code == ExitCode.NEEDS_OPERATOR
    assert "lost the lease" in outcome.summary
    assert run.state is S.SWAPPING and run.lease_owner == "host:9:zzzzzz"
    assert S.DEPLOYING not in h.actions.states


def test_a_lease_lost_inside_a_step_does_not_roll_back(h: Harness) -> None:
    h.actions.on(S.CLONING, fail_with(LeaseLostError("runner lost the lease")))

    outcome = h.runner().release(h.request, h.observer)

    assert outcome.exit_code == ExitCode.NEEDS_OPERATOR
    assert S.ROLLING_BACK not in h.actions.states


def test_a_second_trigger_for_a_busy_target_is_refused_naming_the_holder(h: Harness) -> None:
    first = h.runner().release(replace(h.request, mode=Mode.DEPLOY), h.observer)

    with pytest.raises(TargetBusyError) as busy:
        h.runner("host:2:bbbbbb").release(h.request, h.observer)

    assert first.run.id in str(busy.value)
    assert len(h.store.list_runs(RunQuery())) == 1


def test_waiting_for_the_lock_gives_up_after_the_wait(h: Harness) -> None:
    h.runner().release(replace(h.request, mode=Mode.DEPLOY), h.observer)
    before = h.world.clock.monotonic()

    with pytest.raises(TargetBusyError):
        h.runner("host:2:bbbbbb").release(h.request, h.observer, LockPolicy(wait_seconds=5))

    assert h.world.clock.monotonic() - before >= 5


def test_a_cutover_waiting_for_the_lock_proceeds_once_the_holders_lease_expires(
    h: Harness,
) -> None:
    waiting = h.runner().release(replace(h.request, mode=Mode.DEPLOY), h.observer).run
    h.store.acquire(waiting.id, "host:1:dead00", 60)  # a runner that died holding it

    outcome = h.runner("host:2:bbbbbb").cutover(
        waiting.id, None, h.observer, LockPolicy(wait_seconds=120)
    )

    assert outcome.exit_code == ExitCode.OK
    assert outcome.run.state is S.SUCCEEDED


def test_a_rollback_without_a_wait_is_refused_while_the_holder_lives(h: Harness) -> None:
    waiting = h.runner().release(replace(h.request, mode=Mode.DEPLOY), h.observer).run
    h.store.acquire(waiting.id, "host:1:alive0", 60)

    with pytest.raises(TargetBusyError, match="host:1:alive0"):
        h.runner("host:2:bbbbbb").rollback(waiting.id, None, h.observer)


def test_on_unfinished_resume_takes_over_a_run_whose_lease_expired(h: Harness) -> None:
    h.actions.on(S.SWAPPING, fail_with(Interrupted("interrupted by SIGTERM")))
    dead = h.runner().release(h.request, h.observer).run
    h.store.acquire(dead.id, "host:1:dead00", 60)  # as if it had been SIGKILLed
    h.world.clock.advance(61)

    taken = h.runner("host:2:bbbbbb").release(
        h.request, h.observer, LockPolicy(OnUnfinished.RESUME)
    )

    assert taken.run.id == dead.id and taken.exit_code == ExitCode.OK
    assert any("taken over" in e.message for e in h.store.events(dead.id))


def test_resume_refuses_while_another_runner_holds_a_live_lease(h: Harness) -> None:
    h.actions.on(S.SWAPPING, fail_with(Interrupted("interrupted by SIGTERM")))
    run = h.runner().release(h.request, h.observer).run
    h.store.acquire(run.id, "host:1:alive0", 60)

    with pytest.raises(TargetBusyError, match="host:1:alive0"):
        h.runner("host:2:bbbbbb").resume(run.id, h.observer)


def test_releasing_the_version_blue_already_runs_is_a_no_op(h: Harness) -> None:
    with pytest.raises(NothingToDo, match="already runs v1"):
        h.runner().release(replace(h.request, version_label="v1"), h.observer)

    assert h.store.list_runs(RunQuery()) == []


def test_rollback_of_a_waiting_run_is_done_as_asked_and_exits_0(h: Harness) -> None:
    waiting = h.runner().release(replace(h.request, mode=Mode.DEPLOY), h.observer).run

    outcome = h.runner("host:2:bbbbbb").rollback(waiting.id, None, h.observer)

    assert outcome.exit_code == ExitCode.OK
    assert outcome.run.state is S.ROLLED_BACK
    assert ("awaiting_cutover", "rolling_back", "rollback") in h.path(outcome.run)
    assert outcome.run.rollback_reason == "the operator asked for a rollback"


def test_rollback_of_a_finished_run_is_a_usage_error(h: Harness) -> None:
    done = h.runner().release(h.request, h.observer).run

    with pytest.raises(UsageError, match="--to-version"):
        h.runner().rollback(done.id, None, h.observer)


def test_cutover_of_a_run_that_does_not_wait_is_a_usage_error(h: Harness) -> None:
    h.actions.on(S.CLEANING_UP, fail_with(StepFailed("green did not terminate")))
    failed = h.runner().release(h.request, h.observer).run

    with pytest.raises(UsageError, match="awaiting_cutover"):
        h.runner().cutover(failed.id, None, h.observer)


def test_resume_of_a_finished_run_reports_its_outcome_without_driving(h: Harness) -> None:
    done = h.runner().release(h.request, h.observer).run
    calls = len(h.actions.calls)

    outcome = h.runner().resume(done.id, h.observer)

    assert outcome.exit_code == ExitCode.OK and len(h.actions.calls) == calls


def test_a_cutover_that_another_runner_finished_first_is_refused_as_busy(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    waiting = h.runner().release(replace(h.request, mode=Mode.DEPLOY), h.observer).run
    acquire = h.store.acquire

    def acquire_after_the_other_cutover(run_id: RunId, owner: str, seconds: float) -> Run:
        monkeypatch.setattr(h.store, "acquire", acquire)
        h.runner("host:3:cccccc").cutover(waiting.id, None, h.observer)  # wins the race
        return acquire(run_id, owner, seconds)

    monkeypatch.setattr(h.store, "acquire", acquire_after_the_other_cutover)
    with pytest.raises(TargetBusyError, match="succeeded"):
        h.runner("host:2:bbbbbb").cutover(waiting.id, None, h.observer)

    assert h.store.get(waiting.id).lease_owner is None
