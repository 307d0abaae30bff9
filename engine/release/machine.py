"""The release lifecycle as a `transitions` state machine: states, triggers, rollback branch.

`next_state(state, trigger)` is the pure question the runner asks before it persists a move;
`LifecycleModel` fires triggers on a small model object for callers that want a stateful one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypedDict

from transitions import Machine, MachineError

from engine.domain.model import State, Trigger

# States a release moves forward through; a failure in any of them rolls the release back.
FORWARD_STATES: tuple[State, ...] = (
    State.PREFLIGHT,
    State.CLONING,
    State.SWAPPING,
    State.DEPLOYING,
    State.VERIFYING,
    State.CUTTING_OVER,
    State.BAKING,
)

# Where an operator may ask for a rollback: a waiting, failed or unfinished run.
ROLLBACK_SOURCES: tuple[State, ...] = (
    *FORWARD_STATES,
    State.AWAITING_CUTOVER,
    State.CLEANING_UP,
    State.ROLLING_BACK,  # an interrupted rollback: the operator asks to finish it
    State.FAILED,
)


class _Row(TypedDict):
    trigger: str
    source: list[State]
    dest: State


def _row(trigger: Trigger, sources: Sequence[State], dest: State) -> _Row:
    return {"trigger": trigger.value, "source": list(sources), "dest": dest}


TRANSITIONS: tuple[_Row, ...] = (
    _row(Trigger.START, [State.QUEUED], State.PREFLIGHT),
    # A queued run that an operator rolls back has nothing to undo: it is only cancelled.
    _row(Trigger.ROLLBACK, [State.QUEUED], State.ROLLING_BACK),
    _row(Trigger.PREFLIGHT_PASSED, [State.PREFLIGHT], State.CLONING),
    _row(Trigger.CLONED, [State.CLONING], State.SWAPPING),
    _row(Trigger.SWAPPED, [State.SWAPPING], State.DEPLOYING),
    _row(Trigger.DEPLOYED, [State.DEPLOYING], State.VERIFYING),
    _row(Trigger.PAUSE, [State.DEPLOYING], State.AWAITING_CUTOVER),
    _row(Trigger.CUTOVER, [State.AWAITING_CUTOVER], State.VERIFYING),
    _row(Trigger.VERIFIED, [State.VERIFYING], State.CUTTING_OVER),
    _row(Trigger.CUT_OVER, [State.CUTTING_OVER], State.BAKING),
    _row(Trigger.BAKED, [State.BAKING], State.CLEANING_UP),
    _row(Trigger.CLEANED_UP, [State.CLEANING_UP], State.SUCCEEDED),
    _row(Trigger.FAIL, FORWARD_STATES, State.ROLLING_BACK),
    _row(Trigger.REFUSE, [State.PREFLIGHT], State.REFUSED),
    _row(Trigger.ROLLBACK, ROLLBACK_SOURCES, State.ROLLING_BACK),
    _row(Trigger.UNDONE, [State.ROLLING_BACK], State.ROLLED_BACK),
    _row(Trigger.GIVE_UP, [State.ROLLING_BACK, State.CLEANING_UP], State.FAILED),
    _row(Trigger.RETRY_ROLLBACK, [State.FAILED], State.ROLLING_BACK),
    _row(Trigger.RETRY_CLEANUP, [State.FAILED], State.CLEANING_UP),
)


class InvalidTransition(ValueError):
    """A trigger that the lifecycle does not allow from a state (a bug, or a stale run)."""

    def __init__(self, state: State, trigger: Trigger) -> None:
        allowed = ", ".join(t.value for t in allowed_triggers(state)) or "none"
        super().__init__(
            f"trigger {trigger.value!r} is not allowed from state {state.value!r} "
            f"(allowed: {allowed})"
        )
        self.state = state
        self.trigger = trigger


class LifecycleModel:
    """The object the machine drives: it carries only the current state."""

    state: State
    trigger: Any  # added by the machine: model.trigger("name")

    def __init__(self, state: State) -> None:
        self.state = state


def build_machine(model: LifecycleModel | None = None) -> Machine:
    """A machine over the State enum; without a model it only answers questions."""
    return Machine(
        model=model if model is not None else [],
        states=State,
        transitions=[dict(row) for row in TRANSITIONS],
        initial=model.state if model is not None else State.PREFLIGHT,
        model_attribute="state",
        auto_transitions=False,
        queued=False,
        send_event=False,
    )


_TABLE = build_machine()


def next_state(state: State, trigger: Trigger) -> State:
    """Where `trigger` takes a run that is in `state`; raises InvalidTransition."""
    found = _TABLE.get_transitions(trigger=trigger.value, source=state.name)
    if not found:
        raise InvalidTransition(state, trigger)
    dest = found[0].dest
    assert dest is not None  # every row of the table has a destination
    value = _TABLE.get_state(dest).value
    assert isinstance(value, State)
    return value


def allowed_triggers(state: State) -> list[Trigger]:
    """The triggers that may fire from `state`, in table order."""
    return [Trigger(row["trigger"]) for row in TRANSITIONS if state in row["source"]]


def fire(model: LifecycleModel, trigger: Trigger) -> State:
    """Fire `trigger` on a model bound to a machine (see `bind`); returns the new state."""
    try:
        model.trigger(trigger.value)
    except (MachineError, AttributeError) as error:
        raise InvalidTransition(model.state, trigger) from error
    return model.state


def bind(state: State) -> LifecycleModel:
    """A fresh model in `state`, bound to its own machine."""
    model = LifecycleModel(state)
    build_machine(model)
    return model
