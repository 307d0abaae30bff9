"""Green as strong as blue (issue 19), through the real engine against the simulator: capacity
warm-up under load, a verdict per instance, drift, managed actions and a busy blue."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from engine.domain.exit_codes import ExitCode
from engine.domain.model import EventSource, Mode, Run, State, TransitionRecord
from engine.operator.inputs import release_request
from engine.release.observer import NullObserver
from simulator import Simulator
from simulator.seed import ReleaseTarget, seed_release_target
from tests.integration.cloud.helpers import point_aws_at
from tests.integration.release.conftest import GREEN, Wired, WiredFactory
from tests.integration.release.world import assert_blue_serves, assert_clean, production

ASG = "aws:autoscaling:asg"
SIZES = [
    {"Namespace": ASG, "OptionName": "MinSize", "Value": "1"},
    {"Namespace": ASG, "OptionName": "MaxSize", "Value": "8"},
]


@pytest.fixture
def target(sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReleaseTarget:
    """shop-blue on v1 with MinSize 1, MaxSize 8; v2 good."""
    point_aws_at(sim, tmp_path, monkeypatch)
    return seed_release_target(sim, versions={"v1": {}, "v2": {}}, options=SIZES)


def instances(sim: Simulator, env: str) -> list[dict[str, Any]]:
    answer = sim.client("elasticbeanstalk").describe_instances_health(
        EnvironmentName=env, AttributeNames=["All"]
    )
    return list(answer["InstanceHealthList"])


def scale_blue_to(sim: Simulator, target: ReleaseTarget, count: int) -> None:
    """Put the load on blue's CNAME and wait until its auto scaling has `count` healthy."""
    sim.set_load(count * sim.load.instance_rps, cname=target.cname)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        healthy = [i for i in instances(sim, target.blue) if i["HealthStatus"] == "Ok"]
        if len(healthy) == count:
            return
        time.sleep(0.05)
    raise AssertionError(f"blue did not scale to {count}: {instances(sim, target.blue)}")


def min_size(sim: Simulator, app: str, env: str) -> str:
    settings = sim.client("elasticbeanstalk").describe_configuration_settings(
        ApplicationName=app, EnvironmentName=env
    )["ConfigurationSettings"][0]["OptionSettings"]
    return next(
        o["Value"] for o in settings if (o["Namespace"], o["OptionName"]) == (ASG, "MinSize")
    )


def engine_events(engine: Wired, run_id: str) -> list[Any]:
    return [e for e in engine.store.events(run_id) if e.source is EventSource.ENGINE]


