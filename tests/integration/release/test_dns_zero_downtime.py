"""Zero downtime under real DNS, through the simulator's CNAME router and its resolver cache:
live traffic sees no failed request in a good release; a broken version is caught while
resolvers still hold the pre-swap answer; a late regression or an alarm rolls back."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.domain.exit_codes import ExitCode
from engine.domain.model import EventRecord, EventSource, Mode, Run, State, TransitionRecord
from engine.operator.inputs import release_request
from engine.release.observer import NullObserver, Outcome
from simulator import Simulator
from simulator.seed import ReleaseTarget, seed_release_target
from tests.integration.cloud.helpers import point_aws_at
from tests.integration.release.conftest import GREEN, Wired, WiredFactory
from tests.integration.release.world import assert_blue_serves, assert_clean, production

ALARM = "shop-5xx"
BAKE = 2.0  # real seconds: long enough for a late failure to show, short enough for a test


@pytest.fixture
def target(sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReleaseTarget:
    """shop-blue on v1; v2 good, broken (500), late (500 from 1.5 real s after deploying)."""
    point_aws_at(sim, tmp_path, monkeypatch)
    late_after = 1.5 * sim.timing.speed  # in AWS seconds; the simulator scales it
    versions = {"v1": {}, "v2": {}, "broken": {"status": 500}, "late": {"fail_after": late_after}}
    return seed_release_target(sim, versions=versions)


class AlarmAt(NullObserver):
    """Sets the alarm to ALARM the moment the run enters `state` (before its action runs)."""

    def __init__(self, sim: Simulator, state: State) -> None:
        self._cloudwatch, self._state = sim.client("cloudwatch"), state

    def transitioned(self, run: Run, record: TransitionRecord) -> None:
        if record.to_state is self._state:
            self._cloudwatch.set_alarm_state(
                AlarmName=ALARM, StateValue="ALARM", StateReason="Threshold Crossed: 5xx"
            )


def put_alarm(sim: Simulator) -> None:
    sim.client("cloudwatch").put_metric_alarm(
        AlarmName=ALARM, MetricName="HTTPCode_Target_5XX_Count", Namespace="AWS/ApplicationELB",
        Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=1,
        ComparisonOperator="GreaterThanThreshold",
    )  # fmt: skip


def release(engine: Wired, version: str, observer: NullObserver | None = None) -> Outcome:
    request = release_request(engine.settings.model_copy(update={"version_label": version}),
                              Mode.FULL)  # fmt: skip
    return engine.runner.release(request, observer or NullObserver())


def events(engine: Wired, outcome: Outcome, source: EventSource) -> list[EventRecord]:
    return [e for e in engine.store.events(outcome.run.id) if e.source is source]


def assert_untouched(sim: Simulator, target: ReleaseTarget) -> None:
    world = production(sim, target.app, target.blue, GREEN, target.cname)
    assert_blue_serves(world, "v1", target.cname)
    assert_clean(world)


def test_a_good_release_under_live_traffic_fails_no_request(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    engine = wired()

    with sim.live_traffic(f"http://{target.cname}/") as traffic:
        outcome = release(engine, "v2")
    report = traffic.stop()

    assert outcome.exit_code == ExitCode.OK, outcome.summary
    assert report.sent > 100
    assert report.failures == []
    assert set(report.versions) == {"v1", "v2"}


@pytest.mark.slow
def test_a_broken_version_rolled_back_under_live_traffic_fails_no_request(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    engine = wired()

    with sim.live_traffic(f"http://{target.cname}/") as traffic:
        outcome = release(engine, "broken")
    report = traffic.stop()

    assert outcome.exit_code == ExitCode.ROLLED_BACK, outcome.summary
    assert report.sent > 100
    assert report.failures == []
    assert set(report.versions) == {"v1"}


def test_a_broken_version_is_caught_while_every_resolver_holds_the_pre_swap_answer(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    engine = wired()  # settles as long as the simulator's default TTL needs
    sim.set_dns(ttl=24 * 3600)  # but no resolver sees any swap during this test

    outcome = release(engine, "broken")

    assert outcome.exit_code == ExitCode.ROLLED_BACK, outcome.summary
    assert "failed probes in a row" in (outcome.run.rollback_reason or "")
    probes = events(engine, outcome, EventSource.PROBE)
    assert probes and all("blue's load balancer" in str(p.data["endpoint"]) for p in probes)
    assert {p.data["status"] for p in probes} == {500}


@pytest.mark.slow
def test_a_version_that_breaks_after_the_cutover_is_swapped_back_during_the_bake(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    engine = wired(BLUEGREEN_BAKE=BAKE * 5)

    outcome = release(engine, "late")

    assert outcome.exit_code == ExitCode.ROLLED_BACK, outcome.summary
    assert engine.path(outcome)[-3:] == ["baking", "rolling_back", "rolled_back"]
    assert "regression during the bake window" in (outcome.run.rollback_reason or "")
    messages = [e.message for e in events(engine, outcome, EventSource.ENGINE)]
    assert any("swapping the live CNAME back to green" in m for m in messages)
    assert_untouched(sim, target)


@pytest.mark.slow
@pytest.mark.parametrize("during", [State.VERIFYING, State.BAKING], ids=["verify", "bake"])
def test_an_alarm_going_off_rolls_the_release_back(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory, during: State
) -> None:
    put_alarm(sim)
    engine = wired(BLUEGREEN_ALARMS=ALARM, BLUEGREEN_BAKE=BAKE, BLUEGREEN_HEALTH_SUCCESSES=3)

    outcome = release(engine, "v2", AlarmAt(sim, during))

    assert outcome.exit_code == ExitCode.ROLLED_BACK, outcome.summary
    assert "alarm in ALARM during" in (outcome.run.rollback_reason or "")
    assert f"{during.value} failed" in (outcome.run.rollback_reason or "")
    assert_untouched(sim, target)


def test_an_alarm_that_does_not_exist_is_bad_input_and_nothing_is_touched(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    engine = wired(BLUEGREEN_ALARMS="no-such-alarm")

    outcome = release(engine, "v2")

    assert outcome.exit_code == ExitCode.USAGE, outcome.summary
    assert "no-such-alarm" in outcome.summary
    world = production(sim, target.app, target.blue, GREEN, target.cname)
    assert_blue_serves(world, "v1", target.cname)
    assert_clean(world, greens_created=0)
