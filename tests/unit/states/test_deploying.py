"""Deploying: blue gets the new version once; a deployment EB failed is a failed step."""

from __future__ import annotations

import pytest

from engine.domain.errors import StepFailed
from engine.domain.model import Run, State, Trigger
from states import deploying
from tests.fakes import FakeWorld
from tests.unit.states.conftest import drive


@pytest.fixture
def swapped(world: FakeWorld, run: Run) -> Run:
    drive(world, run, until=State.DEPLOYING)
    return run


def test_deploying_waits_until_blue_runs_the_new_version_healthy(
    world: FakeWorld, swapped: Run
) -> None:
    assert deploying.run(world.context(swapped)) is Trigger.DEPLOYED

    blue = world.beanstalk.env(swapped.target.blue)
    assert (blue.status, blue.version_label, blue.health) == ("Ready", "v2", "Green")


def test_a_deployment_under_way_is_waited_for_not_repeated(world: FakeWorld, swapped: Run) -> None:
    world.beanstalk.deploy_version(swapped.facts.blue_env_id or "", "v2")

    assert deploying.run(world.context(swapped)) is Trigger.DEPLOYED
    assert world.beanstalk.calls["deploy_version"] == 1


def test_blue_already_on_the_new_version_is_not_deployed_again(
    world: FakeWorld, swapped: Run
) -> None:
    deploying.run(world.context(swapped))

    assert deploying.run(world.context(swapped)) is Trigger.DEPLOYED
    assert world.beanstalk.calls["deploy_version"] == 1


def test_a_deployment_eb_rolled_back_fails_the_step(world: FakeWorld, swapped: Run) -> None:
    world.beanstalk.fail_deploy = True

    with pytest.raises(StepFailed, match="deploy failed: blue shop-blue is Ready on version v1"):
        deploying.run(world.context(swapped))


def test_a_new_version_that_stays_red_fails_after_the_health_grace(
    world: FakeWorld, swapped: Run
) -> None:
    world.beanstalk.red_versions.add("v2")

    with pytest.raises(StepFailed, match="blue shop-blue is Ready but its health is Red"):
        deploying.run(world.context(swapped))


def test_a_short_dip_in_health_is_tolerated(world: FakeWorld, swapped: Run) -> None:
    world.beanstalk.red_versions.add("v2")
    world.beanstalk.deploy_version(swapped.facts.blue_env_id or "", "v2")
    world.beanstalk.finish_operations()
    world.beanstalk.env(swapped.target.blue).recover_at = world.clock.monotonic() + 30

    assert deploying.run(world.context(swapped)) is Trigger.DEPLOYED
