"""Configuration templates saved from an environment, described, used, and deleted."""

from __future__ import annotations

from tests.integration.simulator.conftest import STACK, Stepped, failure

SCALING = {"Namespace": "aws:autoscaling:asg", "OptionName": "MaxSize", "Value": "9"}


def _blue_with_options(stepped: Stepped) -> dict[str, str]:
    stepped.app()
    return stepped.launch("shop-blue", OptionSettings=[SCALING])


def test_a_template_saved_from_an_environment_copies_its_configuration(stepped: Stepped) -> None:
    blue = _blue_with_options(stepped)
    created = stepped.eb.create_configuration_template(
        ApplicationName="shop", TemplateName="run-1", EnvironmentId=blue["EnvironmentId"]
    )
    assert (created["TemplateName"], created["SolutionStackName"]) == ("run-1", STACK)
    assert SCALING in created["OptionSettings"]
    settings = stepped.eb.describe_configuration_settings(
        ApplicationName="shop", TemplateName="run-1"
    )
    assert settings["ConfigurationSettings"][0]["OptionSettings"] == created["OptionSettings"]


def test_an_environment_created_from_a_template_has_its_configuration(stepped: Stepped) -> None:
    blue = _blue_with_options(stepped)
    stepped.eb.create_configuration_template(
        ApplicationName="shop", TemplateName="run-1", EnvironmentId=blue["EnvironmentId"]
    )
    green = stepped.eb.create_environment(
        ApplicationName="shop",
        EnvironmentName="shop-green",
        TemplateName="run-1",
        VersionLabel="v1",
    )
    assert (green["TemplateName"], green["SolutionStackName"]) == ("run-1", STACK)
    settings = stepped.eb.describe_configuration_settings(
        ApplicationName="shop", EnvironmentName="shop-green"
    )["ConfigurationSettings"][0]
    assert (settings["EnvironmentName"], settings["DeploymentStatus"]) == ("shop-green", "deployed")
    assert SCALING in settings["OptionSettings"]


def test_a_template_cannot_be_deleted_while_an_environment_launches_from_it(
    stepped: Stepped,
) -> None:
    blue = _blue_with_options(stepped)
    stepped.eb.create_configuration_template(
        ApplicationName="shop", TemplateName="run-1", EnvironmentId=blue["EnvironmentId"]
    )
    stepped.eb.create_environment(
        ApplicationName="shop",
        EnvironmentName="shop-green",
        TemplateName="run-1",
        VersionLabel="v1",
    )
    error = failure(
        stepped.eb.delete_configuration_template, ApplicationName="shop", TemplateName="run-1"
    )
    assert error.code == "OperationInProgressFailure"
    stepped.advance(180)
    stepped.eb.delete_configuration_template(ApplicationName="shop", TemplateName="run-1")
    assert stepped.eb.describe_applications()["Applications"][0]["ConfigurationTemplates"] == []


def test_template_errors(stepped: Stepped) -> None:
    blue = _blue_with_options(stepped)
    create = stepped.eb.create_configuration_template
    create(ApplicationName="shop", TemplateName="run-1", EnvironmentId=blue["EnvironmentId"])
    duplicate = failure(
        create, ApplicationName="shop", TemplateName="run-1", SolutionStackName=STACK
    )
    assert duplicate.message == "Configuration Template run-1 already exists."
    unknown_env = failure(
        create, ApplicationName="shop", TemplateName="t2", EnvironmentId="e-0000000000"
    )
    assert unknown_env.message == "No Environment found for EnvironmentId = 'e-0000000000'."
    no_source = failure(create, ApplicationName="shop", TemplateName="t2")
    assert no_source.code == "InvalidParameterValue"
    unknown_app = failure(
        create, ApplicationName="ghost", TemplateName="t2", SolutionStackName=STACK
    )
    assert unknown_app.message == "No Application named 'ghost' found."
    missing = failure(
        stepped.eb.delete_configuration_template, ApplicationName="shop", TemplateName="nope"
    )
    assert (missing.code, missing.message) == (
        "InvalidParameterValue",
        "No Configuration Template named 'nope' found.",
    )
    both = failure(
        stepped.eb.describe_configuration_settings,
        ApplicationName="shop",
        TemplateName="run-1",
        EnvironmentName="shop-blue",
    )
    assert both.code == "InvalidParameterCombination"


def test_a_template_from_a_stack_or_another_template(stepped: Stepped) -> None:
    stepped.app(versions=())
    create = stepped.eb.create_configuration_template
    base = create(ApplicationName="shop", TemplateName="base", SolutionStackName=STACK)
    copy = create(
        ApplicationName="shop",
        TemplateName="copy",
        SourceConfiguration={"ApplicationName": "shop", "TemplateName": "base"},
        OptionSettings=[SCALING],
    )
    assert copy["SolutionStackName"] == base["SolutionStackName"]
    assert SCALING in copy["OptionSettings"] and SCALING not in base["OptionSettings"]
