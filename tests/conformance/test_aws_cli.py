"""The AWS CLI (`awscli`), unpatched, against the simulator: the three waiters, after the
calls that start what they wait for, with exit codes and JSON output checked."""

from __future__ import annotations

import json

import pytest

from tests.conformance.conftest import APP, BLUE, World
from tests.conformance.test_aws_cli_describe import STACK

pytestmark = [pytest.mark.conformance, pytest.mark.timeout(900)]


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


def test_a_made_up_stack_and_a_refused_option_come_back_as_ebs_errors(world: World) -> None:
    # EB's codes and texts (simulator/eb/catalog.py, simulator/eb/options.py)
    stack = world.aws(
        "create-environment", "--application-name", APP, "--environment-name", "shop-extra",
        "--solution-stack-name", "64bit Amazon Linux 2023 v9.9.9 running Cobol",
    )  # fmt: skip
    option = world.aws(
        "update-environment", "--environment-name", BLUE, "--option-settings",
        "Namespace=aws:autoscaling:asg,OptionName=MinSize,Value=two",
    )  # fmt: skip

    assert stack.code != 0 and "(InvalidParameterValue)" in stack.stderr, stack
    assert "No Solution Stack named '64bit Amazon Linux 2023 v9.9.9 running Cobol' found." in (
        stack.stderr
    )
    assert option.code != 0 and "(ConfigurationValidationException)" in option.stderr, option
    assert "Value is not an integer." in option.stderr
