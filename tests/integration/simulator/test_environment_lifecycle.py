"""Environments move through Launching/Updating/Terminating on the clock, like on AWS."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from simulator import Durations, ManualClock, Simulator
from tests.integration.simulator.conftest import STACK, Stepped, failure


def test_a_new_environment_is_launching_with_grey_health(stepped: Stepped) -> None:
    stepped.app()
    created = stepped.eb.create_environment(
        ApplicationName="shop",
        EnvironmentName="shop-blue",
        SolutionStackName=STACK,
        VersionLabel="v1",
    )
    assert created["Status"] == "Launching"
    assert (created["Health"], created["HealthStatus"]) == ("Grey", "Pending")
    assert re.fullmatch(r"e-[a-z0-9]{10}", created["EnvironmentId"])
    assert created["EnvironmentArn"] == (
        "arn:aws:elasticbeanstalk:us-east-1:123456789012:environment/shop/shop-blue"
    )
    assert re.fullmatch(
        r"shop-blue\.eba-[a-z0-9]{8}\.us-east-1\.elasticbeanstalk\.com", created["CNAME"]
    )
    assert created["EndpointURL"].endswith(".us-east-1.elb.amazonaws.com")
    assert created["AbortableOperationInProgress"] is False
    assert created["VersionLabel"] == "v1"


def test_a_launch_completes_after_its_duration(stepped: Stepped) -> None:
    stepped.app()
    stepped.eb.create_environment(
        ApplicationName="shop",
        EnvironmentName="shop-blue",
        SolutionStackName=STACK,
        VersionLabel="v1",
    )
    stepped.advance(179)
    assert stepped.env("shop-blue")["Status"] == "Launching"
    stepped.advance(1)
    env = stepped.env("shop-blue")
    assert (env["Status"], env["Health"], env["HealthStatus"]) == ("Ready", "Green", "Ok")
    assert env["DateUpdated"] > env["DateCreated"]


def test_cname_prefix_is_used_as_given(stepped: Stepped) -> None:
    stepped.app()
    created = stepped.launch("shop-blue", CNAMEPrefix="shop-live")
    assert created["CNAME"] == "shop-live.us-east-1.elasticbeanstalk.com"


def test_a_version_with_a_start_delay_takes_longer_to_be_ready(stepped: Stepped) -> None:
    stepped.app(versions=())
    stepped.version("slow", start_seconds=60)
    stepped.advance(10)
    stepped.eb.create_environment(
        ApplicationName="shop",
        EnvironmentName="shop-blue",
        SolutionStackName=STACK,
        VersionLabel="slow",
    )
    stepped.advance(200)
    assert stepped.env("shop-blue")["Status"] == "Launching"
    stepped.advance(40)
    assert stepped.env("shop-blue")["Status"] == "Ready"


def test_a_failing_version_ends_ready_with_red_health(stepped: Stepped) -> None:
    stepped.app(versions=())
    stepped.version("bad", status=500, health="Red")
    stepped.advance(10)
    stepped.launch("shop-blue", version="bad")
    env = stepped.env("shop-blue")
    assert (env["Status"], env["Health"], env["HealthStatus"]) == ("Ready", "Red", "Severe")


def test_update_deploys_the_new_version_and_shows_its_label_while_updating(
    stepped: Stepped,
) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    updating = stepped.eb.update_environment(EnvironmentName="shop-blue", VersionLabel="v2")
    # awscli/examples/elasticbeanstalk/update-environment.rst: the new label, Status Updating
    assert (updating["Status"], updating["VersionLabel"]) == ("Updating", "v2")
    assert updating["AbortableOperationInProgress"] is True
    assert (updating["Health"], updating["HealthStatus"]) == ("Green", "Info")
    assert stepped.env("shop-blue")["VersionLabel"] == "v2"
    stepped.advance(45)
    env = stepped.env("shop-blue")
    assert (env["Status"], env["VersionLabel"], env["HealthStatus"]) == ("Ready", "v2", "Ok")
    assert env["AbortableOperationInProgress"] is False


def test_update_by_environment_id(stepped: Stepped) -> None:
    stepped.app()
    created = stepped.launch("shop-blue")
    stepped.eb.update_environment(EnvironmentId=created["EnvironmentId"], VersionLabel="v2")
    stepped.advance(45)
    assert stepped.env("shop-blue")["VersionLabel"] == "v2"


def test_a_description_only_update_takes_effect_at_once(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    updated = stepped.eb.update_environment(EnvironmentName="shop-blue", Description="the shop")
    assert (updated["Status"], updated["Description"]) == ("Ready", "the shop")


def test_terminate_ends_terminated_and_frees_the_name(stepped: Stepped) -> None:
    stepped.app()
    first = stepped.launch("shop-blue", CNAMEPrefix="shop-live")
    terminating = stepped.eb.terminate_environment(EnvironmentName="shop-blue")
    assert terminating["Status"] == "Terminating"
    stepped.advance(239)
    assert stepped.env("shop-blue")["Status"] == "Terminating"
    stepped.advance(1)
    gone = stepped.eb.describe_environments(EnvironmentIds=[first["EnvironmentId"]])["Environments"]
    assert (gone[0]["Status"], gone[0]["Health"]) == ("Terminated", "Grey")
    second = stepped.launch("shop-blue", CNAMEPrefix="shop-live")
    assert second["EnvironmentId"] != first["EnvironmentId"]


def test_mutating_an_environment_that_is_not_ready_fails(stepped: Stepped) -> None:
    stepped.app()
    stepped.eb.create_environment(
        ApplicationName="shop",
        EnvironmentName="shop-blue",
        SolutionStackName=STACK,
        VersionLabel="v1",
    )
    expected = (
        "Environment named shop-blue is in an invalid state for this operation. Must be Ready."
    )
    for call, kwargs in [
        (stepped.eb.update_environment, {"VersionLabel": "v2"}),
        (stepped.eb.terminate_environment, {}),
    ]:
        error = failure(call, EnvironmentName="shop-blue", **kwargs)
        assert (error.code, error.message, error.status) == ("InvalidParameterValue", expected, 400)


def test_terminated_environments_are_gone_for_mutations(stepped: Stepped) -> None:
    stepped.app()
    created = stepped.launch("shop-blue")
    stepped.eb.terminate_environment(EnvironmentName="shop-blue")
    stepped.advance(240)
    error = failure(stepped.eb.update_environment, EnvironmentName="shop-blue", VersionLabel="v2")
    assert error.message == "No Environment found for EnvironmentName = 'shop-blue'."
    env_id = created["EnvironmentId"]
    error = failure(stepped.eb.terminate_environment, EnvironmentId=env_id)
    assert error.message == f"No Environment found for EnvironmentId = '{env_id}'."


def test_durations_and_speed_are_configurable() -> None:
    durations = Durations(launch=20.0)
    with Simulator(speed=10, durations=durations, clock=ManualClock()) as sim:
        eb = sim.client("elasticbeanstalk")
        eb.create_application(ApplicationName="shop")
        eb.create_environment(
            ApplicationName="shop", EnvironmentName="shop-blue", SolutionStackName=STACK
        )
        assert isinstance(sim.clock, ManualClock)
        sim.clock.advance(1.9)
        assert _status(eb) == "Launching"
        sim.clock.advance(0.1)
        assert _status(eb) == "Ready"
        assert sim.client_env()["BLUEGREEN_POLL_INTERVAL"] == "0.125"


def _status(eb: Any) -> str:
    return str(eb.describe_environments()["Environments"][0]["Status"])


def test_concurrent_clients_all_get_answers(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue")

    def describe(_: int) -> str:
        client = stepped.sim.client("elasticbeanstalk")
        return str(client.describe_environments()["Environments"][0]["Status"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(describe, range(64))) == {"Ready"}


def test_an_aborted_update_shows_the_previous_label_again(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    stepped.eb.update_environment(EnvironmentName="shop-blue", VersionLabel="v2")

    stepped.eb.abort_environment_update(EnvironmentName="shop-blue")
    stepped.advance(60)

    assert (stepped.env("shop-blue")["Status"], stepped.env("shop-blue")["VersionLabel"]) == (
        "Ready",
        "v1",
    )


def test_a_configuration_update_reports_the_text_the_eb_cli_waits_for(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    option = {"Namespace": "aws:autoscaling:asg", "OptionName": "MaxSize", "Value": "6"}

    stepped.eb.update_environment(EnvironmentName="shop-blue", OptionSettings=[option])
    stepped.advance(60)

    # ebcli/resources/strings.py, responses: env.configsuccess and env.updatesuccess
    assert stepped.messages(EnvironmentName="shop-blue")[1:3] == [
        "Environment update completed successfully.",
        "Successfully deployed new configuration to environment.",
    ]


def test_the_simulator_records_when_each_operation_really_ended(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    stepped.launch("shop-green")
    began = stepped.clock.now()
    stepped.eb.swap_environment_cnames(
        SourceEnvironmentName="shop-blue", DestinationEnvironmentName="shop-green"
    )
    stepped.advance(7)  # a swap takes 5 s: it ended at the tick 7 s later
    stepped.eb.terminate_environment(EnvironmentName="shop-green")
    stepped.advance(240)

    done = [c for c in stepped.sim.completed_operations() if c.ended > began]

    assert [(c.kind, c.env_name) for c in done] == [
        ("swap", "shop-blue"), ("swap", "shop-green"), ("terminate", "shop-green"),
    ]  # fmt: skip
    assert [(c.ended - began).total_seconds() for c in done] == [7.0, 7.0, 247.0]
    assert all(c.started == began for c in done[:2]) and not any(c.failed for c in done)
