"""CloudWatch alarm gates: a missing alarm is bad input, an alarm in ALARM before the first
swap or during verification stops the release, an unreadable state fails closed."""

from __future__ import annotations

import pytest

from engine.domain.errors import ConfigurationError, StepFailed
from engine.domain.model import Guards, Run, State
from states import preflight, swapping, verifying
from tests.fakes import FakeWorld
from tests.unit.states.conftest import drive, mutations


@pytest.fixture
def gated(world: FakeWorld, run: Run) -> Run:
    run.guards = Guards(alarms=("shop-5xx", "shop-latency"))
    world.alarms.put("shop-5xx")
    world.alarms.put("shop-latency", "INSUFFICIENT_DATA")
    return run


def test_a_release_passes_its_gates_while_no_alarm_is_in_alarm(
    world: FakeWorld, gated: Run
) -> None:
    drive(world, gated)

    assert gated.state is State.SUCCEEDED
    assert world.alarms.reads > 3


def test_an_alarm_that_does_not_exist_is_refused_in_preflight(world: FakeWorld, gated: Run) -> None:
    del world.alarms.alarms["shop-latency"]

    with pytest.raises(ConfigurationError, match=r"CloudWatch alarm\(s\) not found: shop-latency"):
        preflight.run(world.context(gated))
    assert mutations(world) == {}


def test_an_alarm_already_in_alarm_is_refused_in_preflight_before_anything_is_created(
    world: FakeWorld, gated: Run
) -> None:
    world.alarms.put("shop-5xx", "ALARM", "Threshold Crossed")

    with pytest.raises(ConfigurationError, match="alarm in ALARM before the release started"):
        preflight.run(world.context(gated))
    assert mutations(world) == {}


def test_an_alarm_in_alarm_before_the_first_swap_stops_the_release_before_it(
    world: FakeWorld, gated: Run
) -> None:
    drive(world, gated, until=State.SWAPPING)
    world.alarms.put("shop-5xx", "ALARM", "Threshold Crossed")

    with pytest.raises(StepFailed, match="alarm in ALARM before the first swap: shop-5xx"):
        swapping.run(world.context(gated))
    assert world.beanstalk.calls["swap_cnames"] == 0


def test_an_alarm_in_alarm_during_verification_fails_it(world: FakeWorld, gated: Run) -> None:
    drive(world, gated, until=State.VERIFYING)
    world.alarms.put("shop-latency", "ALARM", "p99 above 2 s")

    with pytest.raises(StepFailed, match="during verification: shop-latency: p99 above 2 s"):
        verifying.run(world.context(gated))


def test_an_unreadable_alarm_state_fails_verification_closed(world: FakeWorld, gated: Run) -> None:
    drive(world, gated, until=State.VERIFYING)
    world.alarms.unreadable = True

    with pytest.raises(StepFailed, match=r"cannot be read during verification \(failing closed\)"):
        verifying.run(world.context(gated))


def test_without_alarms_cloudwatch_is_never_asked(world: FakeWorld, run: Run) -> None:
    drive(world, run)

    assert run.state is State.SUCCEEDED
    assert world.alarms.reads == 0
