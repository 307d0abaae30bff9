"""AwsConfig validation and how sessions and clients are built from it (no network)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloud.aws import AwsConfig, make_client, make_session
from engine.domain.errors import ConfigurationError

AWS_VARIABLES = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_ELASTIC_BEANSTALK",
    "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE",
)


@pytest.fixture(autouse=True)
def isolated_aws_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No shared AWS config or environment leaks in; the test writes its own config file."""
    for name in AWS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    config_file = tmp_path / "aws-config"
    config_file.write_text(
        "[profile shop-sso]\n"
        "sso_start_url = https://example.awsapps.com/start\n"
        "sso_region = eu-west-1\n"
        "sso_account_id = 123456789012\n"
        "sso_role_name = Deployer\n"
        "region = eu-west-1\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config_file))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    return config_file


def test_sso_without_a_profile_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="SSO_PROFILE"):
        AwsConfig(region="eu-west-1", auth_method="SSO")


@pytest.mark.parametrize(
    "bad",
    [
        {"auth_method": "password"},
        {"retry_mode": "legacy"},
        {"max_attempts": 0},
        {"connect_timeout_seconds": 0},
        {"read_timeout_seconds": -1},
        {"endpoint_url": "127.0.0.1:4566"},
    ],
)
def test_invalid_settings_are_refused_with_a_configuration_error(bad: dict[str, object]) -> None:
    with pytest.raises(ConfigurationError):
        AwsConfig(region="eu-west-1", **bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("written", "meant"), [("sso", "SSO"), ("Sso", "SSO"), ("DEFAULT", "default")]
)
def test_the_auth_method_is_understood_in_any_case(written: str, meant: str) -> None:
    config = AwsConfig(auth_method=written, sso_profile="shop-sso")  # type: ignore[arg-type]

    assert config.auth_method == meant


def test_defaults_are_the_standard_chain_with_standard_retries() -> None:
    config = AwsConfig(region="eu-west-1")

    assert (config.auth_method, config.retry_mode, config.max_attempts) == (
        "default",
        "standard",
        8,
    )
    assert config.endpoint_url is None


def test_sso_uses_the_named_profile() -> None:
    session = make_session(AwsConfig(auth_method="SSO", sso_profile="shop-sso"))

    assert session.profile_name == "shop-sso"
    assert session.region_name == "eu-west-1"


def test_an_unknown_sso_profile_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="SSO_PROFILE 'missing'"):
        make_session(AwsConfig(auth_method="SSO", sso_profile="missing"))


def test_the_region_setting_wins_over_the_profile() -> None:
    config = AwsConfig(region="us-east-1", auth_method="SSO", sso_profile="shop-sso")

    assert make_session(config).region_name == "us-east-1"


def test_a_client_without_any_region_is_a_configuration_error() -> None:
    config = AwsConfig()

    with pytest.raises(ConfigurationError, match="AWS_DEFAULT_REGION"):
        make_client(make_session(config), "elasticbeanstalk", config)


def test_clients_carry_the_retry_mode_attempts_user_agent_and_timeouts() -> None:
    config = AwsConfig(region="eu-west-1", retry_mode="adaptive", max_attempts=5)

    client = make_client(make_session(config), "elasticbeanstalk", config)

    settings = client.meta.config
    assert settings.retries == {"mode": "adaptive", "total_max_attempts": 5}
    assert settings.user_agent_extra.startswith("beanstalk-bluegreen/")
    assert settings.tcp_keepalive is True
    assert (settings.connect_timeout, settings.read_timeout) == (10.0, 60.0)


def test_without_an_endpoint_url_the_real_regional_endpoint_is_used() -> None:
    config = AwsConfig(region="eu-west-1")

    client = make_client(make_session(config), "elasticbeanstalk", config)

    assert client.meta.endpoint_url == "https://elasticbeanstalk.eu-west-1.amazonaws.com"


def test_the_standard_aws_endpoint_url_variable_is_honoured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
    config = AwsConfig(region="eu-west-1")

    client = make_client(make_session(config), "elasticbeanstalk", config)

    assert client.meta.endpoint_url == "http://127.0.0.1:4566"


def test_an_explicit_endpoint_url_wins_over_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
    config = AwsConfig(region="eu-west-1", endpoint_url="http://127.0.0.1:5000")

    client = make_client(make_session(config), "s3", config)

    assert client.meta.endpoint_url == "http://127.0.0.1:5000"


@pytest.mark.parametrize(("value", "said"), [("", "no AWS region"), ("eu west", "not an AWS")])
def test_a_region_from_the_environment_that_names_no_region_is_refused(
    monkeypatch: pytest.MonkeyPatch, value: str, said: str
) -> None:
    """An empty AWS_DEFAULT_REGION reaches botocore as "" (endpoint `elasticbeanstalk..`)."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", value)

    with pytest.raises(ConfigurationError, match=said):
        make_session(AwsConfig(region=None))
