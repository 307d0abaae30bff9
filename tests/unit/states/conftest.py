"""Fixtures for the step tests: a world of fakes with a released-to target, and helpers to
drive a run through the happy path up to a given step."""

from __future__ import annotations

import pytest

from engine.domain.model import Run, State
from states.registry import ACTIONS
from tests.fakes import FakeEnvironment, FakeWorld

HAPPY_PATH = (
    State.PREFLIGHT,
    State.CLONING,
    State.SWAPPING,
    State.DEPLOYING,
    State.VERIFYING,
    State.CUTTING_OVER,
    State.BAKING,
    State.CLEANING_UP,
)
BLUE_CNAME = "shop-blue.us-east-1.eb.test"
MUTATING = (
    "create_version",
    "create_template",
    "delete_template",
    "create_environment",
    "deploy_version",
    "swap_cnames",
    "terminate_environment",
    "abort_update",
)


@pytest.fixture
def world() -> FakeWorld:
    return FakeWorld()


@pytest.fixture
def run(world: FakeWorld) -> Run:
    return world.seed_release()


def drive(
    world: FakeWorld, run: Run, until: State | None = None, start: State = State.PREFLIGHT
) -> None:
    """Run the happy-path actions in order from `start`, stopping before `until` (None: to
    the end)."""
    for state in HAPPY_PATH[HAPPY_PATH.index(start) :]:
        if state == until:
            return
        run.state = state
        ACTIONS[state](world.context(run))
    run.state = State.SUCCEEDED


RELEASE_CALLS = {
    "create_template": 1,
    "create_environment": 1,
    "swap_cnames": 2,
    "deploy_version": 1,
    "terminate_environment": 1,
    "delete_template": 1,
}


def mutations(world: FakeWorld) -> dict[str, int]:
    return {name: world.beanstalk.calls[name] for name in MUTATING if world.beanstalk.calls[name]}


def greens(world: FakeWorld, run: Run) -> list[FakeEnvironment]:
    """Every environment ever created for the run's green (terminated ones included)."""
    return [e for e in world.beanstalk.environments.values() if e.name == run.green]


def assert_production_untouched(world: FakeWorld, run: Run) -> None:
    """Blue Ready on the old version with its own CNAME; no green alive; no template left."""
    blue = world.beanstalk.env(run.target.blue)
    assert (blue.status, blue.version_label, blue.cname) == ("Ready", "v1", BLUE_CNAME)
    assert [e.status for e in greens(world, run) if e.status != "Terminated"] == []
    assert world.beanstalk.templates == {}


def assert_released(world: FakeWorld, run: Run) -> None:
    """Blue Ready on the new version with its own CNAME; green terminated; no template."""
    blue = world.beanstalk.env(run.target.blue)
    assert (blue.status, blue.version_label, blue.cname) == ("Ready", "v2", BLUE_CNAME)
    assert [e.status for e in greens(world, run)] == ["Terminated"]
    assert world.beanstalk.templates == {}
