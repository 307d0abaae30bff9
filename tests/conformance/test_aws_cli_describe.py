"""The AWS CLI (`awscli`), unpatched, against the simulator: the describe calls, each with its
exit code and JSON output checked (one seeded world for the module: the calls only read)."""

from __future__ import annotations

import json

import pytest

from tests.conformance.conftest import APP, BLUE, World

pytestmark = [pytest.mark.conformance, pytest.mark.timeout(900)]

STACK = "64bit Amazon Linux 2023 v4.3.0 running Python 3.11"

DESCRIBE_CALLS = {
    "describe-applications": (
        ["describe-applications", "--query", "Applications[].ApplicationName"],
        [APP],
    ),
    "describe-application-versions": (
        ["describe-application-versions", "--query", "ApplicationVersions[].Status"],
        ["PROCESSED", "PROCESSED"],
    ),
    "describe-environments": (
        ["describe-environments", "--query", "Environments[].[EnvironmentName,Status,Health]"],
        [[BLUE, "Ready", "Green"]],
    ),
    "describe-configuration-settings": (
        ["describe-configuration-settings", "--application-name", APP, "--environment-name", BLUE,
         "--query", "ConfigurationSettings[0].SolutionStackName"],
        STACK,
    ),
    "describe-environment-health": (
        ["describe-environment-health", "--environment-name", BLUE, "--attribute-names", "All",
         "--query", "[Color,HealthStatus]"],
        ["Green", "Ok"],
    ),
    "describe-instances-health": (
        ["describe-instances-health", "--environment-name", BLUE, "--attribute-names",
         "HealthStatus", "--query", "InstanceHealthList[].HealthStatus"],
        ["Ok"],
    ),
    "describe-environment-resources": (
        ["describe-environment-resources", "--environment-name", BLUE,
         "--query", "length(EnvironmentResources.Instances)"],
        1,
    ),
    "describe-configuration-options": (
        ["describe-configuration-options", "--solution-stack-name", STACK, "--query",
         "Options[?Name=='LoadBalancerIsShared'].DefaultValue"],
        ["false"],
    ),
    "describe-events": (
        ["describe-events", "--environment-name", BLUE, "--severity", "INFO",
         "--query", "contains(Events[].Message, 'Successfully launched environment: shop-blue')"],
        True,
    ),
    "list-available-solution-stacks": (
        ["list-available-solution-stacks", "--query", "SolutionStacks"],
        [STACK, STACK.replace("4.3.0", "4.1.2")],  # the two versions served, newest first
    ),
}  # fmt: skip


@pytest.mark.parametrize("call", DESCRIBE_CALLS)
def test_aws_elasticbeanstalk_describe_calls_answer_as_documented(world: World, call: str) -> None:
    args, expected = DESCRIBE_CALLS[call]

    done = world.aws(*args)

    assert done.code == 0, done
    assert json.loads(done.stdout) == expected, done
