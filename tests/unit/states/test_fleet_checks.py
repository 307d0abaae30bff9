"""Issue 19's checks with fakes: drift between blue's and green's settings, a managed action
or a busy blue in preflight, the per-instance verdict and the warm-up's decisions."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from engine.domain.errors import ConfigurationError, StepFailed
from engine.domain.model import Run, State
from engine.domain.ports.cloud import Instance, ManagedAction
from states import preflight, swapping
from states.shared.drift import differences_between, is_critical
from states.shared.instance_verdict import require_instances_on
from tests.fakes import FakeWorld
from tests.unit.states.conftest import drive

ASG = "aws:autoscaling:asg"
TYPE = ("aws:autoscaling:launchconfiguration", "InstanceType")


def test_a_larger_green_is_no_drift_a_smaller_one_and_another_type_are() -> None:
    blue = {(ASG, "MinSize"): "2", (ASG, "MaxSize"): "8", TYPE: "t3.micro"}
    larger = {(ASG, "MinSize"): "6", (ASG, "MaxSize"): "8", TYPE: "t3.micro"}
    assert differences_between(blue, larger) == []
    smaller = {(ASG, "MinSize"): "2", (ASG, "MaxSize"): "4", TYPE: "t3.nano"}
    found = differences_between(blue, smaller)
    assert [key for key, _, _ in found] == [(ASG, "MaxSize"), TYPE]
    assert all(is_critical(key) for key, _, _ in found)
    assert not is_critical(("aws:elasticbeanstalk:cloudwatch:logs", "StreamLogs"))


def test_a_drifted_green_fails_the_swap_before_any_swap(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.SWAPPING)
    world.beanstalk.env(run.green).options[TYPE] = "t3.nano"

    with pytest.raises(StepFailed, match="InstanceType"):
        swapping.run(world.context(run))
    assert world.beanstalk.calls["swap_cnames"] == 0


def test_with_on_drift_warn_the_drift_is_only_recorded(world: FakeWorld, run: Run) -> None:
    run.guards = replace(run.guards, on_drift="warn")
    drive(world, run, until=State.SWAPPING)
    world.beanstalk.env(run.green).options[
        ("aws:elasticbeanstalk:application:environment", "KEY")
    ] = "secret"

    swapping.run(world.context(run))
    recorded = [e for e in world.journal(run).events if "drift check" in e.message]
    assert recorded and "secret" not in recorded[0].message
    assert recorded[0].data["drift"][0]["green"] == "(set)"


def test_a_managed_action_scheduled_inside_the_release_is_refused(
    world: FakeWorld, run: Run
) -> None:
    soon = world.clock.now() + timedelta(minutes=30)
    world.beanstalk.env(run.target.blue).managed.append(
        ManagedAction("a-1", "PlatformUpdate", "Scheduled", "new platform", soon)
    )

    with pytest.raises(ConfigurationError, match="managed action PlatformUpdate"):
        preflight.run(world.context(run))
    assert world.beanstalk.calls["create_template"] == 0


def test_a_managed_action_scheduled_after_the_release_is_only_noted(
    world: FakeWorld, run: Run
) -> None:
    later = world.clock.now() + timedelta(days=3)
    world.beanstalk.env(run.target.blue).managed.append(
        ManagedAction("a-1", "PlatformUpdate", "Scheduled", "new platform", later)
    )

    preflight.run(world.context(run))
    assert any("after this release" in e.message for e in world.journal(run).events)


def test_a_busy_blue_is_waited_for_within_the_bound(world: FakeWorld, run: Run) -> None:
    run.guards = replace(run.guards, wait_for_blue_seconds=600)
    blue = world.beanstalk.env(run.target.blue)
    world.beanstalk.update_options(blue.id, {(ASG, "MaxSize"): "7"})  # someone else's update

    preflight.run(world.context(run))
    assert blue.status == "Ready"


def test_a_busy_blue_past_the_bound_is_refused(world: FakeWorld, run: Run) -> None:
    run.guards = replace(run.guards, wait_for_blue_seconds=10)
    world.beanstalk.stuck.add("update")
    blue = world.beanstalk.env(run.target.blue)
    world.beanstalk.update_options(blue.id, {(ASG, "MaxSize"): "7"})

    with pytest.raises(ConfigurationError, match="still busy"):
        preflight.run(world.context(run))


def test_the_verdict_names_an_instance_left_on_the_old_version(
    world: FakeWorld, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    drive(world, run, until=State.SWAPPING)
    blue = world.beanstalk.env(run.target.blue)
    left = [Instance("i-1", "Ok", "v1", "Deployed"), Instance("i-2", "Ok", "v2", "Deployed")]
    monkeypatch.setattr(type(blue), "instances", lambda self: left)

    with pytest.raises(StepFailed, match="i-1 runs v1"):
        require_instances_on(world.context(run), "blue", blue.id, "v2", "deploy")
