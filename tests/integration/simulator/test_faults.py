"""Fault injection: throttling and 5xx answers, and operations that fail or get stuck."""

from __future__ import annotations

import pytest
from botocore.config import Config

from simulator import Faults, Simulator
from tests.integration.simulator.conftest import Stepped, failure


def test_throttle_next_answers_the_next_calls_with_rate_exceeded(stepped: Stepped) -> None:
    stepped.sim.faults.throttle_next(2)
    for _ in range(2):
        error = failure(stepped.eb.describe_applications)
        assert (error.code, error.message, error.status) == ("Throttling", "Rate exceeded", 400)
    assert stepped.eb.describe_applications()["Applications"] == []


def test_throttling_can_target_one_action(stepped: Stepped) -> None:
    stepped.sim.faults.throttle_next(1, action="DescribeEnvironments")
    stepped.eb.describe_applications()
    assert failure(stepped.eb.describe_environments).code == "Throttling"


def test_a_throttled_call_changes_nothing(stepped: Stepped) -> None:
    stepped.sim.faults.throttle_next(1)
    failure(stepped.eb.create_application, ApplicationName="shop")
    assert stepped.eb.describe_applications()["Applications"] == []


def test_botocore_retries_hide_occasional_throttling(stepped: Stepped) -> None:
    stepped.sim.faults.throttle_next(2)
    patient = stepped.sim.client(
        "elasticbeanstalk", config=Config(retries={"mode": "standard", "max_attempts": 5})
    )
    answer = patient.describe_applications()
    assert answer["ResponseMetadata"]["RetryAttempts"] == 2


def test_a_throttle_rate_is_reproducible_with_a_seed() -> None:
    def pattern(faults: Faults) -> list[bool]:
        return [faults.api_fault("DescribeEnvironments") is not None for _ in range(200)]

    first = pattern(Faults(throttle_rate=0.3, seed=7))
    assert first == pattern(Faults(throttle_rate=0.3, seed=7))
    assert 30 < sum(first) < 90


def test_a_throttle_rate_reaches_real_clients(stepped: Stepped) -> None:
    stepped.sim.faults.throttle_rate = 1.0
    assert failure(stepped.eb.describe_environments).code == "Throttling"
    stepped.sim.faults.throttle_rate = 0.0
    stepped.eb.describe_environments()


@pytest.mark.parametrize(
    ("status", "code"), [(503, "ServiceUnavailable"), (500, "InternalFailure")]
)
def test_server_errors(stepped: Stepped, status: int, code: str) -> None:
    stepped.sim.faults.error_next(1, status=status)
    error = failure(stepped.eb.describe_environments)
    assert (error.code, error.status) == (code, status)


def test_an_error_rate_reaches_real_clients(stepped: Stepped) -> None:
    stepped.sim.faults.error_rate = 1.0
    assert failure(stepped.eb.describe_environments).status == 503


def test_a_lost_response_still_carries_out_the_operation(stepped: Stepped) -> None:
    stepped.sim.faults.error_next(1, status=503, action="CreateApplication", after=True)
    assert failure(stepped.eb.create_application, ApplicationName="shop").status == 503
    assert [a["ApplicationName"] for a in stepped.eb.describe_applications()["Applications"]] == [
        "shop"
    ]


def test_a_failed_launch_ends_ready_with_red_health_and_an_error_event(stepped: Stepped) -> None:
    stepped.app()
    stepped.sim.faults.fail_launch("shop-green")
    stepped.launch("shop-blue")
    stepped.launch("shop-green")
    green = stepped.env("shop-green")
    assert (green["Status"], green["Health"], green["HealthStatus"]) == ("Ready", "Red", "Severe")
    assert stepped.env("shop-blue")["Health"] == "Green"
    errors = stepped.messages(EnvironmentName="shop-green", Severity="ERROR")
    assert errors[0] == (
        "Create environment operation is complete, but with errors. "
        "For more information, see troubleshooting documentation."
    )
    assert stepped.sim.get(f"http://{green['CNAME']}/")[0] == 503


