"""Swapping and cutting over: each direction swaps once, and only when it must."""

from __future__ import annotations

import pytest

from engine.domain.errors import StepFailed
from engine.domain.model import Run, State, Trigger
from states import cutting_over, swapping
from tests.fakes import FakeWorld
from tests.unit.states.conftest import BLUE_CNAME, drive


def cnames(world: FakeWorld, run: Run) -> tuple[str, str]:
    return world.beanstalk.env(run.target.blue).cname, world.beanstalk.env(run.green).cname


def test_swapping_gives_green_the_live_cname(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.SWAPPING)

    assert swapping.run(world.context(run)) is Trigger.SWAPPED
    assert cnames(world, run) == (run.facts.green_cname, BLUE_CNAME)
    assert world.beanstalk.env(run.green).status == "Ready"


def test_swapping_again_does_not_swap_back(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.DEPLOYING)

    assert swapping.run(world.context(run)) is Trigger.SWAPPED
    assert world.beanstalk.calls["swap_cnames"] == 1
    assert cnames(world, run) == (run.facts.green_cname, BLUE_CNAME)


def test_a_swap_under_way_is_waited_for_not_repeated(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.SWAPPING)
    world.beanstalk.swap_cnames(run.facts.blue_env_id or "", run.facts.green_env_id or "")

    assert swapping.run(world.context(run)) is Trigger.SWAPPED
    assert world.beanstalk.calls["swap_cnames"] == 1
    assert cnames(world, run) == (run.facts.green_cname, BLUE_CNAME)


def test_live_traffic_is_never_moved_to_an_unhealthy_green(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.SWAPPING)
    world.beanstalk.env(run.green).health = "Yellow"

    with pytest.raises(StepFailed, match="green shop-green would take the live CNAME"):
        swapping.run(world.context(run))
    assert world.beanstalk.calls["swap_cnames"] == 0


def test_unexpected_cnames_fail_instead_of_swapping(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.SWAPPING)
    world.beanstalk.env(run.green).cname = "someone-else.eb.test"

    with pytest.raises(StepFailed, match="neither the original nor the swapped"):
        swapping.run(world.context(run))
    assert world.beanstalk.calls["swap_cnames"] == 0


def test_cutting_over_gives_blue_its_cname_back(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.CUTTING_OVER)

    assert cutting_over.run(world.context(run)) is Trigger.CUT_OVER
    assert cnames(world, run) == (BLUE_CNAME, run.facts.green_cname)
    assert world.beanstalk.calls["swap_cnames"] == 2


def test_cutting_over_again_does_not_swap_a_third_time(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.CLEANING_UP)

    assert cutting_over.run(world.context(run)) is Trigger.CUT_OVER
    assert world.beanstalk.calls["swap_cnames"] == 2
