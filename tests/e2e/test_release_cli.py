"""`bluegreen full | deploy | cutover | rollback` as a user (or the replaced tool's cron job)
types them, against the simulator."""

from __future__ import annotations

import json

import pytest

from engine.domain.ports.store import RunQuery
from simulator import Simulator
from simulator.seed import ReleaseTarget, add_version, wait_for_version
from tests.e2e.cli import APP, BLUE, GREEN, Cli
from tests.integration.cloud.receiver import refused_url, running_receiver
from tests.integration.release.world import (
    Production,
    assert_blue_serves,
    assert_clean,
    production,
)

FLAGS = ("--app", APP, "--blue", BLUE, "--green", GREEN)


def world(sim: Simulator, target: ReleaseTarget) -> Production:
    return production(sim, APP, BLUE, GREEN, target.cname)


@pytest.mark.slow
def test_the_replaced_tools_variables_alone_drive_a_full_release(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    done = cli.run("full", **cli.replaced_tool_env("v2"))

    assert done.exit_code == 0, done
    assert done.stdout.startswith(f"run {done.run_id}\n")
    assert cli.states(done.run_id)[-1] == "succeeded"
    assert_blue_serves(world(sim, target), "v2", target.cname)
    assert_clean(world(sim, target))


@pytest.mark.slow
def test_a_broken_version_exits_1_and_production_is_as_before(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    done = cli.run("full", *FLAGS, "--version-label", "broken")

    assert done.exit_code == 1, done
    assert cli.states(done.run_id)[-2:] == ["rolling_back", "rolled_back"]
    assert_blue_serves(world(sim, target), "v1", target.cname)
    assert_clean(world(sim, target))


@pytest.mark.slow
def test_deploy_then_cutover_in_two_processes_with_the_replaced_tools_variables(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    deployed = cli.run("deploy", **cli.replaced_tool_env("v2"))
    assert deployed.exit_code == 0, deployed
    assert "bluegreen cutover" in deployed.stdout
    assert world(sim, target).served == (200, "version v1"), "production is on green, v1"

    cut_over = cli.run("cutover", **cli.replaced_tool_env())

    assert cut_over.exit_code == 0, cut_over
    assert cut_over.run_id == deployed.run_id
    assert_blue_serves(world(sim, target), "v2", target.cname)
    assert_clean(world(sim, target))


@pytest.mark.slow
def test_rollback_of_a_waiting_run_restores_production(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    deployed = cli.run("deploy", *FLAGS, "--version-label", "v2")
    assert deployed.exit_code == 0, deployed

    rolled_back = cli.run("rollback", deployed.run_id)

    assert rolled_back.exit_code == 0, rolled_back
    assert cli.states(deployed.run_id)[-1] == "rolled_back"
    assert_blue_serves(world(sim, target), "v1", target.cname)
    assert_clean(world(sim, target))


@pytest.mark.slow
def test_the_replaced_tools_rollback_mode_undoes_the_targets_waiting_run(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    assert cli.run("deploy", **cli.replaced_tool_env("v2")).exit_code == 0

    rolled_back = cli.run("rollback", **cli.replaced_tool_env())

    assert rolled_back.exit_code == 0, rolled_back
    assert_blue_serves(world(sim, target), "v1", target.cname)
    assert_clean(world(sim, target))


@pytest.mark.slow
def test_a_cron_rerun_is_a_no_op_and_rollback_to_version_puts_blue_back(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    assert cli.run("full", **cli.replaced_tool_env("v2")).exit_code == 0

    again = cli.run("full", **cli.replaced_tool_env("v2"))
    back = cli.run("rollback", "--to-version", "v1", **cli.replaced_tool_env())

    assert again.exit_code == 0 and "nothing to release" in again.stdout, again
    store = cli.store()
    assert len(store.list_runs(RunQuery())) == 2
    store.close()
    assert back.exit_code == 0, back
    assert_blue_serves(world(sim, target), "v1", target.cname)
    # The history says what happened: an operator put blue from v2 back on v1.
    shown = json.loads(cli.run("runs", "show", back.run_id, "--json").stdout)
    assert (shown["mode"], shown["previous_version_label"], shown["version_label"]) == (
        "restore", "v2", "v1",
    )  # fmt: skip
    assert shown["outcome"]["verdict"] == "rolled_back_by_operator"
    assert shown["outcome"]["exit_code"] == 0
    listed = cli.run("runs", "list").stdout
    assert "v2 -> v1" in listed, listed


def test_bad_input_exits_2_with_one_line_and_creates_nothing(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    bad_name = cli.run("full", *FLAGS[:4], "--green", "g!", "--version-label", "v2")
    no_version = cli.run("full", **cli.replaced_tool_env())
    same_envs = cli.run("full", *FLAGS[:4], "--green", BLUE, "--version-label", "v2")

    for done in (bad_name, no_version, same_envs):
        assert done.exit_code == 2, done
        assert len(done.stderr.strip().splitlines()) == 1, done
    assert "--green / GREEN_ENV_NAME" in bad_name.stderr
    assert "VERSION_LABEL" in no_version.stderr
    assert cli.history_is_empty()
    assert world(sim, target).greens == []


def test_a_preflight_refusal_exits_2_and_changes_nothing_in_aws(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    sim.calls.clear()

    done = cli.run("full", *FLAGS, "--version-label", "v9")

    assert done.exit_code == 2, done
    error = "version v9 does not exist in application shop"
    assert (done.stdout + done.stderr).count(error) == 1, done
    assert cli.states(done.run_id) == ["preflight", "refused"]
    assert sim.calls.mutating() == []
    assert world(sim, target).greens == []
    assert_blue_serves(world(sim, target), "v1", target.cname)


@pytest.mark.slow
def test_versions_created_with_and_without_process_both_release(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    add_version(sim, APP, "raw", process=False)  # UNPROCESSED, CreateApplicationVersion's default
    add_version(sim, APP, "cooked", process=True)  # PROCESSED

    for label in ("raw", "cooked"):
        done = cli.run("full", *FLAGS, "--version-label", label)

        assert done.exit_code == 0, done
        assert_blue_serves(world(sim, target), label, target.cname)


def test_a_failed_version_is_refused_with_exit_2_before_any_change(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    sim.client("s3").put_object(Bucket=target.bucket, Key="junk.zip", Body=b"not a zip")
    sim.client("elasticbeanstalk").create_application_version(
        ApplicationName=APP,
        VersionLabel="junk",
        SourceBundle={"S3Bucket": target.bucket, "S3Key": "junk.zip"},
        Process=True,
    )
    assert wait_for_version(sim, APP, "junk")["Status"] == "FAILED"

    done = cli.run("full", *FLAGS, "--version-label", "junk")

    assert done.exit_code == 2, done
    assert "junk is FAILED" in done.stdout
    assert cli.states(done.run_id) == ["preflight", "refused"]  # a refusal, not a rollback
    assert world(sim, target).greens == [] and world(sim, target).templates == []
    assert_blue_serves(world(sim, target), "v1", target.cname)


@pytest.mark.slow
def test_a_receiver_gets_one_summary_per_finished_run_and_a_dead_one_goes_unnoticed(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    with running_receiver() as receiver:
        released = cli.run("full", "--notify-url", receiver.url, **cli.replaced_tool_env("v2"))
        assert receiver.wait_for_requests(1)
    restored = cli.run(
        "rollback", "--to-version", "v1", "--notify-url", refused_url(),
        **cli.replaced_tool_env(),
    )  # fmt: skip

    assert released.exit_code == 0, released
    assert [(s["run_id"], s["outcome"]) for s in receiver.accepted] == [
        (released.run_id, "succeeded")
    ]
    assert restored.exit_code == 0, restored
    assert_blue_serves(world(sim, target), "v1", target.cname)