def test_a_failed_update_stays_on_the_old_version_red_then_recovers(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    stepped.sim.faults.fail_update("shop-blue", times=1)
    stepped.eb.update_environment(EnvironmentName="shop-blue", VersionLabel="v2")
    stepped.advance(45)
    env = stepped.env("shop-blue")
    assert (env["Status"], env["VersionLabel"], env["Health"]) == ("Ready", "v1", "Red")
    assert "Failed to deploy application." in stepped.messages(Severity="ERROR")
    assert stepped.sim.get(f"http://{env['CNAME']}/") == (200, "version v1")
    health = stepped.eb.describe_environment_health(
        EnvironmentName="shop-blue", AttributeNames=["Causes"]
    )
    assert health["Causes"][0].startswith("Incorrect application version found on all instances.")
    stepped.advance(60)
    assert stepped.env("shop-blue")["Health"] == "Green"


def test_a_redeploy_after_a_failed_update_works(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    stepped.sim.faults.fail_update("shop-blue", times=1)
    stepped.eb.update_environment(EnvironmentName="shop-blue", VersionLabel="v2")
    stepped.advance(45)
    stepped.eb.update_environment(EnvironmentName="shop-blue", VersionLabel="v2")
    stepped.advance(45)
    env = stepped.env("shop-blue")
    assert (env["VersionLabel"], env["Health"]) == ("v2", "Green")


def test_a_stuck_launch_stays_launching_until_released(stepped: Stepped) -> None:
    stepped.app()
    stepped.sim.faults.stick("shop-blue", ops=("launch",))
    stepped.launch("shop-blue")
    stepped.advance(3600)
    assert stepped.env("shop-blue")["Status"] == "Launching"
    assert stepped.sim.release("shop-blue") is True
    assert stepped.env("shop-blue")["Status"] == "Ready"
    assert stepped.sim.release("shop-blue") is False


def test_a_stuck_update_is_aborted_back_to_the_old_version(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    stepped.sim.faults.stick("shop-blue", ops=("update",))
    stepped.eb.update_environment(EnvironmentName="shop-blue", VersionLabel="v2")
    stepped.advance(3600)
    env = stepped.env("shop-blue")
    assert (env["Status"], env["AbortableOperationInProgress"]) == ("Updating", True)
    stepped.eb.abort_environment_update(EnvironmentName="shop-blue")
    aborting = stepped.env("shop-blue")
    assert (aborting["Status"], aborting["AbortableOperationInProgress"]) == ("Aborting", False)
    stepped.advance(15)
    env = stepped.env("shop-blue")
    assert (env["Status"], env["VersionLabel"], env["Health"]) == ("Ready", "v1", "Green")
    assert stepped.sim.get(f"http://{env['CNAME']}/") == (200, "version v1")


def test_abort_without_an_abortable_operation_fails(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    error = failure(stepped.eb.abort_environment_update, EnvironmentName="shop-blue")
    assert error.code == "InvalidParameterValue"


@pytest.mark.parametrize("stuck", ["shop-blue", "shop-green"])
def test_a_stuck_swap_holds_both_environments(stepped: Stepped, stuck: str) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    stepped.launch("shop-green")
    stepped.sim.faults.stick(stuck, ops=("swap",))
    stepped.eb.swap_environment_cnames(
        SourceEnvironmentName="shop-blue", DestinationEnvironmentName="shop-green"
    )
    stepped.advance(600)
    assert {stepped.env(n)["Status"] for n in ("shop-blue", "shop-green")} == {"Updating"}
    stepped.sim.release("shop-green")
    assert {stepped.env(n)["Status"] for n in ("shop-blue", "shop-green")} == {"Ready"}


def test_a_terminate_that_fails_once_then_works(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    stepped.sim.faults.fail_terminate("shop-blue")
    stepped.eb.terminate_environment(EnvironmentName="shop-blue")
    stepped.advance(240)
    assert stepped.env("shop-blue")["Status"] == "Ready"
    assert stepped.messages(EnvironmentName="shop-blue")[0] == (
        "The environment termination step failed because at least one of the environment "
        "termination workflows failed."
    )
    assert stepped.messages(Severity="ERROR")[0].startswith("Stack deletion failed")
    stepped.eb.terminate_environment(EnvironmentName="shop-blue")
    stepped.advance(240)
    assert stepped.eb.describe_environments(IncludeDeleted=False)["Environments"] == []


def test_faults_for_all_environments_and_reset_clears_them(stepped: Stepped) -> None:
    stepped.app()
    stepped.sim.faults.fail_launch()
    stepped.launch("shop-blue")
    assert stepped.env("shop-blue")["Health"] == "Red"
    stepped.sim.faults.clear()
    stepped.launch("shop-green")
    assert stepped.env("shop-green")["Health"] == "Green"


def test_faults_given_at_start_apply() -> None:
    with Simulator(faults=Faults(throttle_rate=1.0)) as other:
        client = other.client("elasticbeanstalk", config=Config(retries={"total_max_attempts": 1}))
        assert failure(client.describe_applications).code == "Throttling"


def test_reset_restores_the_faults_given_at_start() -> None:
    faults = Faults(throttle_rate=0.5, seed=3)
    faults.fail_launch()
    faults.throttle_rate = 0.0
    with Simulator(faults=faults) as other:
        other.reset()
        assert other.faults.throttle_rate == 0.5
        assert other.faults.take("fail_launch", "shop-blue", "launch") is False
