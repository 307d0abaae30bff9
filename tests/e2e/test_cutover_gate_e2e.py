"""The timed cutover gate: `deploy --cutover-timeout SECONDS --on-timeout rollback|cutover`.
A run resting in awaiting_cutover past its deadline is taken by a `bluegreen worker` or by
the next `bluegreen resume`, recorded as an engine event; `status` shows the deadline."""

from __future__ import annotations

import json
import signal
import time
from datetime import UTC, datetime

import pytest

from simulator import Simulator
from simulator.seed import ReleaseTarget
from storage.queue import SqlRunQueue
from storage.sqlite_reader import SqliteHistory
from tests.e2e.cli import APP, BLUE, GREEN, Cli
from tests.integration.release.world import assert_blue_serves, assert_clean, production


def deploy(cli: Cli, *gate: str) -> str:
    done = cli.run("deploy", *gate, **cli.replaced_tool_env("v2"))
    assert done.exit_code == 0, done
    assert cli.states(done.run_id)[-1] == "awaiting_cutover"
    return done.run_id


def queued_ids(cli: Cli) -> tuple[list[str], list[str]]:
    """What the claim rule sees: SQLAlchemy's spelling, and the sqlite3 reader's."""
    store = cli.store()
    try:
        by_sql = [run.id for run in SqlRunQueue(store.engine).queued()]
    finally:
        store.close()
    reader = SqliteHistory.open_current(cli.database_path)
    assert reader is not None
    try:
        return by_sql, [run.id for run in reader.queued()]
    finally:
        reader.close()


def deadline_of(cli: Cli, run_id: str) -> datetime:
    status = cli.run("status", "--json")
    assert status.exit_code == 0, status
    (row,) = [r for r in json.loads(status.stdout) if r["id"] == run_id]
    assert row["gate"]["on_timeout"] in ("rollback", "cutover")
    return datetime.fromisoformat(row["gate"]["deadline"].replace("Z", "+00:00"))


def wait_past(deadline: datetime) -> None:
    time.sleep(max(0.0, (deadline - datetime.now(UTC)).total_seconds()) + 0.2)


def engine_messages(cli: Cli, run_id: str) -> list[str]:
    store = cli.store()
    try:
        return [e.message for e in store.events(run_id) if e.source.value == "engine"]
    finally:
        store.close()


@pytest.mark.slow
def test_before_its_deadline_a_gated_run_is_claimed_by_nobody_and_resume_refuses_it(
    cli: Cli,
) -> None:
    run_id = deploy(cli, "--cutover-timeout", "600")
    deadline_of(cli, run_id)
    shown = cli.run("status", COLUMNS="250")  # a fixed width: narrow cells are cut
    assert "gate times out at" in shown.stdout and "then rollback" in shown.stdout, shown
    assert queued_ids(cli) == ([], []), "no worker takes it before its deadline"

    early = cli.run("resume", run_id)

    assert early.exit_code == 2 and "waits for cutover" in early.stderr, early
    assert cli.states(run_id)[-1] == "awaiting_cutover"


@pytest.mark.slow
def test_the_next_resume_of_a_run_past_its_gate_rolls_it_back(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    run_id = deploy(cli, "--cutover-timeout", "1")
    wait_past(deadline_of(cli, run_id))
    assert queued_ids(cli) == ([run_id], [run_id]), "both spellings of the claim rule agree"

    resumed = cli.run("resume", run_id)

    assert resumed.exit_code == 0, resumed
    assert cli.states(run_id)[-2:] == ["rolling_back", "rolled_back"]
    assert "cutover gate timed out after 1 s: rolling back" in engine_messages(cli, run_id)
    world = production(sim, APP, BLUE, GREEN, target.cname)
    assert_blue_serves(world, "v1", target.cname)
    assert_clean(world)


@pytest.mark.slow
def test_a_worker_cuts_over_a_run_past_its_gate_when_told_to(
    sim: Simulator, target: ReleaseTarget, cli: Cli
) -> None:
    run_id = deploy(cli, "--cutover-timeout", "2", "--on-timeout", "cutover")
    worker = cli.start("worker", "--concurrency", "1", BLUEGREEN_LEASE_SECONDS="3")
    try:
        deadline = time.monotonic() + 60
        while cli.states(run_id)[-1] not in ("succeeded", "rolled_back", "failed"):
            assert time.monotonic() < deadline, cli.states(run_id)
            time.sleep(0.2)
    finally:
        worker.process.send_signal(signal.SIGTERM)
        stopped = worker.finish()
    assert stopped.exit_code == 0, stopped
    assert cli.states(run_id)[-6:] == [
        "awaiting_cutover",
        "verifying",
        "cutting_over",
        "baking",
        "cleaning_up",
        "succeeded",
    ], cli.states(run_id)
    assert "cutover gate timed out after 2 s: cutting over" in engine_messages(cli, run_id)
    world = production(sim, APP, BLUE, GREEN, target.cname)
    assert_blue_serves(world, "v2", target.cname)
    assert_clean(world)


@pytest.mark.slow
def test_a_run_at_the_gate_without_a_timeout_waits_for_an_operator(cli: Cli) -> None:
    run_id = deploy(cli)

    assert queued_ids(cli) == ([], [])
    status = json.loads(cli.run("status", "--json").stdout)
    (row,) = [r for r in status if r["id"] == run_id]
    assert row["gate"] is None
