"""Input AWS's constraints refuse is bad input: a label over EB's 100 characters (botocore
checks only minimum lengths before sending, so AWS answers ValidationError; a request botocore
refuses to send raises ParamValidationError) ends the run `refused` with exit 2, holding no
lock, never a passing failure that leaves it unfinished in preflight. The settings refuse such
input before any run; this is the engine's own guard when a value reaches it another way."""

from __future__ import annotations

import pytest

from engine.domain.exit_codes import ExitCode
from simulator import Simulator
from simulator.seed import ReleaseTarget
from tests.integration.release.conftest import WiredFactory


@pytest.mark.slow
def test_a_label_botocore_refuses_ends_refused_and_frees_the_target(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory
) -> None:
    runner = wired()
    sim.calls.clear()

    outcome = runner.release("v" * 101)

    assert outcome.exit_code == ExitCode.USAGE, (outcome.summary, outcome.run.error)
    assert runner.path(outcome)[-1] == "refused"
    assert "AWS refused the input" in (outcome.run.error or "")
    assert "\n" not in (outcome.run.error or "")
    assert sim.calls.mutating() == []
    assert runner.store.find_unfinished(outcome.run.target) is None
    assert runner.release("v2").exit_code == ExitCode.OK
