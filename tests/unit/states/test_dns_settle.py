"""DNS settle times: the environment the live CNAME just left is not touched until every
resolver that honours the TTL has the new answer, counted from the recorded swap time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.domain.errors import StepFailed
from engine.domain.model import EventSource, Guards, Run, State
from states import cleaning_up, cutting_over, deploying, preflight, rolling_back, swapping
from tests.fakes import FakeWorld
from tests.unit.states.conftest import assert_production_untouched, drive

SETTLE = 120.0


def first_event(world: FakeWorld, run: Run, starts: str) -> float:
    """Seconds since the run's recorded swap at which an event starting so was recorded."""
    swapped_at = run.facts.swapped_at
    assert swapped_at is not None
    event = next(e for e in world.journal(run).events if e.message.startswith(starts))
    return (event.at - swapped_at).total_seconds()


def test_the_swap_is_recorded_as_a_fact_when_it_is_seen_done(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.DEPLOYING)

    assert run.facts.swapped_at is not None
    assert run.facts.swapped_back_at is None


def test_blue_is_not_deployed_to_before_the_swap_has_settled(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.DEPLOYING)
    deploying.run(world.context(run))

    assert first_event(world, run, "deploy: deploying v2") >= SETTLE


def test_a_resumed_settle_counts_from_the_recorded_swap_not_from_the_restart(
    world: FakeWorld, run: Run
) -> None:
    drive(world, run, until=State.DEPLOYING)
    world.clock.advance(100)  # the runner died 100 s after the swap and was resumed

    deploying.run(world.context(run))

    assert SETTLE <= first_event(world, run, "deploy: deploying v2") < SETTLE + 5


def test_a_settle_already_over_is_not_waited_again(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.DEPLOYING)
    world.clock.advance(SETTLE + 1)
    deploying.run(world.context(run))

    messages = world.journal(run).messages(EventSource.ENGINE)
    assert not [m for m in messages if m.startswith("DNS settle")]


def test_the_settle_wait_says_how_long_is_left(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.DEPLOYING)
    deploying.run(world.context(run))

    waits = [e for e in world.journal(run).events if e.data.get("window") == "dns_settle"]
    assert waits[0].message == "DNS settle: 120 s left of 120 s before deploying to blue"
    assert waits[-1].data["phase"] == "ended"
    assert [e.data["phase"] for e in waits[1:-1]] == ["progress"] * (len(waits) - 2)


def test_green_stays_up_the_settle_time_after_the_cutover(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.CLEANING_UP)
    swapped_back_at = run.facts.swapped_back_at
    assert swapped_back_at is not None

    cleaning_up.run(world.context(run))

    ask = next(e for e in world.journal(run).events if "terminating green" in e.message.lower()
               and e.data.get("phase") == "ended")  # fmt: skip
    assert ask.at - swapped_back_at >= timedelta(seconds=SETTLE)


def test_a_rollback_after_the_swap_keeps_green_up_the_settle_time(
    world: FakeWorld, run: Run
) -> None:
    world.probe.version_answers["v2"] = 500
    drive(world, run, until=State.VERIFYING)
    with pytest.raises(StepFailed):
        drive(world, run, start=State.VERIFYING)

    rolling_back.run(world.context(run))

    swapped_back_at = run.facts.swapped_back_at
    assert swapped_back_at is not None
    settle = [e for e in world.journal(run).events if e.data.get("window") == "dns_settle"]
    assert settle[-1].at - swapped_back_at >= timedelta(seconds=SETTLE)
    assert_production_untouched(world, run)


def test_a_settle_of_zero_skips_the_waits_and_is_warned_about(world: FakeWorld, run: Run) -> None:
    run.guards = Guards(dns_settle_seconds=0)
    preflight.run(world.context(run))
    drive(world, run, start=State.CLONING)

    messages = world.journal(run).messages(EventSource.ENGINE)
    assert any(m.startswith("warning: DNS settle time is 0") for m in messages)
    assert not [m for m in messages if m.startswith("DNS settle:")]


def test_a_swap_found_done_on_a_re_run_keeps_its_recorded_time(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.DEPLOYING)
    recorded = run.facts.swapped_at
    world.clock.advance(30)

    swapping.run(world.context(run))  # the step re-run after a crash: already swapped

    assert run.facts.swapped_at == recorded
    assert world.beanstalk.calls["swap_cnames"] == 1


def test_a_cutover_found_done_on_a_re_run_keeps_its_recorded_time(
    world: FakeWorld, run: Run
) -> None:
    drive(world, run, until=State.BAKING)
    recorded = run.facts.swapped_back_at
    world.clock.advance(30)

    cutting_over.run(world.context(run))

    assert run.facts.swapped_back_at == recorded
