"""EB refuses what it does not serve or accept: made-up solution stacks and platform ARNs,
unknown namespaces and option names, mistyped or out-of-range values, MinSize above MaxSize;
and describes its options (types, allowed values, ranges) and validates settings on request.
Evidence for each message: simulator/eb/catalog.py and simulator/eb/options.py."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.simulator.conftest import STACK, Stepped, failure

ARN = "arn:aws:elasticbeanstalk:us-east-1::platform/Python 3.11 running on 64bit Amazon Linux 2023"
ASG = "aws:autoscaling:asg"


def _create(stepped: Stepped, **params: Any) -> Any:
    base = {"ApplicationName": "shop", "EnvironmentName": "shop-blue", "VersionLabel": "v1"}
    return stepped.eb.create_environment(**(base | params))


def test_a_made_up_solution_stack_is_refused_and_nothing_is_created(stepped: Stepped) -> None:
    stepped.app()

    refused = failure(
        _create, stepped, SolutionStackName="64bit Amazon Linux 2023 v9 running Cobol"
    )

    assert (refused.code, refused.message) == (
        "InvalidParameterValue",
        "No Solution Stack named '64bit Amazon Linux 2023 v9 running Cobol' found.",
    )
    assert stepped.eb.describe_environments()["Environments"] == []


def test_a_made_up_platform_arn_is_refused_on_create_update_and_template(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    made_up = ARN + "/9.9.9"

    for call, params in (
        (_create, {"EnvironmentName": "shop-green", "PlatformArn": made_up}),
        (stepped.eb.update_environment, {"EnvironmentName": "shop-blue", "PlatformArn": made_up}),
    ):
        args = (stepped,) if call is _create else ()
        refused = failure(call, *args, **params)
        assert (refused.code, refused.message) == (
            "InvalidParameterValue",
            f"No Platform named '{made_up}' found.",
        )
    refused = failure(
        stepped.eb.create_configuration_template,
        ApplicationName="shop",
        TemplateName="t",
        PlatformArn=made_up,
    )
    assert refused.code == "InvalidParameterValue"
    assert stepped.env("shop-blue")["PlatformArn"] == ARN + "/4.3.0"


def test_an_environment_from_a_platform_arn_reports_that_platforms_stack(stepped: Stepped) -> None:
    stepped.app()

    created = _create(stepped, PlatformArn=ARN + "/4.1.2")

    older = "64bit Amazon Linux 2023 v4.1.2 running Python 3.11"
    assert (created["SolutionStackName"], created["PlatformArn"]) == (older, ARN + "/4.1.2")


def test_a_stack_and_an_arn_together_are_refused(stepped: Stepped) -> None:
    stepped.app()

    refused = failure(_create, stepped, SolutionStackName=STACK, PlatformArn=ARN + "/4.3.0")

    assert refused.code == "InvalidParameterCombination"


UNKNOWN = "Configuration validation exception: Invalid option specification (Namespace: '{}', OptionName: '{}'): Unknown configuration setting."  # noqa: E501

REFUSED = {
    "unknown namespace": (
        ("aws:autoscaling:asgg", "MinSize", "1"),
        UNKNOWN.format("aws:autoscaling:asgg", "MinSize"),
    ),
    "unknown option name": ((ASG, "MinSizes", "1"), UNKNOWN.format(ASG, "MinSizes")),
    "not a number": (
        (ASG, "MinSize", "two"),
        "Configuration validation exception: Invalid option value: 'two' (Namespace: "
        "'aws:autoscaling:asg', OptionName: 'MinSize'): Value is not an integer.",
    ),
    "out of range": (
        (ASG, "MaxSize", "10001"),
        "Configuration validation exception: Invalid option value: '10001' (Namespace: "
        "'aws:autoscaling:asg', OptionName: 'MaxSize'): Value is greater than the maximum "
        "allowed value: 10000.",
    ),
    "not an allowed value": (
        ("aws:elasticbeanstalk:environment", "EnvironmentType", "Tiny"),
        "Configuration validation exception: Invalid option value: 'Tiny' (Namespace: "
        "'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType'): Value is not one "
        "of the allowed values: [SingleInstance, LoadBalanced]",
    ),
    "MinSize above MaxSize": (
        (ASG, "MinSize", "5"),
        "Configuration validation exception: Invalid option value: '5' (Namespace: "
        "'aws:autoscaling:asg', OptionName: 'MinSize'): MinSize must be less than or equal to "
        "MaxSize (4).",
    ),
}


@pytest.mark.parametrize("case", REFUSED)
def test_option_settings_eb_would_refuse_are_refused_on_create(stepped: Stepped, case: str) -> None:
    (namespace, name, value), message = REFUSED[case]
    stepped.app()
    setting = {"Namespace": namespace, "OptionName": name, "Value": value}

    refused = failure(_create, stepped, SolutionStackName=STACK, OptionSettings=[setting])

    assert (refused.code, refused.message, refused.status) == (
        "ConfigurationValidationException",
        message,
        400,
    )
    assert stepped.eb.describe_environments()["Environments"] == []


def test_a_refused_update_leaves_the_environment_as_it_was(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    high = {"Namespace": ASG, "OptionName": "MaxSize", "Value": "0"}

    refused = failure(
        stepped.eb.update_environment,
        EnvironmentName="shop-blue",
        VersionLabel="v2",
        OptionSettings=[high],
    )

    assert refused.code == "ConfigurationValidationException"
    blue = stepped.env("shop-blue")
    assert (blue["Status"], blue["VersionLabel"]) == ("Ready", "v1")


def test_a_template_with_a_bad_option_is_refused(stepped: Stepped) -> None:
    stepped.app()
    bad = {"Namespace": "aws:elasticbeanstalk:command", "OptionName": "BatchSize", "Value": "150"}

    refused = failure(
        stepped.eb.create_configuration_template,
        ApplicationName="shop",
        TemplateName="t",
        SolutionStackName=STACK,
        OptionSettings=[bad],
    )

    assert refused.code == "ConfigurationValidationException"
    assert "A Percentage BatchSize must be from 1 to 100." in refused.message


def test_environment_properties_take_any_name(stepped: Stepped) -> None:
    stepped.app()
    prop = {
        "Namespace": "aws:elasticbeanstalk:application:environment",
        "OptionName": "ANY_NAME",
        "Value": "x",
    }

    created = _create(stepped, SolutionStackName=STACK, OptionSettings=[prop])

    assert created["Status"] == "Launching"


def test_configuration_options_describe_types_values_ranges_and_severity(
    stepped: Stepped,
) -> None:
    found = stepped.eb.describe_configuration_options(
        SolutionStackName=STACK,
        Options=[
            {"Namespace": ASG, "OptionName": "MinSize"},
            {"Namespace": "aws:elasticbeanstalk:environment", "OptionName": "EnvironmentType"},
        ],
    )
    options = {o["Name"]: o for o in found["Options"]}

    assert options["MinSize"] | {} == {
        "Namespace": ASG,
        "Name": "MinSize",
        "DefaultValue": "1",
        "ChangeSeverity": "NoInterruption",
        "UserDefined": False,
        "ValueType": "Scalar",
        "MinValue": 1,
        "MaxValue": 10000,
    }
    assert options["EnvironmentType"]["ValueOptions"] == ["SingleInstance", "LoadBalanced"]
    assert options["EnvironmentType"]["ChangeSeverity"] == "RestartEnvironment"
    assert found["SolutionStackName"] == STACK
    refused = failure(stepped.eb.describe_configuration_options, SolutionStackName="nope")
    assert refused.code == "InvalidParameterValue"


def test_validate_configuration_settings_lists_what_eb_would_refuse(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue")

    def messages(*settings: dict[str, str]) -> list[dict[str, str]]:
        return list(
            stepped.eb.validate_configuration_settings(
                ApplicationName="shop", EnvironmentName="shop-blue", OptionSettings=list(settings)
            )["Messages"]
        )

    assert messages({"Namespace": ASG, "OptionName": "MaxSize", "Value": "6"}) == []
    # the shape of the EB CLI's recorded answer (VALIDATE_CONFIGURATION_SETTINGS_RESPONSE__INVALID)
    namespace = "aws:elasticbeanstalk:healthreporting:system"
    assert messages({"Namespace": namespace, "OptionName": "ConfigDocumet", "Value": "{}"}) == [
        {
            "Message": UNKNOWN.format(namespace, "ConfigDocumet").split(": ", 1)[1],
            "Severity": "error",
            "Namespace": namespace,
            "OptionName": "ConfigDocumet",
        }
    ]