@pytest.mark.slow
def test_under_load_green_is_warmed_up_to_blues_six_instances_and_no_request_fails(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    scale_blue_to(sim, target, 6)
    engine = wired()

    with sim.live_traffic(f"http://{target.cname}/", interval=0.002) as traffic:
        outcome = engine.release("v2")
    report = traffic.stop()

    assert outcome.exit_code == ExitCode.OK, outcome.summary
    assert report.sent > 100 and report.failures == []
    messages = [e.message for e in engine_events(engine, outcome.run.id)]
    assert any("needs 6" in m for m in messages), messages
    done = [e for e in engine_events(engine, outcome.run.id) if "warm-up done: green" in e.message]
    assert len(done) == 1
    assert [row["health"] for row in done[0].data["instances"]].count("Ok") >= 6
    # Blue's MinSize is pinned at green's six before the cutover (it served nothing while
    # deployed to: it may scale in while the CNAMEs move), and restored at the cleanup.
    assert any("raised blue shop-blue's MinSize to 6" in m for m in messages), messages
    assert any("capacity restored: blue" in m for m in messages), messages
    assert min_size(sim, target.app, target.blue) == "1"  # the saved configuration's again
    world = production(sim, target.app, target.blue, GREEN, target.cname)
    assert_blue_serves(world, "v2", target.cname)
    assert_clean(world)


@pytest.mark.slow
def test_without_the_warm_up_the_same_release_fails_live_requests(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    scale_blue_to(sim, target, 6)
    engine = wired(BLUEGREEN_WARM_UP=False)

    with sim.live_traffic(f"http://{target.cname}/", interval=0.002) as traffic:
        outcome = engine.release("v2")
    report = traffic.stop()

    assert outcome.exit_code == ExitCode.OK, outcome.summary
    assert report.failed > 0  # green took the whole load on one instance
    assert {f.status for f in report.failures} == {503}


@pytest.mark.slow
@pytest.mark.parametrize("failed", [False, True], ids=["old-version", "failed-deployment"])
def test_a_deploy_that_leaves_an_instance_behind_is_caught_before_the_cutover(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory, failed: bool
) -> None:
    eb = sim.client("elasticbeanstalk")
    eb.update_environment(EnvironmentName=target.blue, OptionSettings=[dict(SIZES[0], Value="3")])
    wait_ready_with(sim, target.blue, 3)
    sim.faults.fleet.leave_behind(target.blue, count=1, failed=failed)
    engine = wired()

    outcome = engine.release("v2")

    assert outcome.exit_code == ExitCode.ROLLED_BACK, outcome.summary
    assert "not on v2" in (outcome.run.rollback_reason or ""), outcome.run.rollback_reason
    assert "cutting_over" not in engine.path(outcome)
    verdicts = [e for e in engine_events(engine, outcome.run.id) if "verdict failed" in e.message]
    assert verdicts and len(verdicts[0].data["instances"]) == 3
    world = production(sim, target.app, target.blue, GREEN, target.cname)
    assert_blue_serves(world, "v1", target.cname)
    assert_clean(world)
    assert {i["Deployment"]["VersionLabel"] for i in instances(sim, target.blue)} == {"v1"}


@pytest.mark.slow
def test_a_traffic_split_that_leaves_an_instance_behind_is_rolled_back(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    eb = sim.client("elasticbeanstalk")
    eb.update_environment(EnvironmentName=target.blue, OptionSettings=[dict(SIZES[0], Value="3")])
    wait_ready_with(sim, target.blue, 3)
    sim.faults.fleet.leave_behind(target.blue, count=1, failed=False)
    engine = wired(BLUEGREEN_STRATEGY="traffic-split", BLUEGREEN_CANARY_MINUTES=3)

    outcome = engine.release("v2")

    assert outcome.exit_code == ExitCode.ROLLED_BACK, outcome.summary
    assert "not on v2" in (outcome.run.rollback_reason or ""), outcome.run.rollback_reason
    assert engine.path(outcome)[-3:] == ["splitting", "rolling_back", "rolled_back"]
    world = production(sim, target.app, target.blue, GREEN, target.cname)
    assert_blue_serves(world, "v1", target.cname)
    assert {i["Deployment"]["VersionLabel"] for i in instances(sim, target.blue)} == {"v1"}


def wait_ready_with(sim: Simulator, env: str, count: int) -> None:
    deadline = time.monotonic() + 60
    eb = sim.client("elasticbeanstalk")
    while time.monotonic() < deadline:
        (found,) = eb.describe_environments(EnvironmentNames=[env])["Environments"]
        ok = [i for i in instances(sim, env) if i["HealthStatus"] == "Ok"]
        if found["Status"] == "Ready" and len(ok) == count:
            return
        time.sleep(0.05)
    raise AssertionError(f"{env} did not reach {count} healthy instances")


@pytest.mark.slow
@pytest.mark.parametrize("policy", ["fail", "warn"])
def test_a_drifted_green_is_refused_or_warned_per_the_policy(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory, policy: str
) -> None:
    namespace = "aws:autoscaling:launchconfiguration"
    sim.faults.fleet.drift(GREEN, namespace, "InstanceType", "t3.nano")
    engine = wired(BLUEGREEN_ON_DRIFT=policy)

    outcome = engine.release("v2")

    drift = [e for e in engine_events(engine, outcome.run.id) if "drift check" in e.message]
    assert drift and drift[0].data["drift"][0]["option"] == "InstanceType"
    if policy == "fail":
        assert outcome.exit_code == ExitCode.ROLLED_BACK, outcome.summary
        assert "InstanceType" in (outcome.run.rollback_reason or "")
        assert "deploying" not in engine.path(outcome)
        assert sim.calls.count("SwapEnvironmentCNAMEs") == 0
    else:
        assert outcome.exit_code == ExitCode.OK, outcome.summary
        assert drift[0].data["drift"][0]["verdict"] == "warn"


def test_a_scheduled_managed_action_on_blue_is_refused_with_no_mutating_call(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    sim.faults.fleet.managed_action(target.blue, window_seconds=1800)
    time.sleep(0.1)  # the next tick puts it on blue
    engine = wired()
    mutating = ("CreateConfigurationTemplate", "CreateEnvironment", "UpdateEnvironment")
    before = [sim.calls.count(action) for action in mutating]

    outcome = engine.release("v2")

    assert outcome.exit_code == ExitCode.USAGE, outcome.summary
    assert "managed action PlatformUpdate" in (outcome.run.error or "")
    assert [sim.calls.count(action) for action in mutating] == before


@pytest.mark.slow
def test_a_foreign_update_on_blue_is_refused_or_waited_for_within_the_bound(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    eb = sim.client("elasticbeanstalk")
    sim.faults.stick(target.blue, ops=("update",), times=1)
    eb.update_environment(EnvironmentName=target.blue, OptionSettings=[dict(SIZES[1], Value="7")])

    launched = sim.calls.count("CreateEnvironment")
    refused = wired().release("v2")
    assert refused.exit_code == ExitCode.USAGE, refused.summary
    assert "Updating, not Ready" in (refused.run.error or "")
    assert sim.calls.count("CreateEnvironment") == launched

    timer = threading.Timer(0.5, lambda: sim.release(target.blue))
    timer.start()
    waited = wired(BLUEGREEN_WAIT_FOR_BLUE=30).release("v2")
    timer.join()
    assert waited.exit_code == ExitCode.OK, waited.summary


@pytest.mark.slow
def test_a_lost_response_to_the_warm_ups_update_converges_with_one_raise(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    sim.set_load(200, cname=target.cname)
    wait_ready_with(sim, target.blue, 2)
    updates = len(sim.calls.performed("UpdateEnvironment"))
    sim.faults.lose_response("UpdateEnvironment")  # the next one is the warm-up's raise

    outcome = wired().release("v2")

    assert outcome.exit_code == ExitCode.OK, outcome.summary
    made = sim.calls.performed("UpdateEnvironment")[updates:]
    raises = [c for c in made if c.params.get("EnvironmentId") != target.blue_id]
    assert len(raises) == 1  # green's MinSize raised once, not again after the lost answer
    assert raises[0].params["OptionSettings"] == [
        {"Namespace": ASG, "OptionName": "MinSize", "Value": "2"}
    ]


class LoseAtCleanup(NullObserver):
    """At the transition into cleaning_up, the next UpdateEnvironment's response is lost:
    the cleanup's restore of blue's sizes (green is terminated, never updated)."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.updates_before = 0

    def transitioned(self, run: Run, record: TransitionRecord) -> None:
        if record.to_state is State.CLEANING_UP:
            self.updates_before = len(self.sim.calls.performed("UpdateEnvironment"))
            self.sim.faults.lose_response("UpdateEnvironment")


@pytest.mark.slow
def test_a_lost_response_to_the_cleanups_restore_of_blues_sizes_converges_with_one_restore(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    scale_blue_to(sim, target, 2)
    engine = wired()
    request = release_request(engine.settings.model_copy(update={"version_label": "v2"}), Mode.FULL)
    observer = LoseAtCleanup(sim)

    outcome = engine.runner.release(request, observer)

    assert outcome.exit_code == ExitCode.OK, outcome.summary
    made = sim.calls.performed("UpdateEnvironment")[observer.updates_before :]
    assert [(c.params["EnvironmentId"], c.params["OptionSettings"], c.lost) for c in made] == [
        (target.blue_id, [{"Namespace": ASG, "OptionName": "MinSize", "Value": "1"}], True)
    ]  # sent once, its lost answer read from what exists: not sent again
    messages = [e.message for e in engine_events(engine, outcome.run.id)]
    assert any("sizes back to" in m and "took effect" in m for m in messages), messages
    assert any("capacity restored: blue shop-blue back to MinSize=1" in m for m in messages)
    assert min_size(sim, target.app, target.blue) == "1"
    world = production(sim, target.app, target.blue, GREEN, target.cname)
    assert_blue_serves(world, "v2", target.cname)
    assert_clean(world)


class ScaledInBeforeCutover(NullObserver):
    """At the transition into cutting_over, waits until blue (serving nothing since the swap)
    has scaled in to one instance: the cutover must then warm it up again."""

    def __init__(self, sim: Simulator, blue: str) -> None:
        self.sim, self.blue = sim, blue

    def transitioned(self, run: Run, record: TransitionRecord) -> None:
        if record.to_state is State.CUTTING_OVER:
            deadline = time.monotonic() + 60
            while len(instances(self.sim, self.blue)) > 1 and time.monotonic() < deadline:
                time.sleep(0.05)


@pytest.mark.slow
def test_a_blue_scaled_in_while_deployed_to_is_warmed_up_before_the_cutover_then_restored(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    scale_blue_to(sim, target, 6)
    engine = wired()
    request = release_request(engine.settings.model_copy(update={"version_label": "v2"}), Mode.FULL)

    with sim.live_traffic(f"http://{target.cname}/", interval=0.002) as traffic:
        outcome = engine.runner.release(request, ScaledInBeforeCutover(sim, target.blue))
    report = traffic.stop()

    assert outcome.exit_code == ExitCode.OK, outcome.summary
    assert report.failures == []
    messages = [e.message for e in engine_events(engine, outcome.run.id)]
    assert any("raised blue shop-blue's MinSize to 6" in m for m in messages), messages
    assert any("capacity restored: blue shop-blue back to MinSize=1" in m for m in messages)
    assert min_size(sim, target.app, target.blue) == "1"
    assert len([i for i in instances(sim, target.blue) if i["HealthStatus"] == "Ok"]) == 6


def test_a_green_that_cannot_reach_blues_capacity_in_time_rolls_back_before_any_swap(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    scale_blue_to(sim, target, 3)  # green's two more instances need 90 s (AWS) to launch
    swaps = sim.calls.count("SwapEnvironmentCNAMEs")
    engine = wired(BLUEGREEN_WARM_UP_DEADLINE=0.05)

    outcome = engine.release("v2")

    assert outcome.exit_code == ExitCode.ROLLED_BACK, outcome.summary
    assert "warm-up: green shop-green has" in (outcome.run.rollback_reason or "")
    assert sim.calls.count("SwapEnvironmentCNAMEs") == swaps
    world = production(sim, target.app, target.blue, GREEN, target.cname)
    assert_blue_serves(world, "v1", target.cname)
    assert_clean(world)
