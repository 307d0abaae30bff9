"""Verifying: consecutive successes through blue's current CNAME, within a deadline."""

from __future__ import annotations

import pytest

from engine.domain.errors import StepFailed
from engine.domain.model import EventSource, HealthCheck, Run, State, Trigger
from states import verifying
from tests.fakes import FakeWorld, make_run
from tests.unit.states.conftest import drive


@pytest.fixture
def deployed(world: FakeWorld, run: Run) -> Run:
    drive(world, run, until=State.VERIFYING)
    return run


def blue_url(run: Run, path: str = "/") -> str:
    return f"http://{run.facts.green_cname}{path}"


def test_blue_is_probed_through_the_cname_it_holds_now(world: FakeWorld, deployed: Run) -> None:
    assert verifying.run(world.context(deployed)) is Trigger.VERIFIED

    assert world.probe.calls == [blue_url(deployed)] * 3


def test_each_probe_is_recorded_with_url_status_and_latency(
    world: FakeWorld, deployed: Run
) -> None:
    world.probe.script(blue_url(deployed), None, 200)
    verifying.run(world.context(deployed))

    probes = [e for e in world.journal(deployed).events if e.source is EventSource.PROBE]
    assert len(probes) == 4
    assert probes[0].data == {
        "url": blue_url(deployed),
        "status": None,
        "latency_seconds": 0.05,
        "error": "connection refused",
    }
    assert probes[1].data["status"] == 200


def test_a_flapping_answer_starts_the_count_over(world: FakeWorld, deployed: Run) -> None:
    world.probe.script(blue_url(deployed), 200, 500, 200, 200, 503, 200, 200, 200)

    assert verifying.run(world.context(deployed)) is Trigger.VERIFIED
    assert len(world.probe.calls) == 8


def test_no_run_of_successes_within_the_deadline_fails_with_the_last_answer(
    world: FakeWorld, deployed: Run
) -> None:
    world.probe.script(blue_url(deployed), 200, 200, 500)
    started = world.clock.monotonic()

    with pytest.raises(StepFailed) as failure:
        verifying.run(world.context(deployed))

    assert str(failure.value) == (
        "health check failed: 3 consecutive successes not reached within 120 s; "
        f"last: 500 from {blue_url(deployed)}"
    )
    assert world.clock.monotonic() - started <= 120


def test_the_health_path_is_appended_and_a_whole_url_is_used_as_it_is(world: FakeWorld) -> None:
    url = "https://status.example.test/health"
    run = make_run(health=HealthCheck(path=url, successes=1))
    world.seed_release()
    drive(world, run, until=State.VERIFYING)
    world.probe.script(url, 200)

    assert verifying.run(world.context(run)) is Trigger.VERIFIED
    assert world.probe.calls == [url]


def test_a_relative_health_path_goes_after_blues_cname(world: FakeWorld) -> None:
    run = make_run(health=HealthCheck(path="healthz", successes=1, expected_status=(204,)))
    world.seed_release()
    drive(world, run, until=State.VERIFYING)
    world.probe.script(blue_url(run, "/healthz"), 204)

    assert verifying.run(world.context(run)) is Trigger.VERIFIED
    assert world.probe.calls == [blue_url(run, "/healthz")]


def test_eb_health_turning_red_keeps_the_check_from_passing(
    world: FakeWorld, deployed: Run
) -> None:
    world.beanstalk.env(deployed.target.blue).health = "Red"

    with pytest.raises(StepFailed, match="last: EB reports blue shop-blue Ready with health Red"):
        verifying.run(world.context(deployed))


def test_a_terminated_blue_fails_at_once(world: FakeWorld, deployed: Run) -> None:
    world.beanstalk.env(deployed.target.blue).status = "Terminated"

    with pytest.raises(StepFailed, match=r"blue environment shop-blue \(e-\d+\) is Terminated"):
        verifying.run(world.context(deployed))
    assert world.probe.calls == []
