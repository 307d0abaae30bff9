"""The fakes behave like Elastic Beanstalk where the steps (and the runner's tests) rely on it."""

from __future__ import annotations

import pytest

from engine.domain.errors import ConflictError, DeadlineExceeded, NotFoundError, ThrottledError
from engine.domain.model import EventSource, Run
from engine.domain.ports.cloud import CreateEnvironmentRequest
from states.shared.conditions import ready
from tests.fakes import Crash, FakeWorld


def green_request(template: str = "t") -> CreateEnvironmentRequest:
    return CreateEnvironmentRequest("shop", "shop-green", template, "v1", {"k": "v"})


@pytest.fixture
def blue_id(world: FakeWorld, run: Run) -> str:
    return world.beanstalk.env("shop-blue").id


def test_an_environment_that_is_not_ready_refuses_changes_like_aws(
    world: FakeWorld, blue_id: str
) -> None:
    world.beanstalk.deploy_version(blue_id, "v2")

    with pytest.raises(ConflictError, match="Must be Ready"):
        world.beanstalk.terminate_environment(blue_id)


def test_unknown_things_are_not_found(world: FakeWorld, blue_id: str) -> None:
    with pytest.raises(NotFoundError):
        world.beanstalk.deploy_version(blue_id, "v9")
    with pytest.raises(NotFoundError):
        world.beanstalk.create_environment(green_request(template="missing"))


def test_operations_complete_with_simulated_time(world: FakeWorld, blue_id: str) -> None:
    world.beanstalk.deploy_version(blue_id, "v2")
    assert world.beanstalk.env(blue_id).status == "Updating"

    world.clock.advance(world.beanstalk.durations.update)
    (blue,) = world.beanstalk.describe_environments(ids=[blue_id])

    assert (blue.status, blue.version_label) == ("Ready", "v2")


def test_operations_can_complete_after_a_number_of_describes(
    world: FakeWorld, blue_id: str
) -> None:
    world.beanstalk.complete_after_describes = 2
    world.beanstalk.deploy_version(blue_id, "v2")

    statuses = [world.beanstalk.describe_environments(ids=[blue_id])[0].status for _ in "ab"]

    assert statuses == ["Updating", "Ready"]


def test_calls_are_counted_and_errors_injected_before_the_call_takes_effect(
    world: FakeWorld, blue_id: str
) -> None:
    world.beanstalk.create_template("shop", "t", blue_id, "")
    world.beanstalk.fail_next("create_environment", ThrottledError("Rate exceeded"))

    with pytest.raises(ThrottledError):
        world.beanstalk.create_environment(green_request())
    assert world.beanstalk.live("shop") == [world.beanstalk.env(blue_id)]
    assert world.beanstalk.calls["create_environment"] == 1


def test_a_crash_comes_after_the_call_took_effect(world: FakeWorld, blue_id: str) -> None:
    world.beanstalk.create_template("shop", "t", blue_id, "")
    world.beanstalk.crash_after.add("create_environment")

    with pytest.raises(Crash):
        world.beanstalk.create_environment(green_request())
    assert world.beanstalk.env("shop-green").tags == {"k": "v"}


def test_the_waiter_gives_up_at_the_deadline_on_the_fake_clock(
    world: FakeWorld, blue_id: str
) -> None:
    world.beanstalk.stuck.add("update")
    world.beanstalk.deploy_version(blue_id, "v2")

    with pytest.raises(DeadlineExceeded, match="blue Ready: not done within 60 s"):
        world.waiter.wait_for("blue Ready", "shop", [blue_id], ready({blue_id: "blue"}), 60)
    assert world.clock.monotonic() == 60


def test_the_probe_follows_the_cname_to_whoever_holds_it(world: FakeWorld, run: Run) -> None:
    url = "http://shop-blue.us-east-1.eb.test/"
    world.probe.version_answers["v1"] = 503

    assert world.probe.probe(url, 5).status == 503
    assert world.probe.probe("http://nobody.eb.test/", 5).error == "connection refused"


def test_the_journal_applies_facts_at_once_and_keeps_events(world: FakeWorld, run: Run) -> None:
    journal = world.journal(run)

    journal.record_facts(green_env_id="e-1")
    journal.event(EventSource.ENGINE, "hello", n=1)

    assert run.facts.green_env_id == "e-1"
    assert journal.messages() == ["hello"]
    with pytest.raises(TypeError, match="unknown facts"):
        journal.record_facts(colour="green")
