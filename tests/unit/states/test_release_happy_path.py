"""The whole release, step after step, against the fake cloud."""

from __future__ import annotations

from engine.domain.lifecycle import STRATEGIES
from engine.domain.model import Mode, Run, State, Trigger
from states.registry import ACTIONS
from tests.fakes import FakeWorld
from tests.unit.states.conftest import BLUE_CNAME, HAPPY_PATH, assert_released, drive, mutations

EXPECTED_TRIGGERS = [
    Trigger.PREFLIGHT_PASSED,
    Trigger.CLONED,
    Trigger.SWAPPED,
    Trigger.DEPLOYED,
    Trigger.VERIFIED,
    Trigger.CUT_OVER,
    Trigger.BAKED,
    Trigger.CLEANED_UP,
]


def test_each_step_returns_its_happy_path_trigger(world: FakeWorld, run: Run) -> None:
    triggers = [ACTIONS[state](world.context(run)) for state in HAPPY_PATH]

    assert triggers == EXPECTED_TRIGGERS


def test_a_release_leaves_blue_on_the_new_version_with_its_cname(
    world: FakeWorld, run: Run
) -> None:
    drive(world, run)

    assert_released(world, run)
    assert mutations(world) == {
        "create_template": 1,
        "create_environment": 1,
        "swap_cnames": 2,
        "deploy_version": 1,
        "terminate_environment": 1,
        "delete_template": 1,
    }


def test_the_run_records_what_resume_and_rollback_need(world: FakeWorld, run: Run) -> None:
    drive(world, run)

    facts = run.facts
    green = world.beanstalk.env(run.green)
    assert (facts.blue_env_id, facts.blue_cname) == (
        world.beanstalk.env("shop-blue").id,
        BLUE_CNAME,
    )
    assert facts.previous_version_label == "v1"
    assert (facts.green_env_id, facts.green_cname) == (green.id, green.cname)
    assert facts.template_name == f"bluegreen-{run.id}"


def test_green_carries_the_run_id_and_runs_blues_previous_version(
    world: FakeWorld, run: Run
) -> None:
    drive(world, run, until=State.SWAPPING)

    green = world.beanstalk.env(run.green)
    assert green.tags == {"bluegreen:run-id": run.id, "bluegreen:role": "green"}
    assert (green.version_label, green.template_name) == ("v1", f"bluegreen-{run.id}")


def test_deploy_mode_pauses_after_deploying(world: FakeWorld) -> None:
    run = world.seed_release(mode=Mode.DEPLOY)
    drive(world, run, until=State.DEPLOYING)

    assert ACTIONS[State.DEPLOYING](world.context(run)) is Trigger.PAUSE


def test_waiting_and_final_states_have_no_action() -> None:
    assert State.AWAITING_CUTOVER not in ACTIONS
    strategies = {s for info in STRATEGIES.values() for s in info.path if s.is_working}
    assert set(ACTIONS) == {State.QUEUED, *HAPPY_PATH, *strategies, State.ROLLING_BACK}


def test_a_queued_run_starts_at_preflight_without_calling_aws() -> None:
    assert ACTIONS[State.QUEUED](None) is Trigger.START  # type: ignore[arg-type]
