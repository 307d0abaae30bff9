"""Real simulator errors come out of Boto3Beanstalk as engine.domain.errors, and every failed
attempt botocore made is reported to on_retry."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cloud.beanstalk import Boto3Beanstalk
from engine.domain.errors import ConflictError, NotFoundError, ServiceError, ThrottledError
from engine.domain.ports.cloud import CreateEnvironmentRequest
from simulator import Simulator
from simulator.seed import ReleaseTarget, add_version
from tests.integration.cloud.helpers import MAX_ATTEMPTS


def test_an_unknown_application_is_not_found(beanstalk: Boto3Beanstalk, aws_env: Simulator) -> None:
    with pytest.raises(NotFoundError, match="No Application named 'nope'") as raised:
        beanstalk.create_template("nope", "t", "e-123", "")

    assert raised.value.code == "InvalidParameterValue"


def test_an_unknown_environment_is_not_found(beanstalk: Boto3Beanstalk, application: str) -> None:
    with pytest.raises(NotFoundError, match="No Environment found"):
        beanstalk.deploy_version("e-doesnotexist", "v1")


def test_a_missing_source_bundle_is_not_found(beanstalk: Boto3Beanstalk, application: str) -> None:
    with pytest.raises(NotFoundError, match="Unable to download from S3"):
        beanstalk.create_version("shop", "v1", "artifacts", "missing.zip", "")


def test_a_missing_version_is_not_found_when_deployed(
    beanstalk: Boto3Beanstalk, target: ReleaseTarget
) -> None:
    with pytest.raises(NotFoundError, match="No Application Version named 'v9'"):
        beanstalk.deploy_version(target.blue_id, "v9")


def test_changing_an_environment_that_is_not_ready_is_a_conflict(
    beanstalk: Boto3Beanstalk, target: ReleaseTarget, aws_env: Simulator
) -> None:
    aws_env.faults.stick("shop-blue", ops=("update",))
    beanstalk.deploy_version(target.blue_id, "v2")

    with pytest.raises(ConflictError, match="invalid state for this operation"):
        beanstalk.terminate_environment(target.blue_id)


def test_an_environment_name_in_use_is_a_conflict(
    beanstalk: Boto3Beanstalk, target: ReleaseTarget
) -> None:
    beanstalk.create_template("shop", "t", target.blue_id, "")
    request = CreateEnvironmentRequest("shop", "shop-blue", "t", "v1")

    with pytest.raises(ConflictError, match="already exists"):
        beanstalk.create_environment(request)


def test_a_version_label_in_use_is_a_conflict(
    beanstalk: Boto3Beanstalk, application: str, aws_env: Simulator
) -> None:
    add_version(aws_env, "shop", "v1", wait=False)

    with pytest.raises(ConflictError, match="already exists"):
        beanstalk.create_version("shop", "v1", "artifacts", "shop/v1.zip", "")


def test_throttling_within_the_retries_succeeds_and_the_retry_is_reported(
    beanstalk: Boto3Beanstalk, application: str, aws_env: Simulator, retries: list[str]
) -> None:
    aws_env.faults.throttle_next(1)

    assert beanstalk.application_exists("shop")

    assert retries == [
        f"AWS DescribeApplications attempt 1 of {MAX_ATTEMPTS} failed: Throttling: Rate exceeded"
    ]
    assert beanstalk.api_calls["DescribeApplications"] == 1


def test_throttling_beyond_the_retries_is_a_throttled_error_with_every_attempt_reported(
    beanstalk: Boto3Beanstalk, application: str, aws_env: Simulator, retries: list[str]
) -> None:
    aws_env.faults.throttle_next(MAX_ATTEMPTS)

    with pytest.raises(ThrottledError, match="Rate exceeded") as raised:
        beanstalk.describe_environments("shop")

    assert raised.value.code == "Throttling"
    assert [report.split(" failed")[0] for report in retries] == [
        f"AWS DescribeEnvironments attempt {n} of {MAX_ATTEMPTS}" for n in (1, 2)
    ]


def test_server_errors_beyond_the_retries_are_a_service_error(
    beanstalk: Boto3Beanstalk, application: str, aws_env: Simulator, retries: list[str]
) -> None:
    aws_env.faults.error_next(MAX_ATTEMPTS, status=503)

    with pytest.raises(ServiceError, match="ServiceUnavailable"):
        beanstalk.events("shop", datetime.now(UTC))

    assert len(retries) == MAX_ATTEMPTS
