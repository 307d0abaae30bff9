"""Each option is declared once, and the settings model and the click flags follow from it:
every number finite and bounded, every text bounded, EB's limits part of the declaration."""

from __future__ import annotations

import typing

import click
import pytest

from engine.domain.errors import ConfigurationError
from engine.operator.cli import main
from engine.operator.option_table import COMMANDS, OPTIONS, SETTINGS, options_of
from engine.operator.options import Option
from engine.operator.settings import Settings, load_settings

TYPES = {"text": str, "choice": str, "list": str, "number": float, "integer": int,
         "switch": bool}  # fmt: skip


def command_named(path: str) -> click.Command:
    command: click.Command = main
    for word in path.split():
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), word)
        assert found is not None, path
        command = found
    return command


def test_the_settings_model_has_one_field_per_declared_setting_of_the_declared_type() -> None:
    hints = typing.get_type_hints(Settings)
    fields = set(Settings.model_fields)

    assert fields == {option.name for option in SETTINGS}
    for option in SETTINGS:
        declared = TYPES[option.kind]
        assert declared in typing.get_args(hints[option.name]) or hints[option.name] is declared
        field = Settings.model_fields[option.name]
        assert field.default == option.default, option.name


@pytest.mark.parametrize("option", [o for o in OPTIONS if o.kind in ("number", "integer")],
                         ids=lambda o: o.name)  # fmt: skip
def test_every_number_has_a_finite_range(option: Option) -> None:
    assert option.low is not None and option.high is not None
    assert option.number_problem(option.high) is None
    for refused in (option.high * 10, float("inf"), float("nan"), 1e300, option.low - 1):
        assert option.number_problem(refused), refused


@pytest.mark.parametrize("option", [o for o in OPTIONS if o.kind in ("text", "list")],
                         ids=lambda o: o.name)  # fmt: skip
def test_every_text_has_a_length_limit_and_refuses_control_characters(option: Option) -> None:
    assert option.max_length is not None
    assert option.text_problem("x" * (option.max_length + 1))
    assert "control character" in (option.text_problem("ab\x1bc") or "")


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_exactly_its_declared_flags_once(command: str) -> None:
    declared = sorted(
        name for o in options_of(command) if o.flag_on(command) for name in o.cli_flags
    )
    flags = [
        name
        for param in command_named(command).params
        if isinstance(param, click.Option) and param.name != "help"
        for name in (*param.opts, *param.secondary_opts)
        if name.startswith("--")
    ]

    assert sorted(flags) == declared


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("BLUEGREEN_BAKE", "1e300", "--bake / BLUEGREEN_BAKE"),
        ("BLUEGREEN_BAKE", "inf", "finite"),
        ("BLUEGREEN_DNS_SETTLE", "nan", "--dns-settle / BLUEGREEN_DNS_SETTLE"),
        ("BLUEGREEN_HEALTH_FAILURES", "100000", "BLUEGREEN_HEALTH_FAILURES"),
        ("BEANSTALK_APP_NAME", "a" * 101, "101 characters, more than 100"),
        ("VERSION_LABEL", "v" * 101, "--version-label / VERSION_LABEL: 101 characters"),
        ("BEANSTALK_APP_NAME", "shop/web", "slash"),
        ("BLUE_ENV_NAME", "-shop", "not starting or ending with a hyphen"),
        ("GREEN_ENV_NAME", "g" * 41, "--green / GREEN_ENV_NAME"),
        ("S3_ARTIFACTS_BUCKET", "My_Bucket", "S3_ARTIFACTS_BUCKET"),
        ("AWS_DEFAULT_REGION", "mars-1", "not an AWS region"),
        ("BLUEGREEN_ALARMS", "ok," + "a" * 256, "BLUEGREEN_ALARMS: 256 characters"),
    ],
)
def test_a_value_outside_its_declared_limits_is_refused_in_one_line(
    variable: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigurationError) as refused:
        load_settings({variable: value}, "full")

    assert message in str(refused.value)
    assert "\n" not in str(refused.value)


def test_a_variable_of_an_option_the_command_does_not_take_is_ignored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One CI environment serves every step: BLUEGREEN_BAKE means nothing to `resume`."""
    monkeypatch.setenv("BLUEGREEN_BAKE", "1e300")
    monkeypatch.setenv("BLUEGREEN_BUNDLE", "/nonexistent.zip")

    settings = load_settings({}, "resume")

    assert (settings.bake, settings.bundle) == (0.0, None)
    with pytest.raises(ConfigurationError, match="BLUEGREEN_BAKE"):
        load_settings({}, "full")


def test_a_variable_one_letter_from_a_declared_one_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BLUEGREEN_BAK", "600")

    with pytest.raises(ConfigurationError, match="did you mean BLUEGREEN_BAKE"):
        load_settings({}, "full")


def test_another_tools_bluegreen_variable_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLUEGREEN_IMAGE_SUITE", "bookworm")  # .ci/image.sh's own

    assert load_settings({}, "full").bake == 0.0
