"""The worker pool: `bluegreen submit` queues, two real `bluegreen worker` processes share one
PostgreSQL history; a SIGKILLed worker's run is finished by the other, a SIGTERMed one hands
its run over and exits 0; exactly one green is ever created."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest

from simulator import Simulator
from simulator.seed import ReleaseTarget, seed_release_target
from storage.queue import SqlRunQueue
from tests.e2e.cli import APP, BLUE, GREEN, Cli, Running
from tests.e2e.conftest import VERSIONS
from tests.integration.release.world import assert_blue_serves, assert_clean, production

pytestmark = pytest.mark.postgres
LEASE = "3"  # a dead worker's run is taken over 3 s after its last heartbeat


@pytest.fixture
def pool(sim: Simulator, target: ReleaseTarget, tmp_path: Path, empty_postgres_url: str) -> Cli:
    return Cli(sim, tmp_path, database_url=empty_postgres_url)


def submit(cli: Cli, version: str = "v2") -> str:
    done = cli.run("submit", **cli.replaced_tool_env(version))
    assert done.exit_code == 0, done
    return done.run_id


def worker(cli: Cli, concurrency: int = 2, **env: str) -> Running:
    return cli.start(
        "worker", "--concurrency", str(concurrency), BLUEGREEN_LEASE_SECONDS=LEASE, **env
    )


def wait_for_state(cli: Cli, run_id: str, wanted: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while wanted not in cli.states(run_id):
        assert time.monotonic() < deadline, f"{run_id} never reached {wanted}: {cli.states(run_id)}"
        time.sleep(0.1)


def test_submit_queues_a_run_and_returns_at_once_without_touching_aws(pool: Cli) -> None:
    run_id = submit(pool)

    assert pool.states(run_id) == ["queued"]
    store = pool.store()
    try:
        assert [r.id for r in SqlRunQueue(store.engine).queued()] == [run_id]
    finally:
        store.close()


def test_a_second_submit_for_a_busy_target_is_refused_with_exit_3(pool: Cli) -> None:
    submit(pool)

    again = pool.run("submit", **pool.replaced_tool_env("v2"))

    assert again.exit_code == 3, again


@pytest.mark.slow
def test_a_worker_killed_mid_release_is_replaced_by_the_other_without_an_operator(
    pool: Cli, sim: Simulator, target: ReleaseTarget
) -> None:
    run_id = submit(pool)
    doomed = worker(pool, BLUEGREEN_TEST_CRASH_AT="cloning:after-call:2")  # green was created
    assert doomed.finish().exit_code == -signal.SIGKILL
    survivor = worker(pool)

    wait_for_state(pool, run_id, "succeeded")
    survivor.process.send_signal(signal.SIGTERM)

    assert survivor.finish().exit_code == 0
    assert pool.states(run_id)[-1] == "succeeded"
    world = production(sim, APP, BLUE, GREEN, target.cname)
    assert_blue_serves(world, "v2", target.cname)
    assert_clean(world, greens_created=1)


def lease_owners(cli: Cli, run_ids: list[str]) -> dict[str, str | None]:
    store = cli.store()
    try:
        return {run_id: store.get(run_id).lease_owner for run_id in run_ids}
    finally:
        store.close()


@pytest.mark.slow
def test_two_live_workers_one_sigkilled_mid_release_the_other_finishes_every_run(
    pool: Cli, sim: Simulator, target: ReleaseTarget
) -> None:
    apps = [APP, "cart", "till", "shelf"]
    cnames = {APP: target.cname} | {
        app: seed_release_target(sim, app=app, blue=f"{app}-blue", versions=VERSIONS).cname
        for app in apps[1:]
    }
    sim.faults.stick(ops=("launch",))  # every green launches until the test lets it
    names = {app: {"BEANSTALK_APP_NAME": app, "BLUE_ENV_NAME": f"{app}-blue",
                   "GREEN_ENV_NAME": f"{app}-green"} for app in apps}  # fmt: skip

    def submitted(app: str) -> str:
        done = pool.run("submit", VERSION_LABEL="v2", **names[app])
        assert done.exit_code == 0, done
        return done.run_id

    # The doomed worker takes two runs (its concurrency), then the survivor starts and takes
    # the other two: both are alive, each holding runs in the middle of cloning.
    doomed = worker(pool)
    orphaned = [submitted(app) for app in apps[:2]]
    for run_id in orphaned:
        wait_for_state(pool, run_id, "cloning")
    survivor = worker(pool, concurrency=4)
    kept = [submitted(app) for app in apps[2:]]
    run_ids = orphaned + kept
    for run_id in kept:
        wait_for_state(pool, run_id, "cloning")
    owners = lease_owners(pool, run_ids)
    assert all(f":{doomed.process.pid}:" in str(owners[r]) for r in orphaned), owners
    assert all(f":{survivor.process.pid}:" in str(owners[r]) for r in kept), owners

    doomed.process.kill()
    assert doomed.finish().exit_code == -signal.SIGKILL
    for app in apps:
        deadline = time.monotonic() + 30
        while not sim.release(f"{app}-green"):
            assert time.monotonic() < deadline, f"{app}-green's launch never got under way"
            time.sleep(0.1)
    for run_id in run_ids:
        wait_for_state(pool, run_id, "succeeded")
    survivor.process.send_signal(signal.SIGTERM)

    assert survivor.finish().exit_code == 0
    store = pool.store()
    try:
        for run_id in orphaned:
            events = [e.message for e in store.events(run_id)]
            assert any(m.startswith("taken over by worker") and str(survivor.process.pid) in m
                       for m in events), events  # fmt: skip
    finally:
        store.close()
    for app in apps:
        world = production(sim, app, f"{app}-blue", f"{app}-green", cnames[app])
        assert_blue_serves(world, "v2", cnames[app])
        assert_clean(world, greens_created=1)


@pytest.mark.slow
def test_a_sigtermed_worker_hands_its_run_over_and_exits_0(
    pool: Cli, sim: Simulator, target: ReleaseTarget
) -> None:
    sim.faults.stick(GREEN, ops=("launch",))  # green launches until the test lets it
    run_id = submit(pool)
    first = worker(pool)
    wait_for_state(pool, run_id, "cloning")
    time.sleep(0.5)  # the drive waits for green now
    shown = pool.run("workers", "--json")
    # (a worker SIGKILLed by another test stays listed, silent, until a day has passed)
    listed = [w for w in json.loads(shown.stdout)["workers"] if w["pid"] == first.process.pid]
    assert [(w["runs_held"], w["state"]) for w in listed] == [(1, "up")]
    assert str(first.process.pid) in pool.run("status").stdout

    first.process.send_signal(signal.SIGTERM)
    assert first.finish().exit_code == 0
    second = worker(pool)
    deadline = time.monotonic() + 30
    while not sim.release(GREEN):
        assert time.monotonic() < deadline, "green's launch never got under way"
        time.sleep(0.1)
    wait_for_state(pool, run_id, "succeeded")
    second.process.send_signal(signal.SIGTERM)

    assert second.finish().exit_code == 0
    assert pool.states(run_id).count("cloning") == 1  # continued, not restarted
    assert_clean(production(sim, APP, BLUE, GREEN, target.cname), greens_created=1)


@pytest.mark.slow
def test_submit_wait_follows_the_run_a_worker_drives_and_exits_like_full(pool: Cli) -> None:
    working = worker(pool)

    followed = pool.run("submit", "--wait", **pool.replaced_tool_env("v2"))
    working.process.send_signal(signal.SIGTERM)

    assert followed.exit_code == 0, followed
    assert pool.states(followed.run_id)[:2] == ["queued", "preflight"]
    assert pool.states(followed.run_id)[-1] == "succeeded"
    assert working.finish().exit_code == 0
