"""The AWS CLI (`awscli`), unpatched, against the simulator: describe calls and the three
waiters, with their exit codes and JSON output checked."""

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
        [STACK],
    ),
}  # fmt: skip


@pytest.mark.parametrize("call", DESCRIBE_CALLS)
def test_aws_elasticbeanstalk_describe_calls_answer_as_documented(world: World, call: str) -> None:
    args, expected = DESCRIBE_CALLS[call]

    done = world.aws(*args)

    assert done.code == 0, done
    assert json.loads(done.stdout) == expected, done


def test_the_environment_exists_waiter_returns_once_a_new_environment_is_ready(
    world: World,
) -> None:
    created = world.aws(
        "create-environment", "--application-name", APP, "--environment-name", "shop-extra",
        "--solution-stack-name", STACK, "--version-label", "v2",
    )  # fmt: skip
    assert created.code == 0 and json.loads(created.stdout)["Status"] == "Launching", created

    done = world.aws("wait", "environment-exists", "--environment-names", "shop-extra")

    assert done.code == 0, done
    assert world.env("shop-extra")["Status"] == "Ready"


def test_the_environment_updated_waiter_returns_once_the_update_is_done(world: World) -> None:
    updating = world.aws("update-environment", "--environment-name", BLUE, "--version-label", "v2")
    # awscli/examples/elasticbeanstalk/update-environment.rst: the new label, Status Updating
    answer = json.loads(updating.stdout)
    assert (answer["VersionLabel"], answer["Status"]) == ("v2", "Updating"), updating

    done = world.aws("wait", "environment-updated", "--environment-names", BLUE)

    assert done.code == 0, done
    assert (world.env(BLUE)["Status"], world.env(BLUE)["VersionLabel"]) == ("Ready", "v2")


def test_the_environment_terminated_waiter_returns_once_it_is_gone(world: World) -> None:
    terminating = world.aws("terminate-environment", "--environment-name", BLUE)
    assert terminating.code == 0, terminating

    done = world.aws("wait", "environment-terminated", "--environment-names", BLUE)

    assert done.code == 0, done
    assert world.env(BLUE)["Status"] == "Terminated"
