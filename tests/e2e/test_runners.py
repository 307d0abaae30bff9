"""Several real runner processes on one target: one proceeds, the other exits 3 or waits;
SIGTERM stops a runner cleanly (exit 130, resumable); a SIGKILLed runner's run is taken over at
once on the same host; a runner paused past its lease stops instead of acting."""

from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path

import pytest

from simulator import Simulator
from simulator.seed import ReleaseTarget
from tests.e2e.cli import BLUE, GREEN, Cli
from tests.integration.release.world import assert_blue_serves, assert_clean, production


def is_run_line(line: str) -> bool:
    return line.startswith("run ")


@pytest.mark.slow
def test_a_second_runner_for_a_busy_target_exits_3_and_a_waiting_one_gets_its_turn(
    sim: Simulator, target: ReleaseTarget, any_db_cli: Cli
) -> None:
    cli = any_db_cli
    sim.faults.stick(GREEN, ops=("launch",))
    first = cli.start("full", **cli.replaced_tool_env("v2"))
    run_id = first.wait_for_line(is_run_line).split()[1]
    first.wait_for_line(lambda line: "waiting for green" in line)

    refused = cli.run("full", **cli.replaced_tool_env("v2"))
    patient = cli.start("full", "--wait-for-lock", "60", **cli.replaced_tool_env("v2"))
    sim.release(GREEN)
    finished, waited = first.finish(), patient.finish()

    assert refused.exit_code == 3, refused
    assert run_id in refused.stderr and "busy" in refused.stderr
    assert finished.exit_code == 0, finished
    assert waited.exit_code == 0, waited
    assert "nothing to release" in waited.stdout, "it waited, then found v2 released"


@pytest.mark.slow
def test_sigterm_mid_step_exits_130_and_the_run_resumes(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    sim.faults.stick(GREEN, ops=("launch",))
    running = cli.start("full", **cli.replaced_tool_env("v2"))
    run_id = running.wait_for_line(is_run_line).split()[1]
    running.wait_for_line(lambda line: "waiting for green" in line)

    running.process.send_signal(signal.SIGTERM)
    stopped = running.finish()

    assert stopped.exit_code == 130, stopped
    assert "interrupted by SIGTERM" in stopped.stdout
    assert cli.states(run_id)[-1] == "cloning"
    sim.release(GREEN)
    resumed = cli.run("resume", run_id)
    assert resumed.exit_code == 0, resumed
    world = production(sim, target.app, BLUE, GREEN, target.cname)
    assert_blue_serves(world, "v2", target.cname)
    assert_clean(world)


@pytest.mark.slow
def test_a_run_whose_runner_was_killed_on_this_host_is_resumed_at_once(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    killed = cli.run(
        "full", **cli.replaced_tool_env("v2"), BLUEGREEN_TEST_CRASH_AT="state:deploying",
        BLUEGREEN_LEASE_SECONDS="600",
    )  # fmt: skip
    assert killed.exit_code == -9, killed

    resumed = cli.run("resume", killed.run_id)  # no --wait-for-lock: the lease has 10 min left

    assert resumed.exit_code == 0, resumed
    events = [e.message for e in cli.store().events(killed.run_id)]
    assert any("no longer exists on this host" in message for message in events)
    world = production(sim, target.app, BLUE, GREEN, target.cname)
    assert_blue_serves(world, "v2", target.cname)
    assert_clean(world)


@pytest.mark.slow
def test_a_new_trigger_takes_over_the_run_of_a_runner_killed_on_this_host(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    killed = cli.run(
        "full", **cli.replaced_tool_env("v2"), BLUEGREEN_TEST_CRASH_AT="state:deploying",
        BLUEGREEN_LEASE_SECONDS="600",
    )  # fmt: skip
    assert killed.exit_code == -9, killed

    taken_over = cli.run("full", "--on-unfinished", "resume", **cli.replaced_tool_env("v2"))

    assert taken_over.exit_code == 0, taken_over
    assert taken_over.run_id == killed.run_id
    world = production(sim, target.app, BLUE, GREEN, target.cname)
    assert_blue_serves(world, "v2", target.cname)
    assert_clean(world)


@pytest.mark.slow
def test_a_runner_paused_past_its_lease_stops_before_its_next_mutating_call(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    sim.faults.stick(GREEN, ops=("launch",))
    running = cli.start("full", **cli.replaced_tool_env("v2"), BLUEGREEN_LEASE_SECONDS="3")
    run_id = running.wait_for_line(is_run_line).split()[1]
    running.wait_for_line(lambda line: "waiting for green" in line)

    running.process.send_signal(signal.SIGSTOP)
    time.sleep(4.5)  # longer than the lease
    sim.release(GREEN)  # green is Ready: the next step would swap
    running.process.send_signal(signal.SIGCONT)
    stopped = running.finish()

    assert stopped.exit_code == 4, stopped
    assert "paused or cut off" in stopped.stdout + stopped.stderr
    assert sim.calls.received("SwapEnvironmentCNAMEs") == 0, "no call after the lease ran out"
    resumed = cli.run("resume", run_id)
    assert resumed.exit_code == 0, resumed
    world = production(sim, target.app, BLUE, GREEN, target.cname)
    assert_blue_serves(world, "v2", target.cname)
    assert_clean(world)


def test_resume_refuses_a_run_written_by_an_engine_of_an_unknown_revision_with_exit_2(
    sim: Simulator, target: ReleaseTarget, tmp_path: Path
) -> None:
    cli = Cli(sim, tmp_path)  # SQLite: the test stamps the row as a newer engine would
    killed = cli.run(
        "full", **cli.replaced_tool_env("v2"), BLUEGREEN_TEST_CRASH_AT="state:swapping"
    )
    assert killed.exit_code == -9, killed
    with sqlite3.connect(cli.database_path) as db:
        db.execute(
            "UPDATE runs SET engine_version = '7.0.0', engine_revision = 99 WHERE id = ?",
            (killed.run_id,),
        )

    refused = cli.run("resume", killed.run_id)

    assert refused.exit_code == 2, refused
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert "bluegreen 7.0.0" in refused.stderr and "revision 99" in refused.stderr
    assert cli.states(killed.run_id)[-1] == "swapping", "nothing was changed"
