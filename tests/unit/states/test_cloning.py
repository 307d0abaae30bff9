"""Cloning: one template and one green per run, whatever happened before."""

from __future__ import annotations

import pytest

from engine.domain.errors import DeadlineExceeded, StepFailed
from engine.domain.model import Run, State, Trigger
from states import cloning
from tests.fakes import Crash, FakeWorld
from tests.unit.states.conftest import drive, greens


@pytest.fixture
def preflighted(world: FakeWorld, run: Run) -> Run:
    drive(world, run, until=State.CLONING)
    return run


def test_cloning_waits_until_green_is_ready_and_healthy(world: FakeWorld, preflighted: Run) -> None:
    assert cloning.run(world.context(preflighted)) is Trigger.CLONED

    green = world.beanstalk.env(preflighted.green)
    assert (green.status, green.health) == ("Ready", "Green")
    assert preflighted.facts.green_cname == green.cname


def test_an_existing_template_and_green_are_reused(world: FakeWorld, preflighted: Run) -> None:
    cloning.run(world.context(preflighted))

    assert cloning.run(world.context(preflighted)) is Trigger.CLONED
    assert world.beanstalk.calls["create_template"] == 1
    assert world.beanstalk.calls["create_environment"] == 1


def test_a_green_found_by_name_and_tag_is_adopted_when_its_id_was_not_recorded(
    world: FakeWorld, preflighted: Run
) -> None:
    world.beanstalk.crash_after.add("create_environment")  # before its id could be recorded
    with pytest.raises(Crash):
        cloning.run(world.context(preflighted))
    assert preflighted.facts.green_env_id is None

    assert cloning.run(world.context(preflighted)) is Trigger.CLONED
    assert preflighted.facts.green_env_id == world.beanstalk.env(preflighted.green).id
    assert world.beanstalk.calls["create_environment"] == 1


def test_a_foreign_environment_that_took_the_green_name_is_never_touched(
    world: FakeWorld, preflighted: Run
) -> None:
    foreign = world.beanstalk.add_environment("shop", "shop-green", "v0")

    with pytest.raises(StepFailed, match="cannot create green shop-green"):
        cloning.run(world.context(preflighted))
    assert [e.id for e in greens(world, preflighted)] == [foreign.id]
    assert world.beanstalk.env(foreign.id).version_label == "v0"
    assert world.beanstalk.calls["terminate_environment"] == 0


def test_a_failed_launch_fails_the_step_after_the_health_grace(
    world: FakeWorld, preflighted: Run
) -> None:
    world.beanstalk.fail_launch = True

    with pytest.raises(StepFailed, match="green shop-green is Ready but its health is Red"):
        cloning.run(world.context(preflighted))
    launched_at = world.beanstalk.durations.launch
    assert world.clock.monotonic() >= launched_at + world.deadlines.health_grace


def test_a_terminated_green_fails_the_step(world: FakeWorld, preflighted: Run) -> None:
    cloning.run(world.context(preflighted))
    world.beanstalk.env(preflighted.green).status = "Terminated"

    with pytest.raises(StepFailed, match="green shop-green is Terminated"):
        cloning.run(world.context(preflighted))
    assert world.beanstalk.calls["create_environment"] == 1


def test_a_launch_that_never_ends_runs_into_the_launch_deadline(
    world: FakeWorld, preflighted: Run
) -> None:
    world.beanstalk.stuck.add("launch")

    with pytest.raises(DeadlineExceeded, match="green shop-green Ready and healthy"):
        cloning.run(world.context(preflighted))
