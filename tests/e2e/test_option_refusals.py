"""Options as a hostile user types them: a flag a command does not take, and every option fed
an over-long, empty, control-character and unicode value, get exit 2 (or success) and one
line, never a traceback; nothing is opened before the input is checked.

In-process (click's runner) with no AWS region set, so that a value the checks accept stops
at "missing the AWS region" (exit 2) before any AWS client or database is made.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from engine.operator.cli import main
from engine.operator.option_table import COMMANDS, options_of
from engine.operator.options import Option
from tests.e2e.cli import command_line

TARGET = ("--app", "shop", "--blue", "shop-blue")
HISTORY_NOTICES = ("bluegreen: history ", "bluegreen: warning: the history ")
RELEASE = (*TARGET, "--green", "shop-green", "--version-label", "v2")
# What each command needs besides the option under test (so the option is what is judged).
BASE: dict[str, tuple[str, ...]] = {
    "full": RELEASE, "deploy": RELEASE, "submit": RELEASE, "cutover": TARGET,
    "rollback": (*TARGET, "--green", "shop-green", "--to-version", "v1"), "resume": ("r1",),
    "runs show": ("r1",), "runs export": ("r1",), "runs report": ("r1", "-o", "r.html"),
    "runs prune": ("--older-than", "30"), "metrics": ("--textfile", "m.prom"),
}  # fmt: skip
REPLACED_TOOL_VARIABLES = ("BEANSTALK_APP_NAME", "BLUE_ENV_NAME", "GREEN_ENV_NAME",
                           "S3_ARTIFACTS_BUCKET", "VERSION_LABEL", "RELEASE_HEALTH_CHECKING_PATH",
                           "AUTH_METHOD", "SSO_PROFILE")  # fmt: skip
HOSTILE = {
    "over-long": "a" * 5000,
    "empty": "",
    "control": "ab\x1b[31mc\nforged",
    "unicode": "shöp-☃-名前",
}


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name in list(os.environ):
        if name.startswith(("AWS_", "BLUEGREEN_")) or name in REPLACED_TOOL_VARIABLES:
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def invoke(*args: str, **env: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=True)


def assert_one_line_or_success(result: Result, where: str) -> None:
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, f"{where}: {result.exception!r}\n{result.output}"
    assert "Traceback" not in result.output, where
    assert result.exit_code in (0, 2), f"{where}: exit {result.exit_code}\n{result.output}"
    if result.exit_code == 2:
        # A read command first names the history it reads (or warns it does not exist):
        # an informative line of its own, not part of the refusal.
        lines = [line for line in result.stderr.splitlines() if line.strip()
                 and not line.startswith(HISTORY_NOTICES)]  # fmt: skip
        assert len(lines) == 1, f"{where}: {result.stderr!r}"
        assert "\x1b" not in result.stderr, where


def cases() -> Iterator[tuple[str, Option, str, str]]:
    """(command, option, value kind, channel): each value by flag and by variable."""
    for command in COMMANDS:
        for option in options_of(command):
            flagged = option.flag_on(command) and option.kind != "switch"
            channels = (["flag"] if flagged else []) + (["variable"] if option.variables else [])
            for channel in channels:
                for kind in HOSTILE:
                    yield command, option, kind, channel


@pytest.mark.parametrize(
    ("command", "option", "kind", "channel"),
    list(cases()),
    ids=[f"{c}-{o.name}-{k}-{ch}".replace(" ", "_") for c, o, k, ch in cases()],
)
def test_every_option_given_a_hostile_value_answers_in_one_line(
    isolated: Path, command: str, option: Option, kind: str, channel: str
) -> None:
    value = HOSTILE[kind]
    base = list(BASE.get(command, ()))
    if option.cli_flag in base:  # the option under test replaces the base's value
        at = base.index(option.cli_flag)
        del base[at : at + 2]
    if channel == "flag":
        result = invoke(*command.split(), *base, option.cli_flag, value)
    else:
        result = invoke(*command.split(), *base, **{option.variables[0]: value})

    assert_one_line_or_success(result, f"{command} {option.label}={kind} by {channel}")
    if kind in ("over-long", "control") and result.exit_code == 2 and option.setting:
        assert option.label in result.stderr or option.cli_flag in result.stderr, result.stderr
    if result.exit_code == 2:
        assert not (isolated / "state").exists(), "nothing opened before the input was checked"


@pytest.mark.parametrize("command", ["runs show", "runs export", "resume", "cutover"])
@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_hostile_run_id_answers_in_one_line(isolated: Path, command: str, kind: str) -> None:
    result = invoke(*command.split(), HOSTILE[kind])

    assert_one_line_or_success(result, f"{command} RUN_ID={kind}")


@pytest.mark.parametrize(
    "args",
    [
        ("resume", "r1", "--bundle", "x.zip", "--version-label", "v9"),
        ("resume", "r1", "--app", "shop"),
        ("cutover", "r1", "--bake", "60"),
        ("cutover", "r1", "--app", "shop"),
        ("rollback", "r1", "--blue", "shop-blue"),
        ("rollback", "--green", "shop-green", *TARGET),
        ("runs", "list", "--region", "eu-west-1"),
        ("runs", "show", "r1", "--limit", "3"),
        ("worker", "--bake", "1"),
        ("rollback", "--version-label", "v2", *TARGET),
        ("cutover", "--hook", "before-swap=true", *TARGET),
        ("resume", "r1", "--wait-busy", "60"),
        ("rollback", "--no-warm-up", *TARGET),
        ("status", "--state", "failed"),
    ],
    ids=lambda args: "-".join(a.strip("-") for a in args[:4]),
)
def test_a_flag_the_command_does_not_use_is_refused_in_one_line(
    isolated: Path, args: tuple[str, ...]
) -> None:
    result = invoke(*args)

    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("bluegreen: "), result.stderr
    assert not (isolated / "state").exists()


def test_resume_with_release_flags_is_refused_as_a_user_types_it(isolated: Path) -> None:
    import subprocess

    done = subprocess.run(
        command_line("resume", "r1", "--bundle", "x.zip", "--version-label", "v9"),
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip

    assert done.returncode == 2, done
    assert done.stderr.strip() == (
        "bluegreen: resume: no such option '--bundle' (see bluegreen resume --help)"
    )


def test_the_replaced_tools_variables_set_for_every_mode_refuse_no_mode(isolated: Path) -> None:
    """A CI pipeline sets the old variables once for full, deploy, cutover and rollback."""
    env = {"BEANSTALK_APP_NAME": "shop", "BLUE_ENV_NAME": "shop-blue",
           "GREEN_ENV_NAME": "shop-green", "VERSION_LABEL": "v2", "S3_ARTIFACTS_BUCKET": "art",
           "RELEASE_HEALTH_CHECKING_PATH": "/health", "AUTH_METHOD": "SSO",
           "SSO_PROFILE": "ci", "BLUEGREEN_BAKE": "60"}  # fmt: skip
    for mode in ("full", "deploy", "cutover", "rollback"):
        result = invoke(mode, **env)

        assert result.exit_code == 2, result.output
        assert "missing the AWS region" in result.stderr, (mode, result.stderr)
