"""The warm-up's raise undone (issue 19): the step that restores an environment's sizes to the
saved configuration's, re-run after a crash around its UpdateEnvironment or after a lost
response, converges: the sizes restored by one update, the environment Ready with them before
the step ends, the rest of the step (terminate, template) done once."""

from __future__ import annotations

import pytest

from engine.domain.model import Run, State, Trigger
from states import cleaning_up, rolling_back
from tests.fakes import Crash, FakeWorld
from tests.unit.states.conftest import (
    RELEASE_CALLS,
    assert_production_untouched,
    assert_released,
    drive,
    mutations,
)

ASG = "aws:autoscaling:asg"
MIN_SIZE, MAX_SIZE = (ASG, "MinSize"), (ASG, "MaxSize")
SAVED = {MIN_SIZE: "1", MAX_SIZE: "4"}  # blue's sizes when the template was saved
PENDING = pytest.mark.parametrize("finished", [False, True], ids=["pending", "finished"])


def warmed_blue(world: FakeWorld, run: Run) -> None:
    """Blue's MinSize and MaxSize raised past the saved ones, as a warm-up leaves them."""
    world.beanstalk.env(run.target.blue).options.update({MIN_SIZE: "6", MAX_SIZE: "6"})


def sizes(world: FakeWorld, run: Run) -> dict[tuple[str, str], str]:
    options = world.beanstalk.env(run.target.blue).options
    return {key: options[key] for key in (MIN_SIZE, MAX_SIZE)}


def assert_restored_once(world: FakeWorld, run: Run) -> None:
    assert sizes(world, run) == SAVED
    assert world.beanstalk.calls["update_options"] == 1


@pytest.fixture
def at_cleanup(world: FakeWorld, run: Run) -> Run:
    drive(world, run, until=State.CLEANING_UP)
    warmed_blue(world, run)
    run.state = State.CLEANING_UP
    return run


@PENDING
def test_a_cleanup_killed_right_after_the_restore_was_sent_ends_ready_with_the_saved_sizes(
    world: FakeWorld, at_cleanup: Run, finished: bool
) -> None:
    world.beanstalk.crash_after.add("update_options")
    with pytest.raises(Crash):
        cleaning_up.run(world.context(at_cleanup))
    if finished:
        world.beanstalk.finish_operations()

    assert cleaning_up.run(world.context(at_cleanup)) is Trigger.CLEANED_UP

    # Blue was still Updating with the sizes (pending): the re-run waits for it to be Ready
    # instead of ending the release on an environment still in an update.
    assert_released(world, at_cleanup)
    assert_restored_once(world, at_cleanup)
    assert mutations(world) == RELEASE_CALLS


# The cleanup records three facts, each an intent: green's terminate, the restore, the
# template's delete; a crash after the second is a crash right before the restore is sent.
@pytest.mark.parametrize("facts", [1, 2, 3])
def test_a_cleanup_killed_after_recording_any_of_its_facts_restores_the_sizes_once(
    world: FakeWorld, at_cleanup: Run, facts: int
) -> None:
    world.journal(at_cleanup).crash_after_facts = facts
    with pytest.raises(Crash):
        cleaning_up.run(world.context(at_cleanup))
    world.journal(at_cleanup).crash_after_facts = None

    assert cleaning_up.run(world.context(at_cleanup)) is Trigger.CLEANED_UP

    assert_released(world, at_cleanup)
    assert_restored_once(world, at_cleanup)
    assert mutations(world) == RELEASE_CALLS


def test_a_lost_response_to_the_restore_is_read_from_what_exists_and_not_sent_again(
    world: FakeWorld, at_cleanup: Run
) -> None:
    world.beanstalk.lose_response.add("update_options")

    assert cleaning_up.run(world.context(at_cleanup)) is Trigger.CLEANED_UP

    assert_released(world, at_cleanup)
    assert_restored_once(world, at_cleanup)
    messages = [event.message for event in world.journal(at_cleanup).events]
    assert any("sizes back to" in m and "took effect" in m for m in messages), messages


@PENDING
def test_a_rollback_killed_right_after_the_restore_was_sent_still_confirms_production(
    world: FakeWorld, run: Run, finished: bool
) -> None:
    drive(world, run, until=State.CUTTING_OVER)  # blue on v2, the CNAMEs swapped
    warmed_blue(world, run)
    run.state = State.ROLLING_BACK
    world.beanstalk.crash_after.add("update_options")
    with pytest.raises(Crash):
        rolling_back.run(world.context(run))
    if finished:
        world.beanstalk.finish_operations()

    assert rolling_back.run(world.context(run)) is Trigger.UNDONE

    assert_production_untouched(world, run)
    assert_restored_once(world, run)


def test_a_lost_response_to_the_rollbacks_restore_is_not_sent_again(
    world: FakeWorld, run: Run
) -> None:
    drive(world, run, until=State.CUTTING_OVER)
    warmed_blue(world, run)
    run.state = State.ROLLING_BACK
    world.beanstalk.lose_response.add("update_options")

    assert rolling_back.run(world.context(run)) is Trigger.UNDONE

    assert_production_untouched(world, run)
    assert_restored_once(world, run)
