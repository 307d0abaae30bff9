"""Rolling back: from whatever the run recorded, production ends exactly where it was."""

from __future__ import annotations

import pytest

from engine.domain.errors import StepFailed
from engine.domain.model import Run, State, Trigger
from states import rolling_back
from tests.fakes import FakeWorld, make_run
from tests.unit.states.conftest import (
    BLUE_CNAME,
    HAPPY_PATH,
    assert_production_untouched,
    drive,
    greens,
    mutations,
)

UNDOABLE = HAPPY_PATH[1:]  # rolled back before this step ran (it had not run yet)


@pytest.mark.parametrize("stopped_before", UNDOABLE, ids=[s.value for s in UNDOABLE])
def test_rollback_from_the_facts_of_every_step_restores_production(
    world: FakeWorld, run: Run, stopped_before: State
) -> None:
    drive(world, run, until=stopped_before)

    assert rolling_back.run(world.context(run)) is Trigger.UNDONE
    assert_production_untouched(world, run)


def test_rolling_back_twice_changes_nothing_the_second_time(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.VERIFYING)
    rolling_back.run(world.context(run))
    before = mutations(world)

    assert rolling_back.run(world.context(run)) is Trigger.UNDONE
    assert mutations(world) == before


def test_nothing_recorded_means_nothing_to_undo(world: FakeWorld, run: Run) -> None:
    assert rolling_back.run(world.context(run)) is Trigger.UNDONE

    assert mutations(world) == {}


def test_a_foreign_environment_with_the_green_name_is_never_touched(world: FakeWorld) -> None:
    world.seed_release()
    foreign = world.beanstalk.add_environment("shop", "shop-green", "v0")
    run = make_run()
    run.facts.blue_env_id = world.beanstalk.env("shop-blue").id
    run.facts.blue_cname, run.facts.previous_version_label = BLUE_CNAME, "v1"

    assert rolling_back.run(world.context(run)) is Trigger.UNDONE
    assert world.beanstalk.env(foreign.id).status == "Ready"
    assert mutations(world) == {}


def test_a_failed_launch_is_rolled_back(world: FakeWorld, run: Run) -> None:
    world.beanstalk.fail_launch = True
    drive(world, run, until=State.CLONING)
    with pytest.raises(StepFailed):
        drive(world, run, start=State.CLONING)

    assert rolling_back.run(world.context(run)) is Trigger.UNDONE
    assert_production_untouched(world, run)


def test_a_green_still_launching_is_waited_for_then_terminated(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.CLONING)
    world.beanstalk.stuck.add("launch")
    with pytest.raises(StepFailed):
        drive(world, run, start=State.CLONING)
    world.beanstalk.stuck.clear()
    world.beanstalk.env(run.green).operation.due = world.clock.monotonic() + 60  # type: ignore[union-attr]

    assert rolling_back.run(world.context(run)) is Trigger.UNDONE
    assert_production_untouched(world, run)


def test_a_failed_deployment_is_rolled_back_once_blue_recovers(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.DEPLOYING)
    world.beanstalk.fail_deploy = True
    with pytest.raises(StepFailed, match="deploy failed"):
        drive(world, run, start=State.DEPLOYING)

    assert rolling_back.run(world.context(run)) is Trigger.UNDONE
    assert_production_untouched(world, run)
    assert world.beanstalk.calls["deploy_version"] == 1  # blue never left v1


def test_a_deployment_under_way_is_aborted(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.DEPLOYING)
    world.beanstalk.deploy_version(run.facts.blue_env_id or "", "v2")

    assert rolling_back.run(world.context(run)) is Trigger.UNDONE
    assert world.beanstalk.calls["abort_update"] == 1
    assert world.beanstalk.calls["deploy_version"] == 1
    assert_production_untouched(world, run)


def test_a_failed_health_check_is_rolled_back(world: FakeWorld, run: Run) -> None:
    world.probe.version_answers["v2"] = 500
    drive(world, run, until=State.VERIFYING)
    with pytest.raises(StepFailed, match="health check failed"):
        drive(world, run, start=State.VERIFYING)

    assert rolling_back.run(world.context(run)) is Trigger.UNDONE
    assert_production_untouched(world, run)
    assert world.beanstalk.calls["swap_cnames"] == 2


def test_a_blue_that_cannot_go_back_keeps_green_serving(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.VERIFYING)
    world.beanstalk.fail_deploy = True

    with pytest.raises(StepFailed, match="deploy failed"):
        rolling_back.run(world.context(run))
    green = world.beanstalk.env(run.green)
    assert (green.status, green.cname) == ("Ready", BLUE_CNAME)
    assert world.beanstalk.calls["terminate_environment"] == 0


def test_rollback_never_leaves_a_green_behind(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.CUTTING_OVER)

    rolling_back.run(world.context(run))

    assert [e.status for e in greens(world, run)] == ["Terminated"]
