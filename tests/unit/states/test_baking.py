"""Baking: after the cutover blue is watched for the bake window while green (old version)
stays up; a regression swaps the live CNAME back to green at once, and the rollback then
leaves production where it was."""

from __future__ import annotations

import pytest

from engine.domain.errors import StepFailed
from engine.domain.model import EventSource, Guards, Run, State, Trigger
from states import baking, rolling_back
from tests.fakes import FakeWorld
from tests.unit.states.conftest import BLUE_CNAME, assert_production_untouched, drive

BAKE = 300.0


@pytest.fixture
def cut_over(world: FakeWorld, run: Run) -> Run:
    run.guards = Guards(bake_seconds=BAKE, alarms=("shop-5xx",))
    world.alarms.put("shop-5xx")
    drive(world, run, until=State.BAKING)
    return run


def live_holder(world: FakeWorld) -> str:
    return next(e.name for e in world.beanstalk.live() if e.cname == BLUE_CNAME)


def test_without_a_bake_window_the_step_passes_at_once(world: FakeWorld, run: Run) -> None:
    drive(world, run, until=State.BAKING)
    calls = len(world.probe.calls)

    assert baking.run(world.context(run)) is Trigger.BAKED
    assert len(world.probe.calls) == calls


def test_a_good_bake_watches_blue_for_the_whole_window(world: FakeWorld, cut_over: Run) -> None:
    started = world.clock.now()
    assert baking.run(world.context(cut_over)) is Trigger.BAKED

    cut_over_at = cut_over.facts.swapped_back_at
    assert cut_over_at is not None
    assert (world.clock.now() - cut_over_at).total_seconds() >= BAKE
    assert world.clock.now() > started
    probes = [e for e in world.journal(cut_over).events if e.data.get("purpose") == "bake"]
    assert len(probes) > 100
    assert all("blue's load balancer" in e.data["endpoint"] for e in probes)
    assert live_holder(world) == "shop-blue"


def test_the_bake_progress_says_how_far_it_is_and_what_it_watches(
    world: FakeWorld, cut_over: Run
) -> None:
    baking.run(world.context(cut_over))

    lines = [e.message for e in world.journal(cut_over).events if e.data.get("window") == "bake"]
    assert lines[0].startswith("bake: 0 min of 5 min, 1 alarm watched (none in ALARM)")
    assert any(line.startswith("bake: 3 min of 5 min") for line in lines)
    assert lines[-1].startswith("bake: 5 min of 5 min")


def test_a_version_that_breaks_after_the_cutover_is_swapped_back_to_green(
    world: FakeWorld, cut_over: Run
) -> None:
    world.probe.version_answers["v2"] = 500

    with pytest.raises(StepFailed, match="regression during the bake window: 3 failed probes"):
        baking.run(world.context(cut_over))

    assert live_holder(world) == "shop-green"
    assert cut_over.facts.swapped_at is not None
    assert cut_over.facts.swapped_back_at is not None
    assert cut_over.facts.swapped_at > cut_over.facts.swapped_back_at


def test_after_a_swap_back_the_rollback_leaves_production_where_it_was(
    world: FakeWorld, cut_over: Run
) -> None:
    world.probe.version_answers["v2"] = 500
    with pytest.raises(StepFailed):
        baking.run(world.context(cut_over))

    assert rolling_back.run(world.context(cut_over)) is Trigger.UNDONE
    assert_production_untouched(world, cut_over)
    messages = world.journal(cut_over).messages(EventSource.ENGINE)
    assert any(m.startswith("DNS settle") and "rolling blue back" in m for m in messages)


def test_an_alarm_going_off_during_the_bake_swaps_back(world: FakeWorld, cut_over: Run) -> None:
    world.clock.advance(60)
    world.alarms.put("shop-5xx", "ALARM", "Threshold Crossed: 12 5xx in 1 minute")

    with pytest.raises(StepFailed, match="alarm in ALARM during the bake window: shop-5xx"):
        baking.run(world.context(cut_over))
    assert live_holder(world) == "shop-green"


def test_unreadable_alarms_fail_the_bake_closed(world: FakeWorld, cut_over: Run) -> None:
    world.alarms.unreadable = True

    with pytest.raises(StepFailed, match="cannot be read during the bake window"):
        baking.run(world.context(cut_over))
    assert live_holder(world) == "shop-green"


def test_a_rollback_of_a_cut_over_run_gives_green_the_traffic_before_touching_blue(
    world: FakeWorld, cut_over: Run
) -> None:
    """A run killed between detecting a regression and swapping back: the rollback swaps
    first, so blue is never redeployed while it serves live traffic."""
    assert rolling_back.run(world.context(cut_over)) is Trigger.UNDONE

    messages = world.journal(cut_over).messages(EventSource.ENGINE)
    first_swap = next(i for i, m in enumerate(messages) if "live traffic back to green" in m)
    deploy = next(i for i, m in enumerate(messages) if m.startswith("rollback: deploying v1"))
    assert first_swap < deploy
    assert_production_untouched(world, cut_over)


def test_a_resumed_bake_counts_from_the_recorded_cutover_not_from_the_restart(
    world: FakeWorld, cut_over: Run
) -> None:
    cut_over_at = cut_over.facts.swapped_back_at
    assert cut_over_at is not None
    world.clock.advance(200)  # the runner died 200 s into the bake and was resumed

    assert baking.run(world.context(cut_over)) is Trigger.BAKED

    assert (world.clock.now() - cut_over_at).total_seconds() < BAKE + 5
