"""Releases through the real engine while the simulator carries a mutating call out and then
answers 503 (the response is lost, botocore may resend it): each one still ends `succeeded`,
with exactly one green ever created, one swap in each direction and nothing left over."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.domain.exit_codes import ExitCode
from simulator import Simulator
from simulator.bundles import make_bundle
from simulator.seed import ReleaseTarget
from tests.integration.release.conftest import WiredFactory
from tests.integration.release.test_release import FULL_PATH, world_of
from tests.integration.release.world import assert_blue_serves, assert_clean

SWAP = "SwapEnvironmentCNAMEs"
LOST = [
    ("CreateConfigurationTemplate", 1),
    ("CreateEnvironment", 1),
    (SWAP, 1),  # the swap to green
    (SWAP, 2),  # and the swap back
    ("UpdateEnvironment", 1),
    ("TerminateEnvironment", 1),
    ("DeleteConfigurationTemplate", 1),
]
ONCE_EACH = {
    "CreateConfigurationTemplate": 1,
    "CreateEnvironment": 1,
    SWAP: 2,
    "UpdateEnvironment": 1,
    "TerminateEnvironment": 1,
    "DeleteConfigurationTemplate": 1,
}


def performed(sim: Simulator, before: dict[str, int] | None = None) -> dict[str, int]:
    """Calls carried out per action (minus `before`: seeding creates blue too)."""
    base = before or {}
    return {a: len(sim.calls.performed(a)) - base.get(a, 0) for a in ONCE_EACH}


@pytest.mark.slow
@pytest.mark.parametrize(("action", "count"), LOST, ids=[f"{a}:{n}" for a, n in LOST])
def test_a_release_whose_response_was_lost_succeeds_with_each_call_carried_out_once(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory, action: str, count: int
) -> None:
    seeded = performed(sim)
    sim.faults.lose_response(action, count)
    engine = wired()

    outcome = engine.release("v2")

    assert outcome.exit_code == ExitCode.OK, outcome.summary
    assert engine.path(outcome) == FULL_PATH
    world = world_of(sim, target)
    assert_blue_serves(world, "v2", target.cname)
    assert_clean(world, greens_created=1)
    assert performed(sim, seeded) == ONCE_EACH
    assert sum(call.lost for call in sim.calls.performed(action)) == count


def test_botocore_does_not_resend_a_swap_whose_response_was_lost(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    sim.faults.lose_response(SWAP, 1)

    outcome = wired().release("v2")

    assert outcome.exit_code == ExitCode.OK, outcome.summary
    assert sim.calls.received(SWAP) == 2, "one request per swap: the lost one was not resent"


@pytest.mark.slow
def test_a_release_whose_version_registration_response_was_lost_succeeds(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory, tmp_path: Path
) -> None:
    bundle = tmp_path / "v3.zip"
    bundle.write_bytes(make_bundle("v3"))
    sim.faults.lose_response("CreateApplicationVersion", 1)
    engine = wired(BLUEGREEN_BUNDLE=str(bundle), S3_ARTIFACTS_BUCKET=target.bucket)

    outcome = engine.release("v3")

    assert outcome.exit_code == ExitCode.OK, outcome.summary
    registered = sim.calls.performed("CreateApplicationVersion")
    assert [call.params["VersionLabel"] for call in registered].count("v3") == 1
    world = world_of(sim, target)
    assert_blue_serves(world, "v3", target.cname)
    assert_clean(world, greens_created=1)


@pytest.mark.slow
def test_a_throttled_swap_is_still_resent_by_botocore(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    sim.faults.throttle_next(1, action=SWAP)  # refused before it ran: safe to resend

    outcome = wired().release("v2")

    assert outcome.exit_code == ExitCode.OK, outcome.summary
    assert sim.calls.count(SWAP, "faulted") == 1
    assert len(sim.calls.performed(SWAP)) == 2


@pytest.mark.slow
def test_a_deployment_answered_503_before_it_ran_is_made_again_by_the_engine(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    sim.faults.error_next(1, status=503, action="UpdateEnvironment")

    outcome = wired().release("v2")

    assert outcome.exit_code == ExitCode.OK, outcome.summary
    assert len(sim.calls.performed("UpdateEnvironment")) == 1
    events = [e.message for e in wired().store.events(outcome.run.id)]
    assert any("did not take effect; trying again" in message for message in events)
