"""A mutating call whose response is lost (it took effect, then the call raised) is settled from
what exists: the release completes with each call made once. A call refused for good fails at
once; one that failed before taking effect is retried. A swap asked for moments ago that EB does
not show yet is waited for, never made a second time."""

from __future__ import annotations

import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from engine.domain.errors import CloudError, NotFoundError, ServiceError, ThrottledError
from engine.domain.model import Bundle, EventSource, Run, State
from states import preflight, swapping
from states.registry import ACTIONS
from states.shared.pending_swap import SWAP_INTENT
from tests.fakes import FakeWorld, make_run
from tests.unit.states.conftest import (
    BLUE_CNAME,
    RELEASE_CALLS,
    assert_released,
    drive,
    mutations,
)

CALLS_OF_A_RELEASE = [
    "create_template",
    "create_environment",
    "swap_cnames",
    "deploy_version",
    "terminate_environment",
    "delete_template",
]


@pytest.mark.parametrize("call", CALLS_OF_A_RELEASE)
def test_a_lost_response_is_settled_from_what_exists_and_the_call_is_made_once(
    world: FakeWorld, run: Run, call: str
) -> None:
    world.beanstalk.lose_response.add(call)

    drive(world, run)

    assert_released(world, run)
    assert mutations(world) == RELEASE_CALLS
    assert any("outcome unknown" in m for m in world.journal(run).messages(EventSource.ENGINE))


def test_a_lost_response_of_the_version_registration_is_settled_too(
    world: FakeWorld, tmp_path: Path
) -> None:
    world.seed_release()
    world.artifacts.add_bucket("artifacts")
    path = tmp_path / "app.zip"
    with zipfile.ZipFile(path, "w") as archive:  # preflight checks the zip before uploading
        archive.writestr("index.html", "new version")
    run = make_run(version="v3", bundle=Bundle(str(path), "artifacts"))
    world.beanstalk.lose_response.add("create_version")

    preflight.run(world.context(run))

    assert world.beanstalk.calls["create_version"] == 1
    assert world.beanstalk.get_version("shop", "v3") is not None


@pytest.mark.parametrize("error", [ServiceError("503"), ThrottledError("Rate exceeded")])
@pytest.mark.parametrize("call", ["create_template", "deploy_version", "swap_cnames"])
def test_a_call_that_failed_before_taking_effect_is_made_again(
    world: FakeWorld, run: Run, call: str, error: CloudError
) -> None:
    world.beanstalk.fail_next(call, error)

    drive(world, run)

    assert_released(world, run)
    assert mutations(world) == {**RELEASE_CALLS, call: RELEASE_CALLS[call] + 1}


@pytest.mark.parametrize(
    "error", [CloudError("InvalidParameterValue"), NotFoundError("No Environment found")]
)
def test_a_refusal_for_good_fails_the_step_at_once(
    world: FakeWorld, run: Run, error: CloudError
) -> None:
    drive(world, run, until=State.CLONING)
    world.beanstalk.fail_next("create_template", error)

    with pytest.raises(type(error)):
        ACTIONS[State.CLONING](world.context(run))

    assert world.beanstalk.calls["create_template"] == 1


def test_the_intent_is_recorded_before_the_call_with_its_time(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.SWAPPING)
    world.beanstalk.fail_next("swap_cnames", CloudError("InvalidParameterValue"))

    with pytest.raises(CloudError):
        swapping.run(world.context(run))

    assert run.facts.requested == SWAP_INTENT + "green"
    assert run.facts.requested_at == world.clock.now().isoformat()


def _swap_asked_for(world: FakeWorld, run: Run, seconds_ago: float) -> None:
    """The run recorded a swap to green `seconds_ago` (then the runner died)."""
    at = world.clock.now() - timedelta(seconds=seconds_ago)
    world.journal(run).record_facts(requested=SWAP_INTENT + "green", requested_at=at.isoformat())


def test_a_swap_that_was_sent_but_is_not_visible_yet_is_waited_for_not_made_twice(
    world: FakeWorld, run: Run
) -> None:
    drive(world, run, until=State.SWAPPING)
    blue, green = run.facts.blue_env_id or "", run.facts.green_env_id or ""
    _swap_asked_for(world, run, seconds_ago=1)
    world.beanstalk.at(20, lambda: world.beanstalk.swap_cnames(blue, green))  # EB shows it late

    swapping.run(world.context(run))

    assert world.beanstalk.calls["swap_cnames"] == 1, "only the crashed runner's swap"
    assert world.beanstalk.env(run.green).cname == BLUE_CNAME
    assert any("not visible yet" in m for m in world.journal(run).messages())


def test_a_swap_asked_for_longer_ago_than_the_window_and_not_seen_is_made(
    world: FakeWorld, run: Run
) -> None:
    drive(world, run, until=State.SWAPPING)
    _swap_asked_for(world, run, seconds_ago=world.deadlines.visibility + 1)
    started = world.clock.monotonic()

    swapping.run(world.context(run))

    assert world.beanstalk.calls["swap_cnames"] == 1
    assert world.beanstalk.env(run.green).cname == BLUE_CNAME
    assert world.clock.monotonic() - started < world.deadlines.visibility


def test_a_recent_swap_that_never_shows_is_made_after_the_window(
    world: FakeWorld, run: Run
) -> None:
    drive(world, run, until=State.SWAPPING)
    _swap_asked_for(world, run, seconds_ago=0)  # recorded, then the runner died before sending
    started = world.clock.monotonic()

    swapping.run(world.context(run))

    assert world.beanstalk.calls["swap_cnames"] == 1
    assert world.beanstalk.env(run.green).cname == BLUE_CNAME
    assert world.clock.monotonic() - started >= world.deadlines.visibility
