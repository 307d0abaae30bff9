"""Hostile input changes nothing: every kind of bad input gets one line on stderr and exit 2,
and the simulator's request log shows not one mutating AWS call."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.domain.ports.store import RunQuery
from simulator import Simulator
from simulator.seed import ReleaseTarget
from tests.e2e.cli import APP, BLUE, GREEN, Cli, Done
from tests.integration.release.world import assert_blue_serves, production

FLAGS = ("--app", APP, "--blue", BLUE, "--green", GREEN, "--version-label", "v2")


def refused_without_a_change(sim: Simulator, target: ReleaseTarget, done: Done) -> None:
    assert done.exit_code == 2, done
    assert len(done.stderr.strip().splitlines()) == 1, done
    assert "Traceback" not in done.stdout + done.stderr, done
    assert "\x1b" not in done.stdout + done.stderr, done
    assert sim.calls.mutating() == [], sim.calls.mutating()
    world = production(sim, APP, BLUE, GREEN, target.cname)
    assert world.greens == []
    assert_blue_serves(world, "v1", target.cname)


@pytest.mark.parametrize(
    "health_path",
    [
        "http://",
        "http://[::1/x",
        "/health\nbluegreen: forged line",
        "http://host:99999/",
        "ftp://example/x",
        "/" + "a" * 100_000,
        "https://exa mple.com/",
    ],
    ids=["no-host", "bad-ipv6", "newline", "port-out-of-range", "ftp", "100k-chars", "space"],
)
def test_a_health_path_that_cannot_be_probed_is_refused_before_any_change(
    sim: Simulator, target: ReleaseTarget, cli: Cli, health_path: str
) -> None:
    sim.calls.clear()

    done = cli.run("full", *FLAGS, "--health-path", health_path)

    refused_without_a_change(sim, target, done)
    assert "--health-path / RELEASE_HEALTH_CHECKING_PATH" in done.stderr
    assert cli.history_is_empty()


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("BLUEGREEN_POLL_INTERVAL", "inf"),
        ("BLUEGREEN_POLL_INTERVAL", "nan"),
        ("BLUEGREEN_LEASE_SECONDS", "inf"),
        ("BLUEGREEN_LEASE_SECONDS", "1e300"),
        ("BLUEGREEN_LAUNCH_DEADLINE", "inf"),
        ("BLUEGREEN_HEALTH_DEADLINE", "1e300"),
        ("BLUEGREEN_WAIT_FOR_LOCK", "nan"),
        ("BLUEGREEN_MAX_ATTEMPTS", "1e300"),
        ("BLUEGREEN_WAIT_FOR_BLUE", "inf"),
        ("BLUEGREEN_WARM_UP_DEADLINE", "nan"),
        ("BLUEGREEN_ON_DRIFT", "maybe"),
    ],
)
def test_a_tuning_number_that_is_not_finite_or_out_of_range_is_refused(
    sim: Simulator, target: ReleaseTarget, cli: Cli, variable: str, value: str
) -> None:
    sim.calls.clear()

    done = cli.run("full", *FLAGS, **{variable: value})

    refused_without_a_change(sim, target, done)
    assert variable in done.stderr
    assert cli.history_is_empty()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite:///x?mode=memory"])
def test_an_in_memory_history_is_refused(
    sim: Simulator, target: ReleaseTarget, cli: Cli, url: str
) -> None:
    sim.calls.clear()

    done = cli.run("full", *FLAGS, "--database-url", url)

    refused_without_a_change(sim, target, done)
    assert "in-memory" in done.stderr


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04truncated"])
def test_a_bundle_that_is_not_a_zip_is_refused_before_it_is_uploaded(
    sim: Simulator, target: ReleaseTarget, cli: Cli, tmp_path: Path, content: bytes
) -> None:
    bundle = tmp_path / "app.zip"
    bundle.write_bytes(content)
    sim.calls.clear()

    done = cli.run("full", *FLAGS[:6], "--bundle", str(bundle), "--bucket", target.bucket)

    refused_without_a_change(sim, target, done)
    assert "not a zip file" in done.stderr
    listed = sim.client("s3").list_objects_v2(Bucket=target.bucket, Prefix="bluegreen/")
    assert listed.get("KeyCount", 0) == 0


def test_green_named_like_blue_in_other_case_is_refused(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    sim.calls.clear()

    done = cli.run("full", *FLAGS, "--green", BLUE.upper())

    refused_without_a_change(sim, target, done)
    assert "blue and green must differ" in done.stderr


def test_an_unknown_auth_method_is_refused(sim: Simulator, target: ReleaseTarget, cli: Cli) -> None:
    sim.calls.clear()

    done = cli.run("full", *FLAGS, AUTH_METHOD="kerberos")

    refused_without_a_change(sim, target, done)
    assert "AUTH_METHOD" in done.stderr and "'SSO' or 'default'" in done.stderr


@pytest.mark.slow
def test_an_unknown_aws_profile_is_named_as_such(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    sim.calls.clear()

    done = cli.run("full", *FLAGS, AWS_PROFILE="nope")

    refused_without_a_change(sim, target, done)
    assert "AWS_PROFILE 'nope'" in done.stderr
    assert "SSO_PROFILE" not in done.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("--version-label", "v2\n2026-12-01T00:00:00Z succeeded: forged"),
        ("--app", "shop\x1b[31m"),
        ("--bucket", "artifacts\r"),
        ("--region", "us-east-1\x07"),
    ],
    ids=["newline-in-label", "escape-in-app", "cr-in-bucket", "bell-in-region"],
)
def test_a_control_character_in_a_name_or_label_is_refused_and_never_printed_raw(
    sim: Simulator, target: ReleaseTarget, cli: Cli, flag: str, value: str
) -> None:
    sim.calls.clear()

    done = cli.run("full", *FLAGS, flag, value)

    refused_without_a_change(sim, target, done)
    assert "control character" in done.stderr
    assert cli.history_is_empty()


@pytest.mark.slow
def test_a_mistyped_version_label_ends_refused_and_says_so_once(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    sim.calls.clear()

    done = cli.run("full", *FLAGS[:6], "--version-label", "v2-typo")

    assert done.exit_code == 2, done
    assert (done.stdout + done.stderr).count("version v2-typo does not exist") == 1, done
    assert cli.states(done.run_id) == ["preflight", "refused"]
    assert sim.calls.mutating() == []
    shown = cli.run("runs", "show", done.run_id)
    assert "refused in preflight (bad input)" in shown.stdout, shown
    assert "version v2-typo does not exist" in shown.stdout, shown
    listed = cli.run("runs", "list")
    assert "refused" in listed.stdout, listed
    free = cli.run("full", *FLAGS)
    assert free.exit_code == 0, "a refused run holds no lock on the target"


@pytest.mark.slow
@pytest.mark.parametrize("fault", ["throttling", "5xx"])
def test_aws_out_of_reach_in_preflight_needs_an_operator_not_exit_2(
    sim: Simulator, target: ReleaseTarget, cli: Cli, fault: str
) -> None:
    if fault == "throttling":
        sim.faults.throttle_next(100, "DescribeApplications")
    else:
        sim.faults.error_next(100, 503, "DescribeApplications")
    sim.calls.clear()

    done = cli.run("full", *FLAGS, BLUEGREEN_MAX_ATTEMPTS="2")

    assert done.exit_code == 4, done
    assert cli.states(done.run_id) == ["preflight"]
    assert f"bluegreen resume {done.run_id}" in done.stdout
    assert sim.calls.mutating() == []
    sim.faults.clear()

    resumed = cli.run("resume", done.run_id)

    assert resumed.exit_code == 0, resumed
    assert cli.states(done.run_id)[-1] == "succeeded"


@pytest.mark.parametrize(
    ("flag", "value", "names"),
    [
        ("--app", "a" * 101, "--app / BEANSTALK_APP_NAME: 101 characters, more than 100"),
        ("--version-label", "v" * 101, "--version-label / VERSION_LABEL: 101 characters"),
        ("--green", "g" * 41, "--green / GREEN_ENV_NAME"),
        ("--blue", "b" * 41, "--blue / BLUE_ENV_NAME"),
        ("--bucket", "b" * 64, "--bucket / S3_ARTIFACTS_BUCKET"),
    ],
    ids=["app", "label", "green", "blue", "bucket"],
)
def test_an_over_long_name_or_label_is_refused_and_leaves_no_run(
    sim: Simulator, target: ReleaseTarget, cli: Cli, flag: str, value: str, names: str
) -> None:
    sim.calls.clear()

    done = cli.run("full", *FLAGS, flag, value)

    refused_without_a_change(sim, target, done)
    assert names in done.stderr
    assert cli.history_is_empty(), "no run: nothing holds the target"


@pytest.mark.parametrize("label", ["v" * 101, "", "v1\x1b[2J", "v/1\n"])
def test_rollback_to_a_bad_version_answers_one_line(
    sim: Simulator, target: ReleaseTarget, cli: Cli, label: str
) -> None:
    sim.calls.clear()

    done = cli.run("rollback", *FLAGS[:6], "--to-version", label)

    refused_without_a_change(sim, target, done)
    assert "--to-version" in done.stderr


@pytest.mark.slow
def test_a_release_with_nothing_to_do_still_judges_its_inputs(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    """Blue already runs v1: cron's no-op; an unknown alarm is refused all the same."""
    sim.calls.clear()

    refused = cli.run("full", *FLAGS[:6], "--version-label", "v1", "--alarm", "no-such-alarm")
    nothing = cli.run("full", *FLAGS[:6], "--version-label", "v1")

    assert refused.exit_code == 2, refused
    assert refused.stderr == "bluegreen: CloudWatch alarm(s) not found: no-such-alarm\n"
    # DescribeAlarms is a POST like every query call: the recorder counts it; EB saw no change
    assert [c for c in sim.calls.mutating() if c.service != "monitoring"] == []
    assert nothing.exit_code == 0, nothing
    assert "nothing to release" in nothing.stdout
    assert cli.store().list_runs(RunQuery()) == []


def test_a_blue_busy_in_a_foreign_update_is_refused_once_with_no_change(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    sim.faults.stick(BLUE, ops=("update",), times=1)
    options = [{"Namespace": "aws:autoscaling:asg", "OptionName": "MaxSize", "Value": "5"}]
    sim.client("elasticbeanstalk").update_environment(EnvironmentName=BLUE, OptionSettings=options)
    sim.calls.clear()

    done = cli.run("full", *FLAGS)

    assert done.exit_code == 2, done
    said = done.stdout + done.stderr
    assert said.count("Updating, not Ready") == 1 and "--wait-for-blue" in said, done
    assert "Traceback" not in said, done
    assert cli.states(done.run_id) == ["preflight", "refused"]
    assert sim.calls.mutating() == [], sim.calls.mutating()
    sim.release(BLUE)
