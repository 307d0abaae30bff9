"""The call recorder counts calls and reports failed attempts, through botocore's own events.

The events are emitted on a real client's event system, exactly as botocore's endpoint emits
them around each HTTP attempt; no request leaves the process.
"""

from __future__ import annotations

import threading
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError

from cloud.aws_calls import CallRecorder

OPERATION = "DescribeEnvironments"


@pytest.fixture
def client() -> BaseClient:
    session = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="eu-west-1"
    )
    config = Config(retries={"mode": "standard", "total_max_attempts": 4})
    return session.client("elasticbeanstalk", config=config)


def call(client: BaseClient) -> None:
    model = client.meta.service_model.operation_model(OPERATION)
    client.meta.events.emit(f"before-call.elastic-beanstalk.{OPERATION}", model=model, params={})


def attempt(
    client: BaseClient,
    number: int,
    status: int = 200,
    parsed: dict[str, Any] | None = None,
    exception: Exception | None = None,
) -> None:
    model = client.meta.service_model.operation_model(OPERATION)
    response = None if exception else (AWSResponse("http://x", status, {}, None), parsed or {})
    client.meta.events.emit(
        f"needs-retry.elastic-beanstalk.{OPERATION}",
        response=response,
        endpoint=None,
        operation=model,
        attempts=number,
        caught_exception=exception,
        request_dict={"context": {}},
    )


def throttled() -> dict[str, Any]:
    return {"Error": {"Code": "Throttling", "Message": "Rate exceeded"}}


def test_calls_are_counted_per_operation(client: BaseClient) -> None:
    recorder = CallRecorder()
    recorder.attach(client)

    call(client)
    call(client)

    assert recorder.api_calls[OPERATION] == 2
    assert recorder.snapshot() == {OPERATION: 2}


def test_calls_from_many_threads_are_all_counted(client: BaseClient) -> None:
    recorder = CallRecorder()
    recorder.attach(client)

    def call_often() -> None:
        for _ in range(200):
            call(client)

    threads = [threading.Thread(target=call_often) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert recorder.snapshot()[OPERATION] == 1600


def test_every_failed_attempt_is_reported_with_operation_code_and_attempt(
    client: BaseClient,
) -> None:
    reports: list[str] = []
    recorder = CallRecorder(reports.append)
    recorder.attach(client)

    attempt(client, 1, 400, throttled())
    attempt(client, 2, 503, {"Error": {"Code": "ServiceUnavailable", "Message": "Try again"}})
    attempt(client, 3, exception=EndpointConnectionError(endpoint_url="http://127.0.0.1:9"))

    assert reports == [
        "AWS DescribeEnvironments attempt 1 of 4 failed: Throttling: Rate exceeded",
        "AWS DescribeEnvironments attempt 2 of 4 failed: ServiceUnavailable: Try again",
        "AWS DescribeEnvironments attempt 3 of 4 failed: EndpointConnectionError: "
        'Could not connect to the endpoint URL: "http://127.0.0.1:9"',
    ]


def test_client_errors_are_not_reported_as_retries(client: BaseClient) -> None:
    reports: list[str] = []
    CallRecorder(reports.append).attach(client)

    missing = {"Error": {"Code": "InvalidParameterValue", "Message": "No Configuration Template"}}
    attempt(client, 1, 400, missing)

    assert reports == []


def test_successful_attempts_are_not_reported(client: BaseClient) -> None:
    reports: list[str] = []
    CallRecorder(reports.append).attach(client)

    attempt(client, 1, 200, {"Environments": []})

    assert reports == []


def test_the_reporter_can_be_set_after_the_client_was_built(client: BaseClient) -> None:
    recorder = CallRecorder()
    recorder.attach(client)
    reports: list[str] = []

    recorder.on_retry = reports.append
    attempt(client, 1, 400, throttled())

    assert len(reports) == 1


def test_a_failing_reporter_never_fails_the_aws_call(client: BaseClient) -> None:
    def broken(message: str) -> None:
        raise RuntimeError("history is down")

    CallRecorder(broken).attach(client)

    attempt(client, 1, 400, throttled())  # does not raise
