"""A step re-run after a crash at any point converges: no second green, no double swap, no
lost template. The crash comes right after an AWS call took effect, or right after facts were
recorded; the operation it started may or may not have finished while the process was dead."""

from __future__ import annotations

import pytest

from engine.domain.model import Run, State, Trigger
from states import rolling_back
from states.registry import ACTIONS
from tests.fakes import Crash, FakeWorld
from tests.unit.states.conftest import (
    HAPPY_PATH,
    RELEASE_CALLS,
    assert_production_untouched,
    assert_released,
    drive,
    mutations,
)

AFTER_CALLS = [
    (State.CLONING, "create_template"),
    (State.CLONING, "create_environment"),
    (State.SWAPPING, "swap_cnames"),
    (State.DEPLOYING, "deploy_version"),
    (State.CUTTING_OVER, "swap_cnames"),
    (State.CLEANING_UP, "terminate_environment"),
    (State.CLEANING_UP, "delete_template"),
]
CALL_IDS = [f"{state.value}-{call}" for state, call in AFTER_CALLS]
AFTER_FACTS = [(state, n) for state in HAPPY_PATH for n in (1, 2, 3)]
FACT_IDS = [f"{state.value}-facts{n}" for state, n in AFTER_FACTS]
PENDING = pytest.mark.parametrize("finished", [False, True], ids=["pending", "finished"])


def crash(world: FakeWorld, run: Run, state: State, finished: bool) -> None:
    """Run `state`'s action into the crash armed beforehand (if it gets there)."""
    try:
        ACTIONS[state](world.context(run))
    except Crash:
        if finished:
            world.beanstalk.finish_operations()


@PENDING
@pytest.mark.parametrize(("state", "call"), AFTER_CALLS, ids=CALL_IDS)
def test_resuming_after_a_crash_right_after_an_aws_call_completes_the_release_once(
    world: FakeWorld, run: Run, state: State, call: str, finished: bool
) -> None:
    drive(world, run, until=state)
    world.beanstalk.crash_after.add(call)
    crash(world, run, state, finished)

    drive(world, run, start=state)

    assert_released(world, run)
    assert mutations(world) == RELEASE_CALLS


@PENDING
@pytest.mark.parametrize(("state", "facts"), AFTER_FACTS, ids=FACT_IDS)
def test_resuming_after_a_crash_right_after_recording_facts_completes_the_release_once(
    world: FakeWorld, run: Run, state: State, facts: int, finished: bool
) -> None:
    drive(world, run, until=state)
    world.journal(run).crash_after_facts = facts
    crash(world, run, state, finished)
    world.journal(run).crash_after_facts = None

    drive(world, run, start=state)

    assert_released(world, run)
    assert mutations(world) == RELEASE_CALLS


@PENDING
@pytest.mark.parametrize(("state", "call"), AFTER_CALLS[:5], ids=CALL_IDS[:5])
def test_rolling_back_after_a_crash_inside_a_step_restores_production(
    world: FakeWorld, run: Run, state: State, call: str, finished: bool
) -> None:
    drive(world, run, until=state)
    world.beanstalk.crash_after.add(call)
    crash(world, run, state, finished)

    assert rolling_back.run(world.context(run)) is Trigger.UNDONE
    assert_production_untouched(world, run)
    assert world.beanstalk.calls["create_environment"] <= 1


ROLLBACK_CALLS = ["deploy_version", "swap_cnames", "terminate_environment", "delete_template"]


@PENDING
@pytest.mark.parametrize("call", ROLLBACK_CALLS)
def test_a_rollback_rerun_after_a_crash_undoes_each_part_once(
    world: FakeWorld, run: Run, call: str, finished: bool
) -> None:
    drive(world, run, until=State.CUTTING_OVER)  # verified: blue on v2, CNAMEs swapped
    world.beanstalk.crash_after.add(call)
    crash(world, run, State.ROLLING_BACK, finished)

    assert rolling_back.run(world.context(run)) is Trigger.UNDONE
    assert_production_untouched(world, run)
    calls = mutations(world)
    if call == "deploy_version" and not finished:
        # EB does not say which version an update goes to, so the re-run aborts the
        # rollback's own deployment and makes it again: slower, never wrong.
        assert calls.pop("abort_update") == 1
        assert calls.pop("deploy_version") == 3
        calls["deploy_version"] = 2
    assert calls == {**RELEASE_CALLS, "deploy_version": 2}
