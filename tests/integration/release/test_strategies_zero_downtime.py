"""Every strategy under live traffic through the simulator's CNAME router and its resolver
cache (EB's 60 s TTL, scaled): a good version released and a broken one rolled back with no
failed live request; a version that breaks later costs at most its share of the traffic
(traffic-split: the canary percent) until it is caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.domain.exit_codes import ExitCode
from engine.domain.model import Mode
from engine.operator.inputs import release_request
from engine.release.observer import NullObserver, Outcome
from simulator import Simulator
from simulator.seed import ReleaseTarget, seed_release_target
from tests.integration.cloud.helpers import point_aws_at
from tests.integration.release.conftest import GREEN, Wired, WiredFactory

STRATEGIES = ("swap-back", "swap-and-keep", "traffic-split")
CANARY_PERCENT = 10


@pytest.fixture
def target(sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReleaseTarget:
    """shop-blue on v1; v2 good, broken (500), late (500 from 1.5 real s after deploying)."""
    point_aws_at(sim, tmp_path, monkeypatch)
    late_after = 1.5 * sim.timing.speed  # in AWS seconds; the simulator scales it
    versions = {"v1": {}, "v2": {}, "broken": {"status": 500}, "late": {"fail_after": late_after}}
    return seed_release_target(sim, versions=versions)


def release(engine: Wired, version: str, strategy: str) -> Outcome:
    settings = engine.settings.model_copy(update={"version_label": version, "strategy": strategy})
    return engine.runner.release(release_request(settings, Mode.FULL), NullObserver())


def live_environment(sim: Simulator, target: ReleaseTarget) -> tuple[str, str]:
    found = sim.client("elasticbeanstalk").describe_environments(
        ApplicationName=target.app, EnvironmentNames=[target.blue, GREEN]
    )["Environments"]
    (live,) = [e for e in found if e["Status"] != "Terminated" and e["CNAME"] == target.cname]
    return live["EnvironmentName"], live["VersionLabel"]


@pytest.mark.slow
@pytest.mark.parametrize("strategy", STRATEGIES)
def test_a_good_release_fails_no_live_request(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory, strategy: str
) -> None:
    engine = wired(BLUEGREEN_CANARY_MINUTES=3)

    with sim.live_traffic(f"http://{target.cname}/") as traffic:
        outcome = release(engine, "v2", strategy)
    report = traffic.stop()

    assert outcome.exit_code == ExitCode.OK, outcome.summary
    assert report.sent > 100 and report.failures == []
    assert set(report.versions) == {"v1", "v2"}
    assert live_environment(sim, target)[1] == "v2"


@pytest.mark.slow
@pytest.mark.parametrize("strategy", STRATEGIES)
def test_a_broken_version_is_rolled_back_with_no_failed_live_request(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory, strategy: str
) -> None:
    engine = wired()

    with sim.live_traffic(f"http://{target.cname}/") as traffic:
        outcome = release(engine, "broken", strategy)
    report = traffic.stop()

    assert outcome.exit_code == ExitCode.ROLLED_BACK, outcome.summary
    assert report.sent > 20 and report.failures == []  # traffic-split is over in a second
    assert set(report.versions) == {"v1"}
    assert live_environment(sim, target) == (target.blue, "v1")


def test_traffic_split_aborts_a_late_regression_costing_at_most_the_canary_share(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    engine = wired(BLUEGREEN_CANARY_PERCENT=CANARY_PERCENT, BLUEGREEN_CANARY_MINUTES=600)

    with sim.live_traffic(f"http://{target.cname}/") as traffic:
        outcome = release(engine, "late", "traffic-split")
    report = traffic.stop()

    assert outcome.exit_code == ExitCode.ROLLED_BACK, outcome.summary
    assert engine.path(outcome)[-3:] == ["splitting", "rolling_back", "rolled_back"]
    assert "regression during the traffic split" in (outcome.run.rollback_reason or "")
    assert sim.calls.count("AbortEnvironmentUpdate") == 1
    assert live_environment(sim, target) == (target.blue, "v1")
    assert report.failures, "the canary share saw the regression"
    assert len(report.failures) <= report.sent * CANARY_PERCENT / 100 + 1
