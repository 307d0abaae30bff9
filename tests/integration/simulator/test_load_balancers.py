"""An environment's load balancer, as elbv2 clients see it (the EB CLI's `eb status --verbose`):
what DescribeEnvironmentResources names exists in the simulated ELBv2, with the instance as
the target group's target, and is gone once the environment is terminated."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from tests.integration.simulator.conftest import NO_RETRIES, STACK, Stepped, failure

PROCESS = "aws:elasticbeanstalk:environment:process:default"


@pytest.fixture
def elbv2(stepped: Stepped) -> Any:
    return stepped.sim.client("elbv2", config=NO_RETRIES)


def _resources(stepped: Stepped, name: str = "shop-blue") -> dict[str, Any]:
    found = stepped.eb.describe_environment_resources(EnvironmentName=name)
    return dict(found["EnvironmentResources"])


def _target_group(elbv2: Any, balancer_arn: str) -> dict[str, Any]:
    groups = elbv2.describe_target_groups(LoadBalancerArn=balancer_arn)["TargetGroups"]
    assert len(groups) == 1, groups
    return dict(groups[0])


def _targets(elbv2: Any, group: dict[str, Any]) -> list[tuple[str, str]]:
    found = elbv2.describe_target_health(TargetGroupArn=group["TargetGroupArn"])
    return [
        (t["Target"]["Id"], t["TargetHealth"]["State"]) for t in found["TargetHealthDescriptions"]
    ]


def test_the_load_balancer_eb_names_is_an_application_load_balancer_in_elbv2(
    stepped: Stepped, elbv2: Any
) -> None:
    stepped.app()
    stepped.launch("shop-blue")

    arn = _resources(stepped)["LoadBalancers"][0]["Name"]
    balancer = elbv2.describe_load_balancers(LoadBalancerArns=[arn])["LoadBalancers"][0]

    assert (balancer["Type"], balancer["Scheme"]) == ("application", "internet-facing")
    assert balancer["DNSName"] == stepped.env("shop-blue")["EndpointURL"]
    assert balancer["LoadBalancerName"].startswith("awseb-AWSEB-")
    listener = elbv2.describe_listeners(LoadBalancerArn=arn)["Listeners"][0]
    assert (listener["Protocol"], listener["Port"]) == ("HTTP", 80)
    group = _target_group(elbv2, arn)
    assert listener["DefaultActions"][0]["TargetGroupArn"] == group["TargetGroupArn"]
    tags = elbv2.describe_tags(ResourceArns=[arn])["TagDescriptions"][0]["Tags"]
    env_id = stepped.env("shop-blue")["EnvironmentId"]
    assert {"Key": "elasticbeanstalk:environment-id", "Value": env_id} in tags


def test_the_target_group_is_the_default_process_and_its_target_the_instance(
    stepped: Stepped, elbv2: Any
) -> None:
    stepped.app()
    path = {"Namespace": PROCESS, "OptionName": "HealthCheckPath", "Value": "/health"}
    stepped.launch("shop-blue", OptionSettings=[path])

    resources = _resources(stepped)
    group = _target_group(elbv2, resources["LoadBalancers"][0]["Name"])

    assert (group["Protocol"], group["Port"], group["HealthCheckPath"]) == ("HTTP", 80, "/health")
    assert (group["HealthCheckIntervalSeconds"], group["HealthyThresholdCount"]) == (15, 3)
    assert group["Matcher"] == {"HttpCode": "200"}
    instance = resources["Instances"][0]["Id"]
    assert _targets(elbv2, group) == [(instance, "healthy")]


def test_a_changed_health_check_option_reaches_the_target_group(
    stepped: Stepped, elbv2: Any
) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    path = {"Namespace": PROCESS, "OptionName": "HealthCheckPath", "Value": "/ping"}

    stepped.eb.update_environment(EnvironmentName="shop-blue", OptionSettings=[path])
    stepped.advance(46)

    group = _target_group(elbv2, _resources(stepped)["LoadBalancers"][0]["Name"])
    assert group["HealthCheckPath"] == "/ping"


def test_no_target_is_registered_while_the_environment_launches(
    stepped: Stepped, elbv2: Any
) -> None:
    stepped.app()
    stepped.eb.create_environment(
        ApplicationName="shop", EnvironmentName="shop-blue", SolutionStackName=STACK
    )

    resources = _resources(stepped)
    group = _target_group(elbv2, resources["LoadBalancers"][0]["Name"])

    assert resources["Instances"] == [] and _targets(elbv2, group) == []


def test_a_target_whose_app_answers_the_health_check_with_an_error_is_unhealthy(
    stepped: Stepped, elbv2: Any
) -> None:
    stepped.app()
    stepped.version("broken", status=500)
    stepped.advance(10)
    stepped.launch("shop-blue", version="broken")

    group = _target_group(elbv2, _resources(stepped)["LoadBalancers"][0]["Name"])
    health = elbv2.describe_target_health(TargetGroupArn=group["TargetGroupArn"])

    target = health["TargetHealthDescriptions"][0]["TargetHealth"]
    assert (target["State"], target["Reason"]) == ("unhealthy", "Target.ResponseCodeMismatch")
    assert target["Description"] == "Health checks failed with these codes: [500]"


def test_the_health_check_accepts_the_codes_the_matcher_option_names(
    stepped: Stepped, elbv2: Any
) -> None:
    stepped.app()
    stepped.version("missing", status=404)
    stepped.advance(10)
    codes = {"Namespace": PROCESS, "OptionName": "MatcherHTTPCode", "Value": "200-399,404"}
    stepped.launch("shop-blue", version="missing", OptionSettings=[codes])

    group = _target_group(elbv2, _resources(stepped)["LoadBalancers"][0]["Name"])

    assert group["Matcher"] == {"HttpCode": "200-399,404"}
    assert [state for _, state in _targets(elbv2, group)] == ["healthy"]


def test_terminating_deregisters_the_instance_and_terminated_deletes_the_load_balancer(
    stepped: Stepped, elbv2: Any
) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    arn = _resources(stepped)["LoadBalancers"][0]["Name"]
    group = _target_group(elbv2, arn)

    stepped.eb.terminate_environment(EnvironmentName="shop-blue")
    assert _targets(elbv2, group) == []
    stepped.advance(241)

    gone = failure(elbv2.describe_load_balancers, LoadBalancerArns=[arn])
    assert gone.code == "LoadBalancerNotFound"
    missing = failure(elbv2.describe_target_groups, TargetGroupArns=[group["TargetGroupArn"]])
    assert missing.code == "TargetGroupNotFound"


def test_each_environment_has_a_load_balancer_of_its_own(stepped: Stepped, elbv2: Any) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    stepped.launch("shop-green")

    arns = {
        _resources(stepped, name)["LoadBalancers"][0]["Name"]
        for name in ("shop-blue", "shop-green")
    }

    described = elbv2.describe_load_balancers()["LoadBalancers"]
    assert {b["LoadBalancerArn"] for b in described} == arns and len(arns) == 2


def test_forgotten_environments_take_their_load_balancers_with_them(
    stepped: Stepped, elbv2: Any
) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    assert elbv2.describe_load_balancers()["LoadBalancers"]

    stepped.sim.backend.reset()  # the EB state only (a simulator's reset or stop begins so)

    assert elbv2.describe_load_balancers()["LoadBalancers"] == []
    assert elbv2.describe_target_groups()["TargetGroups"] == []


LAUNCH_ONLY = """
import sys
from simulator import Simulator
from simulator.seed import seed_release_target
with Simulator(speed=400) as sim:
    seed_release_target(sim, versions={"v1": {}})
print(sorted(m for m in sys.modules if m.startswith(("moto.elbv2", "moto.ec2"))))
"""


def test_launching_without_an_elb_client_never_imports_moto_s_elbv2() -> None:
    # moto's ELBv2 and EC2 take about a second to import: no simulator start or launch pays it
    done = subprocess.run(
        [sys.executable, "-c", LAUNCH_ONLY], capture_output=True, text=True, timeout=120
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
