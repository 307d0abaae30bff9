"""What a run's state and history mean to its caller: one verdict, one exit code, used by
every command (the exit status), every view (`runs show`, `--json`, the report) and every
notification, so they can never disagree."""

from __future__ import annotations

from collections.abc import Sequence

from engine.domain import lifecycle
from engine.domain.exit_codes import ExitCode
from engine.domain.lifecycle import State, Trigger, Verdict
from engine.domain.model import Run, TransitionRecord


def rollback_cause(transitions: Sequence[TransitionRecord]) -> TransitionRecord | None:
    """The transition that first took the run into rolling_back (a failure, or an operator;
    a `rollback --to-version` run is created there)."""
    return next((t for t in transitions if t.to_state is State.ROLLING_BACK), None)


def failed_in_preflight(transitions: Sequence[TransitionRecord]) -> bool:
    """Runs recorded before the `refused` state went preflight -> rolling_back -> rolled_back."""
    cause = rollback_cause(transitions)
    return (
        cause is not None and cause.trigger == Trigger.FAIL and cause.from_state is State.PREFLIGHT
    )


def verdict_of(run: Run, transitions: Sequence[TransitionRecord]) -> Verdict | None:
    """The run's verdict; None while it is still being worked on."""
    verdict = run.state.info.verdict
    if run.state is not State.ROLLED_BACK:
        return verdict
    cause = rollback_cause(transitions)
    if cause is None or cause.trigger != Trigger.FAIL:
        return lifecycle.ROLLED_BACK_BY_OPERATOR
    return lifecycle.REFUSED if failed_in_preflight(transitions) else lifecycle.ROLLED_BACK


def exit_code_of(run: Run, transitions: Sequence[TransitionRecord]) -> ExitCode | None:
    """0 did what was asked; 1 failed and rolled back; 2 refused; 4 needs an operator;
    None while the run is still being worked on (a drive stopped there exits 4)."""
    verdict = verdict_of(run, transitions)
    return None if verdict is None else verdict.exit_code
