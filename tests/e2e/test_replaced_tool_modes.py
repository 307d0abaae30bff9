"""The replaced tool's four modes (DNXLabs/docker-beanstalk-bluegreen: `full`, `deploy`,
`cutover`, `rollback`), each given only that tool's variables, behave as docs/migration.md says.
"""

from __future__ import annotations

import json

import pytest

from simulator import Simulator
from simulator.seed import ReleaseTarget
from tests.e2e.cli import APP, BLUE, GREEN, Cli
from tests.integration.release.world import (
    Production,
    assert_blue_serves,
    assert_clean,
    production,
)


def world(sim: Simulator, target: ReleaseTarget) -> Production:
    return production(sim, APP, BLUE, GREEN, target.cname)


@pytest.mark.slow
def test_full_with_its_variables_releases_and_cleans_up(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    done = cli.run("full", **cli.replaced_tool_env("v2"))

    assert done.exit_code == 0, done
    assert_blue_serves(world(sim, target), "v2", target.cname)
    assert_clean(world(sim, target))


@pytest.mark.slow
def test_deploy_with_its_variables_leaves_green_live_and_blue_on_the_new_version(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    done = cli.run("deploy", **cli.replaced_tool_env("v2"))

    assert done.exit_code == 0, done
    assert cli.states(done.run_id)[-1] == "awaiting_cutover"
    assert world(sim, target).served == (200, "version v1"), "green (on v1) serves live"


@pytest.mark.slow
def test_cutover_with_its_variables_finishes_the_targets_deploy(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    deployed = cli.run("deploy", **cli.replaced_tool_env("v2"))
    assert deployed.exit_code == 0, deployed

    done = cli.run("cutover", **cli.replaced_tool_env("v2"))

    assert done.exit_code == 0, done
    assert done.run_id == deployed.run_id
    assert_blue_serves(world(sim, target), "v2", target.cname)
    assert_clean(world(sim, target))


@pytest.mark.slow
def test_rollback_with_version_label_and_no_run_puts_blue_on_that_version(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    assert cli.run("full", **cli.replaced_tool_env("v2")).exit_code == 0

    done = cli.run("rollback", **cli.replaced_tool_env("v1"))

    assert done.exit_code == 0, done
    assert "bluegreen rollback --to-version v1" in done.stderr, done
    assert_blue_serves(world(sim, target), "v1", target.cname)
    assert_clean(world(sim, target))
    shown = json.loads(cli.run("runs", "show", done.run_id, "--json").stdout)
    assert (shown["mode"], shown["previous_version_label"], shown["version_label"]) == (
        "restore", "v2", "v1",
    )  # fmt: skip


@pytest.mark.slow
def test_rollback_with_version_label_undoes_a_waiting_run_first(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    deployed = cli.run("deploy", **cli.replaced_tool_env("v2"))

    done = cli.run("rollback", **cli.replaced_tool_env("v2"))

    assert done.exit_code == 0, done
    assert done.run_id == deployed.run_id
    assert cli.states(deployed.run_id)[-1] == "rolled_back"
    assert_blue_serves(world(sim, target), "v1", target.cname)
    assert_clean(world(sim, target))


def test_rollback_without_a_run_or_a_label_names_the_command_to_use(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    done = cli.run("rollback", **cli.replaced_tool_env())

    assert done.exit_code == 2, done
    assert "bluegreen rollback --to-version LABEL" in done.stderr, done
    assert len(done.stderr.strip().splitlines()) == 1
