"""Lifecycle hooks in the steps: run where they belong with the run's facts, once per point;
a gate point's failure fails the step before anything changes, an on-rollback failure never
blocks the rollback."""

from __future__ import annotations

from dataclasses import replace

import pytest

from engine.domain.errors import StepFailed
from engine.domain.hooks import parse_hook
from engine.domain.model import EventSource, Run, State, Trigger
from engine.domain.ports.hooks import HookResult
from states import rolling_back, swapping
from tests.fakes import FakeWorld
from tests.unit.states.conftest import (
    BLUE_CNAME,
    assert_production_untouched,
    assert_released,
    drive,
)


def with_hooks(run: Run, *texts: str) -> Run:
    run.guards = replace(run.guards, hooks=tuple(parse_hook(t) for t in texts))
    return run


def test_each_point_runs_its_hooks_in_a_whole_release_once_and_in_order(
    world: FakeWorld, run: Run
) -> None:
    with_hooks(run, "before-cleanup=clean", "before-swap=swap1", "after-verify=verify",
               "before-swap=swap2", "on-rollback=undo")  # fmt: skip

    drive(world, run)

    assert world.hook_runner.commands() == ["swap1", "swap2", "verify", "clean"]
    assert_released(world, run)
    assert run.facts.hooks_done == "before-swap,after-verify,before-cleanup"


def test_a_hook_gets_the_runs_facts_in_its_environment_and_its_time_limit(
    world: FakeWorld, run: Run
) -> None:
    with_hooks(run, "before-swap=check --fast")
    run.guards = replace(run.guards, hook_timeout_seconds=42.0)

    drive(world, run, until=State.DEPLOYING)

    ((argv, env, timeout),) = world.hook_runner.calls
    assert argv == ["check", "--fast"] and timeout == 42.0
    assert env["BLUEGREEN_RUN_ID"] == run.id
    assert env["BLUEGREEN_HOOK_POINT"] == "before-swap"
    assert env["BLUEGREEN_LIVE_CNAME"] == BLUE_CNAME
    assert env["BLUEGREEN_PREVIOUS_VERSION_LABEL"] == "v1"
    assert env["BLUEGREEN_VERSION_LABEL"] == "v2"
    assert env["BLUEGREEN_ENDPOINT_URL"].startswith("http://")
    assert not any("AWS" in name for name in env)


def test_a_failing_before_swap_hook_fails_the_step_before_the_swap(
    world: FakeWorld, run: Run
) -> None:
    with_hooks(run, "before-swap=migrate", "before-swap=never")
    world.hook_runner.results["migrate"] = HookResult(3, 0.5, ("boom",))
    drive(world, run, until=State.SWAPPING)
    run.state = State.SWAPPING

    with pytest.raises(StepFailed, match="before-swap hook 1/2 failed \\(exit 3\\)"):
        swapping.run(world.context(run))

    assert world.beanstalk.calls["swap_cnames"] == 0
    assert world.hook_runner.commands() == ["migrate"], "the first failure stops the rest"
    assert run.facts.hooks_done is None
    ended = [e for e in world.journal(run).events if "exit_code" in e.data]
    assert ended[0].data["output_tail"] == ["boom"] and ended[0].data["ok"] is False


def test_a_timed_out_or_unstartable_hook_fails_its_gate(world: FakeWorld, run: Run) -> None:
    with_hooks(run, "before-swap=slow")
    world.hook_runner.results["slow"] = HookResult(None, 300.0, timed_out=True)
    drive(world, run, until=State.SWAPPING)

    with pytest.raises(StepFailed, match="timed out"):
        swapping.run(world.context(run))
    world.hook_runner.results["slow"] = HookResult(None, 0.0, error="cannot start 'slow'")
    with pytest.raises(StepFailed, match="cannot start"):
        swapping.run(world.context(run))


def test_a_swap_step_run_again_after_its_hooks_passed_does_not_run_them_again(
    world: FakeWorld, run: Run
) -> None:
    with_hooks(run, "before-swap=migrate")
    drive(world, run, until=State.DEPLOYING)

    assert swapping.run(world.context(run)) is Trigger.SWAPPED
    assert world.hook_runner.commands() == ["migrate"]


def test_an_on_rollback_hook_failure_is_recorded_and_the_rollback_completes(
    world: FakeWorld, run: Run
) -> None:
    with_hooks(run, "on-rollback=page-someone")
    world.hook_runner.results["page-someone"] = HookResult(1, 0.2, ("no pager",))
    drive(world, run, until=State.VERIFYING)
    run.state = State.ROLLING_BACK

    assert rolling_back.run(world.context(run)) is Trigger.UNDONE
    assert rolling_back.run(world.context(run)) is Trigger.UNDONE  # run again: not re-run

    assert world.hook_runner.commands() == ["page-someone"]
    assert_production_untouched(world, run)
    messages = world.journal(run).messages(EventSource.ENGINE)
    assert any("hook on-rollback 1/1 failed (exit 1)" in m for m in messages)


def test_without_a_wired_runner_a_gate_fails_and_a_rollback_goes_on(
    world: FakeWorld, run: Run
) -> None:
    with_hooks(run, "before-swap=migrate", "on-rollback=undo")
    drive(world, run, until=State.SWAPPING)
    ctx = replace(world.context(run), hook_runner=None)

    with pytest.raises(StepFailed, match="no hook runner"):
        swapping.run(ctx)
    assert rolling_back.run(ctx) is Trigger.UNDONE
