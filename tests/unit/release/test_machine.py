"""The lifecycle's transition table, checked for every (state, trigger) pair."""

from __future__ import annotations

import itertools

import pytest

from engine.domain.model import State, Trigger
from engine.release.machine import InvalidTransition, allowed_triggers, next_state

S, T = State, Trigger
FORWARD = (
    S.PREFLIGHT, S.CLONING, S.SWAPPING, S.DEPLOYING, S.VERIFYING, S.CUTTING_OVER, S.BAKING,
    S.LAUNCHING, S.VERIFYING_GREEN, S.GOING_LIVE, S.KEEPING_OLD, S.SPLITTING,
)  # fmt: skip

# Written out by hand from the design, independently of engine.release.machine's table.
EXPECTED: dict[tuple[State, Trigger], State] = {
    (S.QUEUED, T.START): S.PREFLIGHT,  # a worker took a submitted run
    (S.QUEUED, T.ROLLBACK): S.ROLLING_BACK,  # an operator cancels it
    (S.PREFLIGHT, T.PREFLIGHT_PASSED): S.CLONING,
    (S.PREFLIGHT, T.REFUSE): S.REFUSED,
    (S.CLONING, T.CLONED): S.SWAPPING,
    (S.SWAPPING, T.SWAPPED): S.DEPLOYING,
    (S.DEPLOYING, T.DEPLOYED): S.VERIFYING,
    (S.DEPLOYING, T.PAUSE): S.AWAITING_CUTOVER,
    (S.AWAITING_CUTOVER, T.CUTOVER): S.VERIFYING,
    (S.VERIFYING, T.VERIFIED): S.CUTTING_OVER,
    (S.CUTTING_OVER, T.CUT_OVER): S.BAKING,
    (S.BAKING, T.BAKED): S.CLEANING_UP,
    (S.CLEANING_UP, T.CLEANED_UP): S.SUCCEEDED,
    # swap-and-keep
    (S.PREFLIGHT, T.LAUNCH): S.LAUNCHING,
    (S.LAUNCHING, T.LAUNCHED): S.VERIFYING_GREEN,
    (S.VERIFYING_GREEN, T.GREEN_VERIFIED): S.GOING_LIVE,
    (S.VERIFYING_GREEN, T.PAUSE): S.AWAITING_CUTOVER,
    (S.AWAITING_CUTOVER, T.GO_LIVE): S.GOING_LIVE,
    (S.GOING_LIVE, T.WENT_LIVE): S.KEEPING_OLD,
    (S.KEEPING_OLD, T.KEPT): S.RETIRING_OLD,
    (S.RETIRING_OLD, T.RETIRED): S.SUCCEEDED,
    (S.RETIRING_OLD, T.GIVE_UP): S.FAILED,
    (S.FAILED, T.RETRY_RETIRE): S.RETIRING_OLD,
    # traffic-split
    (S.PREFLIGHT, T.SPLIT): S.SPLITTING,
    (S.SPLITTING, T.SPLIT_DONE): S.SUCCEEDED,
    **{(state, T.FAIL): S.ROLLING_BACK for state in FORWARD},
    **{
        (state, T.ROLLBACK): S.ROLLING_BACK
        for state in (
            *FORWARD,
            S.AWAITING_CUTOVER,
            S.CLEANING_UP,
            S.RETIRING_OLD,
            S.ROLLING_BACK,
            S.FAILED,
        )
    },
    (S.ROLLING_BACK, T.UNDONE): S.ROLLED_BACK,
    (S.ROLLING_BACK, T.GIVE_UP): S.FAILED,
    (S.CLEANING_UP, T.GIVE_UP): S.FAILED,
    (S.FAILED, T.RETRY_ROLLBACK): S.ROLLING_BACK,
    (S.FAILED, T.RETRY_CLEANUP): S.CLEANING_UP,
}
ALL_PAIRS = list(itertools.product(State, Trigger))


@pytest.mark.parametrize(("state", "trigger"), ALL_PAIRS, ids=lambda v: str(v))
def test_every_pair_either_moves_as_designed_or_is_refused(state: State, trigger: Trigger) -> None:
    if (state, trigger) in EXPECTED:
        assert next_state(state, trigger) is EXPECTED[(state, trigger)]
    else:
        with pytest.raises(InvalidTransition, match=trigger.value):
            next_state(state, trigger)


def test_final_states_allow_nothing_but_failed_allows_the_retries_and_rollback() -> None:
    assert allowed_triggers(S.SUCCEEDED) == []
    assert allowed_triggers(S.ROLLED_BACK) == []
    assert set(allowed_triggers(S.FAILED)) == {
        T.ROLLBACK, T.RETRY_ROLLBACK, T.RETRY_CLEANUP, T.RETRY_RETIRE,
    }  # fmt: skip


def test_the_refusal_names_the_state_and_what_is_allowed() -> None:
    with pytest.raises(InvalidTransition) as error:
        next_state(S.AWAITING_CUTOVER, T.VERIFIED)
    assert "awaiting_cutover" in str(error.value)
    assert "cutover" in str(error.value)
    assert "rollback" in str(error.value)


def test_cleaning_up_cannot_fail_into_a_rollback_but_gives_up() -> None:
    with pytest.raises(InvalidTransition):
        next_state(S.CLEANING_UP, T.FAIL)
    assert next_state(S.CLEANING_UP, T.GIVE_UP) is S.FAILED
