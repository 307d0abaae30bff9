"""Request parameters: an unknown one is refused (never dropped), and the members the EB CLI's
extended model adds (TemplateSpecification) work, sent by a boto3 client that knows them."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest

from simulator.core import ACCESS_KEY
from simulator.eb.model import service_model
from tests.integration.simulator.conftest import NO_RETRIES, STACK, Stepped, failure

SCALING = {"Namespace": "aws:autoscaling:asg", "OptionName": "MaxSize", "Value": "7"}
FROM_BLUE = {"TemplateSource": {"EnvironmentName": "shop-blue"}}


@pytest.fixture
def extended(stepped: Stepped, tmp_path: Path) -> Any:
    """A boto3 EB client built from the simulator's model (public + the EB CLI's members), as
    the EB CLI builds its own client from its extended service-2.json."""
    folder = tmp_path / "elasticbeanstalk" / "2010-12-01"
    folder.mkdir(parents=True)
    model = service_model()
    (folder / "service-2.json").write_text(json.dumps(_raw(model)))
    core = botocore.session.Session()
    core.get_component("data_loader").search_paths.insert(0, str(tmp_path))
    session = boto3.Session(botocore_session=core)
    return session.client(
        "elasticbeanstalk",
        region_name=stepped.sim.region,
        endpoint_url=stepped.sim.endpoint_url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=ACCESS_KEY,
        config=NO_RETRIES,
    )


def _raw(model: Any) -> dict[str, Any]:
    return dict(model._service_description)


def _post(stepped: Stepped, body: str) -> tuple[int, str]:
    request = urllib.request.Request(stepped.sim.endpoint_url, data=body.encode(), method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # loopback only
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_an_unknown_parameter_is_refused_with_an_error(stepped: Stepped) -> None:
    status, body = _post(stepped, "Action=DescribeEnvironments&Version=2010-12-01&Bogus=1")

    assert status == 400
    assert "<Code>InvalidQueryParameter</Code>" in body and "Bogus" in body


def test_a_known_parameter_alone_is_answered(stepped: Stepped) -> None:
    status, body = _post(stepped, "Action=DescribeEnvironments&Version=2010-12-01&MaxRecords=5")

    assert status == 200 and "<DescribeEnvironmentsResult>" in body


def test_an_environment_created_from_a_template_source_copies_blues_settings(
    stepped: Stepped, extended: Any
) -> None:
    stepped.app()
    stepped.launch("shop-blue", OptionSettings=[SCALING])

    extended.create_environment(
        ApplicationName="shop",
        EnvironmentName="shop-clone",
        VersionLabel="v1",
        TemplateSpecification=FROM_BLUE,
    )

    settings = stepped.eb.describe_configuration_settings(
        ApplicationName="shop", EnvironmentName="shop-clone"
    )["ConfigurationSettings"][0]
    assert SCALING in settings["OptionSettings"]
    assert settings["SolutionStackName"] == STACK


def test_a_template_saved_from_a_template_source_copies_blues_settings(
    stepped: Stepped, extended: Any
) -> None:
    stepped.app()
    stepped.launch("shop-blue", OptionSettings=[SCALING])

    created = extended.create_configuration_template(
        ApplicationName="shop", TemplateName="saved", TemplateSpecification=FROM_BLUE
    )

    assert SCALING in created["OptionSettings"] and created["SolutionStackName"] == STACK


def test_template_snippets_are_refused_rather_than_ignored(stepped: Stepped, extended: Any) -> None:
    stepped.app()
    snippet = {"SnippetName": "Rds", "Order": 1, "SourceUrl": "https://example.invalid/rds.json"}

    error = failure(
        extended.create_environment,
        ApplicationName="shop",
        EnvironmentName="shop-rds",
        SolutionStackName=STACK,
        TemplateSpecification={"TemplateSnippets": [snippet]},
    )

    assert error.code == "InvalidParameterValue" and "TemplateSnippets" in error.message
    assert stepped.eb.describe_environments(EnvironmentNames=["shop-rds"])["Environments"] == []


def test_model_members_the_simulator_cannot_honour_are_refused(stepped: Stepped) -> None:
    stepped.app()
    blue = stepped.launch("shop-blue")

    worker = failure(
        stepped.eb.create_environment,
        ApplicationName="shop",
        EnvironmentName="shop-worker",
        SolutionStackName=STACK,
        Tier={"Name": "Worker", "Type": "SQS/HTTP"},
    )
    keep = failure(
        stepped.eb.terminate_environment,
        EnvironmentId=blue["EnvironmentId"],
        TerminateResources=False,
    )

    assert "Tier" in worker.message and "TerminateResources" in keep.message
    assert stepped.env("shop-blue")["Status"] == "Ready"


def test_options_to_remove_put_an_option_back_to_its_default(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue", OptionSettings=[SCALING])

    stepped.eb.update_environment(
        EnvironmentName="shop-blue",
        OptionsToRemove=[{"Namespace": SCALING["Namespace"], "OptionName": "MaxSize"}],
    )
    stepped.advance(120)

    settings = stepped.eb.describe_configuration_settings(
        ApplicationName="shop", EnvironmentName="shop-blue"
    )["ConfigurationSettings"][0]["OptionSettings"]
    assert [o["Value"] for o in settings if o["OptionName"] == "MaxSize"] == ["4"]


def test_configuration_settings_have_the_tier_and_the_options_every_environment_has(
    stepped: Stepped, extended: Any
) -> None:
    stepped.app()
    stepped.launch("shop-blue")

    settings = extended.describe_configuration_settings(
        ApplicationName="shop", EnvironmentName="shop-blue"
    )["ConfigurationSettings"][0]

    assert settings["Tier"] == {"Name": "WebServer", "Type": "Standard", "Version": "1.0"}
    options = {(o["Namespace"], o["OptionName"]): o["Value"] for o in settings["OptionSettings"]}
    assert options[("aws:elasticbeanstalk:environment", "LoadBalancerIsShared")] == "false"
    assert options[("aws:elasticbeanstalk:environment", "LoadBalancerType")] == "application"
