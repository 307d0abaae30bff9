"""The wire: AWS Query requests parsed and validated from the botocore model, XML answers,
routing between the simulated EB and moto (S3, STS) on one endpoint."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

import httpx
import pytest
from botocore.config import Config

from simulator.protocol import ApiError, parse_params, validate
from simulator.server import service_model
from tests.integration.simulator.conftest import Stepped, failure

NS = {"eb": "http://elasticbeanstalk.amazonaws.com/docs/2010-12-01/"}


def _raw(stepped: Stepped) -> Any:
    config = Config(parameter_validation=False, retries={"total_max_attempts": 1})
    return stepped.sim.client("elasticbeanstalk", config=config)


def test_flattened_query_parameters_become_nested_values() -> None:
    shape = service_model().operation_model("CreateEnvironment").input_shape
    params = {
        "Action": "CreateEnvironment",
        "ApplicationName": "shop",
        "Tags.member.1.Key": "run",
        "Tags.member.1.Value": "r-1",
        "Tags.member.2.Key": "team",
        "Tags.member.2.Value": "web",
        "OptionSettings.member.1.Namespace": "aws:autoscaling:asg",
        "OptionSettings.member.1.OptionName": "MinSize",
        "OptionSettings.member.1.Value": "2",
        "Tier.Name": "WebServer",
    }
    assert parse_params(shape, params) == {
        "ApplicationName": "shop",
        "Tags": [{"Key": "run", "Value": "r-1"}, {"Key": "team", "Value": "web"}],
        "OptionSettings": [
            {"Namespace": "aws:autoscaling:asg", "OptionName": "MinSize", "Value": "2"}
        ],
        "Tier": {"Name": "WebServer"},
    }


def test_scalars_are_typed_from_the_model() -> None:
    shape = service_model().operation_model("DescribeEnvironments").input_shape
    parsed = parse_params(
        shape,
        {
            "IncludeDeleted": "false",
            "MaxRecords": "5",
            "IncludedDeletedBackTo": "2024-05-01T12:00:00Z",
            "EnvironmentNames": "",
        },
    )
    assert parsed["IncludeDeleted"] is False and parsed["MaxRecords"] == 5
    assert parsed["IncludedDeletedBackTo"].isoformat() == "2024-05-01T12:00:00+00:00"
    assert parsed["EnvironmentNames"] == []


def test_validation_reports_every_broken_constraint() -> None:
    shape = service_model().operation_model("DescribeEvents").input_shape
    with pytest.raises(ApiError) as caught:
        validate(shape, {"Severity": "LOUD", "MaxRecords": 0})
    assert caught.value.code == "ValidationError"
    assert caught.value.message.startswith("2 validation errors detected: ")
    assert "Value 'LOUD' at 'severity' failed to satisfy constraint" in caught.value.message


def test_a_missing_required_parameter_fails(stepped: Stepped) -> None:
    error = failure(_raw(stepped).create_application)
    assert (error.code, error.message) == (
        "MissingParameter",
        "The request must contain the parameter ApplicationName.",
    )


def test_an_invalid_enum_value_fails(stepped: Stepped) -> None:
    error = failure(_raw(stepped).describe_events, Severity="LOUD")
    assert error.code == "ValidationError"


def test_responses_are_xml_in_the_eb_namespace(stepped: Stepped) -> None:
    stepped.eb.create_application(ApplicationName="shop")
    answer = httpx.post(
        stepped.sim.endpoint_url,
        data={"Action": "DescribeApplications", "Version": "2010-12-01"},
    )
    assert answer.status_code == 200
    root = ET.fromstring(answer.content)
    assert root.tag == f"{{{NS['eb']}}}DescribeApplicationsResponse"
    names = root.findall(".//eb:Applications/eb:member/eb:ApplicationName", NS)
    assert [n.text for n in names] == ["shop"]
    request_id = root.find("eb:ResponseMetadata/eb:RequestId", NS)
    assert request_id is not None and request_id.text == answer.headers["x-amzn-RequestId"]


def test_errors_are_xml_error_responses(stepped: Stepped) -> None:
    answer = httpx.post(
        stepped.sim.endpoint_url, data={"Action": "RebootTheWorld", "Version": "2010-12-01"}
    )
    assert answer.status_code == 400
    root = ET.fromstring(answer.content)
    error = root.find("eb:Error", NS)
    assert error is not None
    assert [(e.tag.split("}")[1], e.text) for e in error] == [
        ("Type", "Sender"),
        ("Code", "InvalidAction"),
        ("Message", "The action RebootTheWorld is not valid for this web service."),
    ]


def test_an_eb_action_the_simulator_lacks_is_refused_clearly(stepped: Stepped) -> None:
    error = failure(stepped.eb.compose_environments, ApplicationName="shop", VersionLabels=["v1"])
    assert (error.code, error.status) == ("InvalidAction", 400)
    assert "ComposeEnvironments" in error.message


def test_s3_and_sts_are_served_by_moto_on_the_same_endpoint(stepped: Stepped) -> None:
    stepped.s3.create_bucket(Bucket="artifacts")
    stepped.s3.put_object(Bucket="artifacts", Key="a/b.zip", Body=b"zip")
    assert stepped.s3.get_object(Bucket="artifacts", Key="a/b.zip")["Body"].read() == b"zip"
    identity = stepped.sim.client("sts").get_caller_identity()
    assert identity["Account"] == "123456789012"


def test_reset_drops_s3_buckets_too(stepped: Stepped) -> None:
    stepped.s3.create_bucket(Bucket="artifacts")
    stepped.sim.reset()
    assert stepped.s3.list_buckets()["Buckets"] == []
