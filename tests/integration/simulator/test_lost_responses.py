"""Lost responses: the call is carried out, then answered 503; the call log tells what really
happened, whatever the client saw (botocore's own retries included)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from simulator import Faults
from tests.integration.simulator.conftest import STACK, Stepped, failure
from tests.integration.simulator.test_cli import _serve

RETRYING = Config(retries={"mode": "standard", "total_max_attempts": 3})
BLUEGREEN = [sys.executable, "-c", "from engine.operator.cli import main; main()"]


def _create_green(eb: Any) -> None:
    eb.create_environment(
        ApplicationName="shop", EnvironmentName="shop-green", SolutionStackName=STACK
    )


def test_a_lost_create_environment_response_creates_it_once_and_answers_503(
    stepped: Stepped,
) -> None:
    stepped.app()
    stepped.sim.faults.lose_response("CreateEnvironment")
    assert failure(_create_green, stepped.eb).status == 503
    assert stepped.env("shop-green")["Status"] == "Launching"
    calls = stepped.sim.calls
    assert calls.count("CreateEnvironment") == 1
    assert [call.lost for call in calls.performed("CreateEnvironment")] == [True]
    assert calls.performed("CreateEnvironment")[0].params["EnvironmentName"] == "shop-green"


def test_botocore_retries_a_lost_create_and_the_duplicate_is_refused(stepped: Stepped) -> None:
    stepped.app()
    stepped.sim.faults.lose_response("CreateEnvironment")
    eb = stepped.sim.client("elasticbeanstalk", config=RETRYING)
    with pytest.raises(ClientError, match="already exists"):
        _create_green(eb)
    calls = stepped.sim.calls
    assert (calls.count("CreateEnvironment"), calls.count("CreateEnvironment", "refused")) == (1, 1)
    assert calls.received("CreateEnvironment") == 2


def test_a_lost_swap_is_carried_out_once_and_its_retry_finds_the_swap_in_progress(
    stepped: Stepped,
) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    stepped.launch("shop-green", version="v2")
    stepped.sim.faults.lose_response("SwapEnvironmentCNAMEs")
    eb = stepped.sim.client("elasticbeanstalk", config=RETRYING)
    with pytest.raises(ClientError, match="Ready"):
        eb.swap_environment_cnames(
            SourceEnvironmentName="shop-blue", DestinationEnvironmentName="shop-green"
        )
    swaps = stepped.sim.calls.performed("SwapEnvironmentCNAMEs")
    assert [(s.params["SourceEnvironmentName"], s.lost) for s in swaps] == [("shop-blue", True)]
    assert stepped.sim.calls.count("SwapEnvironmentCNAMEs", "refused") == 1
    assert stepped.env("shop-blue")["Status"] == "Updating"


def test_a_count_loses_that_many_carried_out_calls_and_refused_calls_do_not_use_it(
    stepped: Stepped,
) -> None:
    stepped.sim.faults.lose_response("CreateApplication", 2)
    eb = stepped.eb
    assert failure(eb.create_application, ApplicationName="shop").status == 503
    assert failure(eb.create_application, ApplicationName="shop").code == "InvalidParameterValue"
    assert failure(eb.create_application, ApplicationName="cart").status == 503
    eb.create_application(ApplicationName="till")
    assert stepped.sim.calls.count("CreateApplication") == 3
    lost = [call.lost for call in stepped.sim.calls.performed("CreateApplication")]
    assert lost == [True, True, False]


def test_reads_are_counted_but_only_mutating_calls_are_kept(stepped: Stepped) -> None:
    stepped.eb.describe_applications()
    stepped.eb.create_application(ApplicationName="shop")
    assert stepped.sim.calls.count("DescribeApplications") == 1
    assert [call.action for call in stepped.sim.calls.performed()] == ["CreateApplication"]


def test_a_reset_forgets_the_calls_and_the_lost_responses(stepped: Stepped) -> None:
    stepped.sim.faults.lose_response("CreateApplication")
    stepped.eb.describe_applications()
    stepped.sim.reset()
    stepped.eb.create_application(ApplicationName="shop")
    assert stepped.sim.calls.performed()[0].lost is False
    assert stepped.sim.calls.count("DescribeApplications") == 0


def test_a_count_below_1_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Faults().lose_response("CreateEnvironment", 0)


def test_serve_lose_response_loses_the_named_call_count_times() -> None:
    for _, exports in _serve("--lose-response", "CreateApplication:2"):
        eb = boto3.client(
            "elasticbeanstalk",
            endpoint_url=exports["AWS_ENDPOINT_URL"],
            region_name="us-east-1",
            aws_access_key_id="x",
            aws_secret_access_key="x",
            config=Config(retries={"total_max_attempts": 1}),
        )
        for name in ("shop", "cart"):
            with pytest.raises(ClientError, match="unavailable"):
                eb.create_application(ApplicationName=name)
        eb.create_application(ApplicationName="till")
        names = {a["ApplicationName"] for a in eb.describe_applications()["Applications"]}
        assert names == {"shop", "cart", "till"}


@pytest.mark.parametrize(
    ("value", "says"),
    [("CreateEnvirnoment", "not an Elastic Beanstalk action"), ("CreateEnvironment:0", "COUNT")],
)
def test_serve_refuses_a_bad_lose_response_with_exit_2(value: str, says: str) -> None:
    done = subprocess.run(
        [*BLUEGREEN, "simulator", "serve", "--lose-response", value],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert says in done.stderr
