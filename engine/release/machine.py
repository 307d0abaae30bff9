"""The release lifecycle as a `transitions` state machine, built from the domain's one table
(`engine.domain.lifecycle.TRANSITIONS`): this module adds no state and no rule of its own.

`next_state(state, trigger)` is the pure question the runner asks before it persists a move.
"""

from __future__ import annotations

from transitions import Machine

from engine.domain.lifecycle import TRANSITIONS, State, Trigger


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


def build_machine() -> Machine:
    """A model-less machine over the State enum: it only answers questions."""
    return Machine(
        model=[],
        states=State,
        transitions=[
            {"trigger": row.trigger.value, "source": list(row.sources), "dest": row.dest}
            for row in TRANSITIONS
        ],
        initial=State.QUEUED,
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
    return [row.trigger for row in TRANSITIONS if state in row.sources]
