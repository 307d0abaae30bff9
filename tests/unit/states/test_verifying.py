"""Verifying: consecutive successes from blue's own load balancer (never a name that is
moving), within a deadline; N failed probes in a row fail at once."""

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
    return f"http://awseb-{run.facts.blue_env_id}.us-east-1.elb.test{path}"


def test_blue_is_probed_at_its_own_load_balancer_with_the_live_name_as_host(
    world: FakeWorld, deployed: Run
) -> None:
    assert verifying.run(world.context(deployed)) is Trigger.VERIFIED

    assert world.probe.calls == [blue_url(deployed)] * 3
    assert world.probe.hosts == [deployed.facts.blue_cname] * 3


def test_a_broken_blue_is_caught_even_when_its_temporary_cname_still_reaches_green(
    world: FakeWorld, deployed: Run
) -> None:
    world.probe.script(f"http://{deployed.facts.green_cname}/", 200)  # a stale DNS answer
    world.probe.version_answers["v2"] = 500

    with pytest.raises(StepFailed, match="3 failed probes in a row; last: 500"):
        verifying.run(world.context(deployed))


def test_failed_probes_in_a_row_fail_the_step_long_before_the_deadline(
    world: FakeWorld, deployed: Run
) -> None:
    world.probe.script(blue_url(deployed), 500)
    started = world.clock.monotonic()

    with pytest.raises(StepFailed, match="health check failed: 3 failed probes in a row"):
        verifying.run(world.context(deployed))
    assert len(world.probe.calls) == 3
    assert world.clock.monotonic() - started < 10


def test_a_transient_error_is_retried_below_the_failure_limit(
    world: FakeWorld, deployed: Run
) -> None:
    world.probe.script(blue_url(deployed), None, 500, 200, 200, 200)

    assert verifying.run(world.context(deployed)) is Trigger.VERIFIED
    assert len(world.probe.calls) == 5


def test_each_probe_is_recorded_with_url_status_and_latency(
    world: FakeWorld, deployed: Run
) -> None:
    world.probe.script(blue_url(deployed), None, 200)
    verifying.run(world.context(deployed))

    probes = [e for e in world.journal(deployed).events if e.source is EventSource.PROBE]
    assert len(probes) == 4
    endpoint = blue_url(deployed).removeprefix("http://").removesuffix("/")
    assert probes[0].data == {
        "url": blue_url(deployed),
        "endpoint": f"{endpoint} (blue's load balancer)",
        "host": deployed.facts.blue_cname,
        "status": None,
        "latency_seconds": 0.05,
        "error": "connection refused",
        "purpose": "verification",
    }
    assert probes[1].data["status"] == 200


def test_a_flapping_answer_starts_the_count_over(world: FakeWorld, deployed: Run) -> None:
    world.probe.script(blue_url(deployed), 200, 500, 200, 200, 503, 200, 200, 200)

    assert verifying.run(world.context(deployed)) is Trigger.VERIFIED
    assert len(world.probe.calls) == 8


def test_no_run_of_successes_within_the_deadline_fails_with_the_last_answer(
    world: FakeWorld, deployed: Run
) -> None:
    world.probe.script(blue_url(deployed), *[200, 200, 500] * 60)
    started = world.clock.monotonic()

    with pytest.raises(StepFailed) as failure:
        verifying.run(world.context(deployed))

    message = str(failure.value)
    assert message.startswith(
        "health check failed: 3 consecutive successes not reached within 120 s; last: "
    )
    endpoint = blue_url(deployed).removeprefix("http://").removesuffix("/")
    assert message.endswith(f"from {blue_url(deployed)} (blue's load balancer)")
    assert message.lower().count(endpoint.lower()) == 1, "the host is named once"
    assert world.clock.monotonic() - started <= 120


def test_the_health_path_is_appended_and_a_whole_url_is_used_as_it_is(world: FakeWorld) -> None:
    url = "https://status.example.test/health"
    run = make_run(health=HealthCheck(path=url, successes=1))
    world.seed_release()
    drive(world, run, until=State.VERIFYING)
    world.probe.script(url, 200)

    assert verifying.run(world.context(run)) is Trigger.VERIFIED
    assert world.probe.calls == [url]


def test_a_relative_health_path_goes_after_blues_load_balancer(world: FakeWorld) -> None:
    run = make_run(health=HealthCheck(path="healthz", successes=1, expected_status=(204,)))
    world.seed_release()
    drive(world, run, until=State.VERIFYING)
    world.probe.script(blue_url(run, "/healthz"), 204)

    assert verifying.run(world.context(run)) is Trigger.VERIFIED
    assert world.probe.calls == [blue_url(run, "/healthz")]


def test_a_blue_without_an_endpoint_url_cannot_be_verified(
    world: FakeWorld, deployed: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from tests.fakes.environment import FakeEnvironment

    original = FakeEnvironment.view
    monkeypatch.setattr(FakeEnvironment, "view", lambda e: replace(original(e), endpoint_url=None))

    with pytest.raises(StepFailed, match="reports no EndpointURL"):
        verifying.run(world.context(deployed))


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
