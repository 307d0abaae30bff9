"""Whole releases by the real engine against the simulator over HTTP, with a SQLite history."""

from __future__ import annotations

import pytest

from engine.domain.exit_codes import ExitCode
from engine.domain.model import Mode, State
from engine.release.observer import NullObserver
from simulator import Simulator
from simulator.seed import ReleaseTarget
from tests.integration.release.conftest import GREEN, WiredFactory
from tests.integration.release.world import (
    Production,
    assert_blue_serves,
    assert_clean,
    production,
)

FULL_PATH = [
    "preflight", "cloning", "swapping", "deploying", "verifying",
    "cutting_over", "baking", "cleaning_up", "succeeded",
]  # fmt: skip


def world_of(sim: Simulator, target: ReleaseTarget) -> Production:
    return production(sim, target.app, target.blue, GREEN, target.cname)


def assert_production_untouched(sim: Simulator, target: ReleaseTarget) -> None:
    """Blue serves v1 at its own CNAME, and no green or template is left."""
    world = world_of(sim, target)
    assert_blue_serves(world, "v1", target.cname)
    assert_clean(world)


def test_a_good_version_is_released_and_blue_keeps_its_cname(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    engine = wired()

    outcome = engine.release("v2")

    assert outcome.exit_code == ExitCode.OK, outcome.summary
    assert engine.path(outcome) == FULL_PATH
    world = world_of(sim, target)
    assert_blue_serves(world, "v2", target.cname)
    assert_clean(world)
    facts = engine.store.get(outcome.run.id).facts
    assert (facts.blue_env_id, facts.previous_version_label) == (target.blue_id, "v1")


def test_a_version_answering_500_is_rolled_back_and_production_is_untouched(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    engine = wired()

    outcome = engine.release("broken")

    assert outcome.exit_code == ExitCode.ROLLED_BACK, outcome.summary
    assert engine.path(outcome)[-3:] == ["verifying", "rolling_back", "rolled_back"]
    assert_production_untouched(sim, target)


def test_a_green_that_launches_red_is_rolled_back(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    sim.faults.fail_launch(GREEN)

    outcome = wired().release("v2")

    assert outcome.exit_code == ExitCode.ROLLED_BACK, outcome.summary
    assert "cloning failed" in (outcome.run.rollback_reason or "")
    assert_production_untouched(sim, target)


def test_a_failed_deployment_to_blue_is_rolled_back(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    sim.faults.fail_update(target.blue, times=1)

    outcome = wired().release("v2")

    assert outcome.exit_code == ExitCode.ROLLED_BACK, outcome.summary
    assert "deploying failed" in (outcome.run.rollback_reason or "")
    assert_production_untouched(sim, target)


@pytest.mark.slow
def test_a_swap_that_aws_keeps_refusing_is_rolled_back(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    # Each attempt is answered 503 before it takes effect; the engine tries three times.
    sim.faults.error_next(count=3, status=503, action="SwapEnvironmentCNAMEs")

    outcome = wired().release("v2")

    assert outcome.exit_code == ExitCode.ROLLED_BACK, outcome.summary
    assert "swapping failed" in (outcome.run.rollback_reason or "")
    assert_production_untouched(sim, target)


@pytest.mark.slow
def test_a_swap_that_never_finishes_fails_for_an_operator_and_resume_then_undoes_it(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    sim.faults.stick(target.blue, ops=("swap",))
    engine = wired(BLUEGREEN_SWAP_DEADLINE=1, BLUEGREEN_UPDATE_DEADLINE=1)

    failed = engine.release("v2")

    assert failed.exit_code == ExitCode.NEEDS_OPERATOR, failed.summary
    assert failed.run.state is State.FAILED
    assert world_of(sim, target).live_greens, "the green stays, recorded, for the operator"
    sim.faults.clear()
    sim.release(target.blue)

    resumed = wired().runner.resume(failed.run.id, NullObserver())

    assert resumed.exit_code == ExitCode.ROLLED_BACK, resumed.summary
    assert_production_untouched(sim, target)


@pytest.mark.slow
def test_a_terminate_that_keeps_failing_leaves_a_failed_run_that_resume_cleans_up(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    sim.faults.fail_terminate(GREEN, times=2)
    engine = wired()

    failed = engine.release("v2")

    assert failed.exit_code == ExitCode.NEEDS_OPERATOR, failed.summary
    resumed = wired().runner.resume(failed.run.id, NullObserver())
    assert resumed.exit_code == ExitCode.OK, resumed.summary
    assert engine.path(resumed)[-3:] == ["failed", "cleaning_up", "succeeded"]
    world = world_of(sim, target)
    assert_blue_serves(world, "v2", target.cname)
    assert_clean(world)


@pytest.mark.slow
def test_deploy_then_cutover_by_another_runner(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    waiting = wired().release("v2", Mode.DEPLOY)
    assert waiting.run.state is State.AWAITING_CUTOVER
    assert world_of(sim, target).served == (200, "version v1"), "green serves production"

    done = wired().runner.cutover(None, waiting.run.target, NullObserver())

    assert done.exit_code == ExitCode.OK, done.summary
    world = world_of(sim, target)
    assert_blue_serves(world, "v2", target.cname)
    assert_clean(world)


@pytest.mark.slow
@pytest.mark.postgres
def test_a_release_with_its_history_on_postgresql(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory, empty_postgres_url: str
) -> None:
    engine = wired(BLUEGREEN_DATABASE_URL=empty_postgres_url)

    outcome = engine.release("v2")

    assert outcome.exit_code == ExitCode.OK, outcome.summary
    assert engine.path(outcome) == FULL_PATH
    assert_clean(world_of(sim, target))
