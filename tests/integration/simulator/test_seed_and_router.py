"""The seed helpers build a live target through boto3, and the CNAME router follows swaps."""

from __future__ import annotations

import time

import httpx

from simulator import Simulator
from simulator.seed import add_version, seed_release_target, wait_for_environment


def test_seed_leaves_blue_ready_and_green_on_the_live_version(sim: Simulator) -> None:
    target = seed_release_target(sim, versions={"v1": {}, "v2": {"body": "new"}})
    eb = sim.client("elasticbeanstalk")
    env = eb.describe_environments(EnvironmentNames=["shop-blue"])["Environments"][0]
    assert (env["Status"], env["Health"], env["VersionLabel"]) == ("Ready", "Green", "v1")
    assert (target.blue_id, target.cname) == (env["EnvironmentId"], env["CNAME"])
    versions = eb.describe_application_versions(ApplicationName="shop")["ApplicationVersions"]
    statuses = {v["VersionLabel"]: v["Status"] for v in versions}
    assert statuses == {"v1": "Processed", "v2": "Processed"}
    assert sim.get(f"http://{target.cname}/") == (200, "version v1")


def test_the_router_follows_a_swap_for_a_real_http_client(sim: Simulator) -> None:
    target = seed_release_target(sim, cname_prefix="shop-live")
    eb = sim.client("elasticbeanstalk")
    eb.create_environment(
        ApplicationName="shop",
        EnvironmentName="shop-green",
        SolutionStackName="64bit Amazon Linux 2023 v4.3.0 running Python 3.11",
        VersionLabel="v2",
    )
    green = wait_for_environment(sim, "shop-green", health="Green")
    with httpx.Client(proxy=sim.proxy_url) as http:
        assert http.get(f"http://{target.cname}/").text == "version v1"
        assert http.get(f"http://{green['CNAME']}/health").text == "version v2"
        eb.swap_environment_cnames(
            SourceEnvironmentName="shop-blue", DestinationEnvironmentName="shop-green"
        )
        wait_for_environment(sim, "shop-blue")
        wait_for_environment(sim, "shop-green")
        time.sleep(sim.dns_settle_seconds)
        live = http.get("http://shop-live.us-east-1.elasticbeanstalk.com/")
        assert (live.status_code, live.text) == (200, "version v2")
        assert live.headers["X-Bluegreen-Environment"] == "shop-green"


def test_unknown_hosts_get_a_502_from_the_router(sim: Simulator) -> None:
    with httpx.Client(proxy=sim.proxy_url) as http:
        answer = http.get("http://example.com/")
    assert answer.status_code == 502
    assert "no environment answers" in answer.text


def test_add_version_registers_a_processed_version(sim: Simulator) -> None:
    seed_release_target(sim, versions={"v1": {}})
    add_version(sim, "shop", "v3", status=503)
    version = sim.client("elasticbeanstalk").describe_application_versions(
        ApplicationName="shop", VersionLabels=["v3"]
    )["ApplicationVersions"][0]
    assert version["Status"] == "Processed"


def test_another_region_gets_its_own_arns_and_cnames() -> None:
    with Simulator(speed=1000, region="eu-west-1") as other:
        target = seed_release_target(other, versions={"v1": {}})
        assert target.cname.endswith(".eu-west-1.elasticbeanstalk.com")
        env = other.client("elasticbeanstalk").describe_environments()["Environments"][0]
        assert env["EnvironmentArn"].startswith("arn:aws:elasticbeanstalk:eu-west-1:")
        assert other.get(f"http://{target.cname}/") == (200, "version v1")
