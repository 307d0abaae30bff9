"""Cleaning up: green terminated (a failed terminate is tried once more), template deleted."""

from __future__ import annotations

import pytest

from engine.domain.errors import StepFailed
from engine.domain.model import Run, State, Trigger
from states import cleaning_up
from tests.fakes import FakeWorld
from tests.unit.states.conftest import assert_released, drive, mutations


@pytest.fixture
def cut_over(world: FakeWorld, run: Run) -> Run:
    drive(world, run, until=State.CLEANING_UP)
    return run


def test_cleaning_up_terminates_green_and_deletes_the_template(
    world: FakeWorld, cut_over: Run
) -> None:
    assert cleaning_up.run(world.context(cut_over)) is Trigger.CLEANED_UP

    assert_released(world, cut_over)


def test_cleaning_up_again_changes_nothing(world: FakeWorld, cut_over: Run) -> None:
    cleaning_up.run(world.context(cut_over))
    before = mutations(world)

    assert cleaning_up.run(world.context(cut_over)) is Trigger.CLEANED_UP
    assert mutations(world) == before


def test_a_termination_under_way_is_waited_for_not_repeated(
    world: FakeWorld, cut_over: Run
) -> None:
    world.beanstalk.terminate_environment(cut_over.facts.green_env_id or "")

    cleaning_up.run(world.context(cut_over))

    assert world.beanstalk.calls["terminate_environment"] == 1
    assert_released(world, cut_over)


def test_a_terminate_that_fails_once_is_tried_again(world: FakeWorld, cut_over: Run) -> None:
    world.beanstalk.fail_terminate_times = 1

    assert cleaning_up.run(world.context(cut_over)) is Trigger.CLEANED_UP
    assert world.beanstalk.calls["terminate_environment"] == 2
    assert_released(world, cut_over)


def test_a_terminate_that_fails_twice_fails_the_step(world: FakeWorld, cut_over: Run) -> None:
    world.beanstalk.fail_terminate_times = 2

    with pytest.raises(StepFailed, match=r"terminating green shop-green failed.*after 2 attempts"):
        cleaning_up.run(world.context(cut_over))
    assert world.beanstalk.env(cut_over.green).status == "Ready"


def test_green_holding_the_live_cname_is_never_terminated(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.DEPLOYING)  # swapped: green serves production

    with pytest.raises(StepFailed, match="holds the live CNAME"):
        cleaning_up.run(world.context(run))
    assert world.beanstalk.calls["terminate_environment"] == 0
