"""CreateEnvironment's preconditions fail with AWS's codes and messages."""

from __future__ import annotations

import pytest
from botocore.config import Config

from tests.integration.simulator.conftest import STACK, Stepped, failure


def _create(stepped: Stepped, name: str = "shop-blue", **extra: str) -> dict[str, str]:
    params = {"ApplicationName": "shop", "EnvironmentName": name, "SolutionStackName": STACK}
    return {**params, "VersionLabel": "v1", **extra}


def test_a_duplicate_environment_name_fails(stepped: Stepped) -> None:
    stepped.app()
    stepped.eb.create_environment(**_create(stepped))
    error = failure(stepped.eb.create_environment, **_create(stepped))
    assert (error.code, error.message) == (
        "InvalidParameterValue",
        "Environment shop-blue already exists.",
    )


def test_a_taken_cname_prefix_fails(stepped: Stepped) -> None:
    stepped.app()
    stepped.eb.create_environment(**_create(stepped, CNAMEPrefix="shop-live"))
    error = failure(
        stepped.eb.create_environment, **_create(stepped, "shop-green", CNAMEPrefix="shop-live")
    )
    assert (error.code, error.message) == (
        "InvalidParameterValue",
        "DNS name (shop-live) is not available.",
    )


def test_check_dns_availability_follows_the_cnames_in_use(stepped: Stepped) -> None:
    stepped.app()
    free = stepped.eb.check_dns_availability(CNAMEPrefix="shop-live")
    assert free == {
        "Available": True,
        "FullyQualifiedCNAME": "shop-live.us-east-1.elasticbeanstalk.com",
        "ResponseMetadata": free["ResponseMetadata"],
    }
    stepped.eb.create_environment(**_create(stepped, CNAMEPrefix="shop-live"))
    assert stepped.eb.check_dns_availability(CNAMEPrefix="shop-live")["Available"] is False


def test_unknown_application_version_and_template_fail(stepped: Stepped) -> None:
    stepped.app()
    create = stepped.eb.create_environment
    app = failure(create, **_create(stepped, ApplicationName="ghost"))
    assert (app.code, app.message) == (
        "InvalidParameterValue",
        "No Application named 'ghost' found.",
    )
    version = failure(create, **_create(stepped, VersionLabel="v9"))
    assert (version.code, version.message) == (
        "InvalidParameterValue",
        "No Application Version named 'v9' found.",
    )
    template = failure(
        create, ApplicationName="shop", EnvironmentName="shop-blue", TemplateName="nope"
    )
    assert template.message == "No Configuration Template named 'nope' found."


def test_a_version_still_processing_cannot_be_deployed(stepped: Stepped) -> None:
    stepped.app(versions=("v1",))
    stepped.version("v2")
    error = failure(stepped.eb.create_environment, **_create(stepped, VersionLabel="v2"))
    assert error.code == "InvalidParameterValue"


def test_a_template_and_a_stack_together_fail(stepped: Stepped) -> None:
    stepped.app()
    error = failure(stepped.eb.create_environment, **_create(stepped, TemplateName="t"))
    assert error.code == "InvalidParameterCombination"
    nothing = failure(
        stepped.eb.create_environment, ApplicationName="shop", EnvironmentName="shop-blue"
    )
    assert nothing.code == "InvalidParameterValue"


@pytest.mark.parametrize("name", ["-shop", "shop-", "shop_blue", "shop.blue"])
def test_environment_names_with_bad_characters_fail(stepped: Stepped, name: str) -> None:
    stepped.app()
    error = failure(stepped.eb.create_environment, **_create(stepped, name))
    assert error.code == "InvalidParameterValue"
    assert name in error.message


@pytest.mark.parametrize("name", ["abc", "a" * 41])
def test_environment_names_of_bad_length_fail_validation(stepped: Stepped, name: str) -> None:
    stepped.app()
    raw = stepped.sim.client(
        "elasticbeanstalk",
        config=Config(parameter_validation=False, retries={"total_max_attempts": 1}),
    )
    error = failure(raw.create_environment, **_create(stepped, name))
    assert error.code == "ValidationError"
    assert f"Value '{name}' at 'environmentName' failed to satisfy constraint" in error.message


def test_four_and_forty_character_names_are_fine(stepped: Stepped) -> None:
    stepped.app()
    for name in ("abcd", "a" * 40):
        assert stepped.eb.create_environment(**_create(stepped, name))["EnvironmentName"] == name
