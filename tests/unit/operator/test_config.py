"""Settings from the replaced tool's variables and flags, and the values the engine gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.domain.errors import ConfigurationError
from engine.domain.model import Guards, Mode
from engine.operator.inputs import bundle_version_label, release_request, target_of
from engine.operator.settings import load_settings
from engine.release.requests import OnUnfinished

REPLACED_TOOL = {
    "BEANSTALK_APP_NAME": "shop",
    "BLUE_ENV_NAME": "shop-blue",
    "GREEN_ENV_NAME": "shop-green",
    "VERSION_LABEL": "v2",
    "RELEASE_HEALTH_CHECKING_PATH": "/health",
    "AWS_DEFAULT_REGION": "eu-west-1",
}


@pytest.fixture
def replaced_tool_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_REGION", "BLUEGREEN_BUNDLE", "S3_ARTIFACTS_BUCKET", "AUTH_METHOD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in REPLACED_TOOL.items():
        monkeypatch.setenv(name, value)


def test_the_replaced_tools_variables_make_a_whole_release_request(
    replaced_tool_env: None,
) -> None:
    request = release_request(load_settings(), Mode.FULL)

    assert (request.target.region, request.target.app, request.target.blue) == (
        "eu-west-1", "shop", "shop-blue",
    )  # fmt: skip
    assert (request.green, request.version_label) == ("shop-green", "v2")
    assert request.health.path == "/health"
    assert request.bundle is None


def test_flags_override_the_environment(replaced_tool_env: None) -> None:
    settings = load_settings({"VERSION_LABEL": "v3", "BLUEGREEN_ON_UNFINISHED": "resume"})

    assert settings.version_label == "v3"
    assert OnUnfinished(settings.on_unfinished) is OnUnfinished.RESUME


def test_a_flag_left_unset_does_not_hide_the_variable(replaced_tool_env: None) -> None:
    assert load_settings({"VERSION_LABEL": None}).version_label == "v2"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"BLUE_ENV_NAME": "x"}, "--blue / BLUE_ENV_NAME: must be 4-40"),
        ({"GREEN_ENV_NAME": "green env"}, "--green / GREEN_ENV_NAME"),
        ({"BLUEGREEN_POLL_INTERVAL": "0"}, "BLUEGREEN_POLL_INTERVAL"),
        ({"BLUEGREEN_HEALTH_EXPECTED_STATUS": "ok"}, "HTTP status codes"),
        ({"BLUEGREEN_ON_UNFINISHED": "wait"}, "'fail' or 'resume'"),
        (
            {"BLUEGREEN_RETRY_MODE": "legacy"},
            "BLUEGREEN_RETRY_MODE: must be 'standard' or 'adaptive'",
        ),
        (
            {"BLUEGREEN_LOG_FORMAT": "xml"},
            "--log-format / BLUEGREEN_LOG_FORMAT: must be 'auto', 'text' or 'json'",
        ),
    ],
)
def test_invalid_settings_are_one_line_naming_the_flag_or_variable(
    replaced_tool_env: None, overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigurationError) as error:
        load_settings(overrides)

    assert message in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"GREEN_ENV_NAME": "shop-blue"}, "blue and green must differ"),
        ({"VERSION_LABEL": ""}, "missing the version"),
        ({"BEANSTALK_APP_NAME": ""}, "--app / BEANSTALK_APP_NAME"),
        ({"BLUEGREEN_BUNDLE": "/nonexistent/app.zip"}, "not a readable file"),
    ],
)
def test_a_release_request_needs_a_whole_target_and_a_version(
    replaced_tool_env: None,
    monkeypatch: pytest.MonkeyPatch,
    overrides: dict[str, str],
    message: str,
) -> None:
    for name, value in overrides.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(ConfigurationError, match=message):
        release_request(load_settings(), Mode.FULL)


def test_a_bundle_needs_a_bucket_and_gets_a_label_from_its_content(
    replaced_tool_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bundle = tmp_path / "app.zip"
    bundle.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    monkeypatch.delenv("VERSION_LABEL")
    monkeypatch.setenv("BLUEGREEN_BUNDLE", str(bundle))

    with pytest.raises(ConfigurationError, match="S3_ARTIFACTS_BUCKET"):
        release_request(load_settings(), Mode.FULL)
    monkeypatch.setenv("S3_ARTIFACTS_BUCKET", "artifacts")
    request = release_request(load_settings(), Mode.DEPLOY)

    assert request.version_label == bundle_version_label(str(bundle))
    assert request.version_label.startswith("app-") and len(request.version_label) == 16
    assert request.bundle is not None and request.bundle.bucket == "artifacts"


def test_the_region_can_come_from_aws_region_too(
    replaced_tool_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.setenv("AWS_REGION", "ap-south-1")

    assert target_of(load_settings()).region == "ap-south-1"


def test_the_guards_default_to_a_120_s_settle_no_bake_and_no_alarms(
    replaced_tool_env: None,
) -> None:
    request = release_request(load_settings(), Mode.FULL)

    assert request.guards == Guards(dns_settle_seconds=120.0, bake_seconds=0.0, alarms=())
    assert request.health.failures == 3


def test_settle_bake_alarms_and_failures_come_from_variables_or_repeated_flags(
    replaced_tool_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BLUEGREEN_ALARMS", "shop-5xx, shop-latency,,shop-5xx")
    monkeypatch.setenv("BLUEGREEN_HEALTH_FAILURES", "5")
    from_env = release_request(load_settings({"BLUEGREEN_DNS_SETTLE": 0.5}), Mode.FULL)
    flags = {"BLUEGREEN_ALARMS": ("a", "b"), "BLUEGREEN_BAKE": 300}
    from_flags = release_request(load_settings(flags), Mode.FULL)

    assert from_env.guards.alarms == ("shop-5xx", "shop-latency")
    assert from_env.guards.dns_settle_seconds == 0.5
    assert from_env.health.failures == 5
    assert (from_flags.guards.alarms, from_flags.guards.bake_seconds) == (("a", "b"), 300)


@pytest.mark.parametrize(
    ("variable", "value"),
    [("BLUEGREEN_DNS_SETTLE", "-1"), ("BLUEGREEN_BAKE", "-5"), ("BLUEGREEN_HEALTH_FAILURES", "0")],
)
def test_a_negative_wait_or_no_failure_limit_is_refused_in_one_line(
    replaced_tool_env: None, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(ConfigurationError, match=variable) as refused:
        load_settings()
    assert "\n" not in str(refused.value)
