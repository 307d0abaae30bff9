"""The live-traffic client counts what real users would see during a swap, through the router's
DNS; a version can start failing some time after it went live; the app answers the version
that is deployed (plain httpx and boto3 against the simulator at speed 200)."""

from __future__ import annotations

import time

import httpx

from simulator import Simulator
from simulator.seed import add_version, seed_release_target, wait_for_environment


def _green(sim: Simulator, version: str = "v2") -> dict[str, str]:
    sim.client("elasticbeanstalk").create_environment(
        ApplicationName="shop",
        EnvironmentName="shop-green",
        SolutionStackName="64bit Amazon Linux 2023 v4.3.0 running Python 3.11",
        VersionLabel=version,
    )
    return dict(wait_for_environment(sim, "shop-green", health="Green"))


def _swap(sim: Simulator, source: str, destination: str) -> None:
    sim.client("elasticbeanstalk").swap_environment_cnames(
        SourceEnvironmentName=source, DestinationEnvironmentName=destination
    )
    wait_for_environment(sim, source)
    wait_for_environment(sim, destination)


def test_live_traffic_through_a_swap_sees_both_versions_and_no_failure(sim: Simulator) -> None:
    target = seed_release_target(sim)
    _green(sim)
    with sim.live_traffic(f"http://{target.cname}/") as traffic:
        time.sleep(0.1)
        _swap(sim, "shop-blue", "shop-green")
        time.sleep(sim.dns_settle_seconds + 0.1)
        report = traffic.stop()
    assert report.failed == 0, report.failures[:3]
    assert report.sent > 20
    assert set(report.versions) == {"v1", "v2"}
    assert set(report.environments) == {"shop-blue", "shop-green"}
    assert report.version_seen["v1"][1] <= report.version_seen["v2"][0]  # no flip-flopping


def test_live_traffic_counts_the_failures_of_clients_that_still_reach_a_terminated_env(
    sim: Simulator,
) -> None:
    sim.set_dns(ttl=3000)  # 15 s at speed 200: longer than the termination (1.2 s)
    target = seed_release_target(sim)
    _green(sim)
    eb = sim.client("elasticbeanstalk")
    _swap(sim, "shop-blue", "shop-green")
    with sim.live_traffic(f"http://{target.cname}/") as traffic:
        eb.terminate_environment(EnvironmentName="shop-blue")  # which the cache still names
        wait_for_environment(sim, "shop-blue", status="Terminated")
        time.sleep(0.1)
        report = traffic.stop()
    assert report.failed > 0
    assert report.failures[-1].status == 502
    assert "cached DNS answer" in report.failures[-1].detail


def test_live_traffic_stops_by_itself_after_its_request_bound(sim: Simulator) -> None:
    target = seed_release_target(sim)
    with sim.live_traffic(f"http://{target.cname}/", interval=0.001, max_requests=10) as traffic:
        deadline = time.monotonic() + 5
        while traffic.snapshot().sent < 10 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.05)
        assert traffic.snapshot().sent == 10


def test_a_version_with_fail_after_answers_500_once_it_has_been_live_that_long(
    sim: Simulator,
) -> None:
    target = seed_release_target(sim, versions={"v1": {}, "late": {"fail_after": 200}})
    env = sim.client("elasticbeanstalk")
    env.update_environment(EnvironmentName="shop-blue", VersionLabel="late")
    wait_for_environment(sim, "shop-blue", health="Green")
    described = env.describe_environments(EnvironmentNames=["shop-blue"])["Environments"][0]
    assert described["VersionLabel"] == "late"
    own = f"http://{described['EndpointURL']}/"
    with httpx.Client(proxy=sim.proxy_url) as http:
        assert http.get(own).status_code == 200  # 200 s = 1 s at speed 200
        time.sleep(1.1)
        failing = http.get(own)
        assert (failing.status_code, failing.headers["X-Bluegreen-Version"]) == (500, "late")
        assert http.get(f"http://{target.cname}/").status_code == 500


def test_the_app_answers_the_deployed_version_and_keeps_it_after_a_failed_update(
    sim: Simulator,
) -> None:
    seed_release_target(sim, versions={"v1": {}, "v2": {"status": 503, "body": "v2 is down"}})
    add_version(sim, "shop", "v3")
    eb = sim.client("elasticbeanstalk")
    own = (
        "http://"
        + eb.describe_environments(EnvironmentNames=["shop-blue"])["Environments"][0]["EndpointURL"]
    )
    with httpx.Client(proxy=sim.proxy_url) as http:
        eb.update_environment(EnvironmentName="shop-blue", VersionLabel="v2")
        wait_for_environment(sim, "shop-blue")
        answer = http.get(own)
        assert (answer.status_code, answer.text, answer.headers["X-Bluegreen-Version"]) == (
            503,
            "v2 is down",
            "v2",
        )
        sim.faults.fail_update("shop-blue", times=1)
        eb.update_environment(EnvironmentName="shop-blue", VersionLabel="v3")
        wait_for_environment(sim, "shop-blue")
        assert http.get(own).headers["X-Bluegreen-Version"] == "v2"
