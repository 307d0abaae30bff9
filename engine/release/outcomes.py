"""How a drive ended, in words and as an exit code, decided from the run and its history."""

from __future__ import annotations

from collections.abc import Sequence

from engine.domain.exit_codes import ExitCode
from engine.domain.model import Run, State, TransitionRecord, Trigger
from engine.release.observer import Outcome


def rollback_cause(transitions: Sequence[TransitionRecord]) -> TransitionRecord | None:
    """The transition that first took the run into rolling_back (a failure, or an operator)."""
    return next((t for t in transitions if t.to_state is State.ROLLING_BACK), None)


def failed_in_preflight(transitions: Sequence[TransitionRecord]) -> bool:
    """Runs recorded before the `refused` state went preflight -> rolling_back -> rolled_back."""
    cause = rollback_cause(transitions)
    return (
        cause is not None and cause.trigger == Trigger.FAIL and cause.from_state is State.PREFLIGHT
    )


def exit_code_for(run: Run, transitions: Sequence[TransitionRecord]) -> ExitCode:
    """0 did what was asked; 1 failed and rolled back; 2 preflight refused; 4 needs an operator."""
    if run.state in (State.SUCCEEDED, State.AWAITING_CUTOVER):
        return ExitCode.OK
    if run.state is State.REFUSED:
        return ExitCode.USAGE
    if run.state is State.ROLLED_BACK:
        cause = rollback_cause(transitions)
        if cause is None or cause.trigger != Trigger.FAIL:
            return ExitCode.OK  # the operator asked for this rollback
        return ExitCode.USAGE if cause.from_state is State.PREFLIGHT else ExitCode.ROLLED_BACK
    return ExitCode.NEEDS_OPERATOR


def summary_of(run: Run, transitions: Sequence[TransitionRecord]) -> str:
    """One or two sentences for the terminal, the log and the notification."""
    target = f"{run.target.app}/{run.target.blue}"
    previous = run.facts.previous_version_label or "its previous version"
    if run.state is State.SUCCEEDED:
        return f"released {run.version_label} to {target}: blue serves it at its own CNAME"
    if run.state is State.AWAITING_CUTOVER:
        return (
            f"{run.version_label} is deployed on blue behind its temporary URL; production "
            f"still serves {previous} from {run.green}. Next: `bluegreen cutover {run.id}` "
            f"(or `bluegreen rollback {run.id}`)"
        )
    if run.state is State.REFUSED:
        return f"refused before touching anything: {run.error}"
    if run.state is State.ROLLED_BACK:
        return _rolled_back(run, transitions, target, previous)
    if run.state is State.FAILED:
        return (
            f"FAILED and needs an operator: {run.error or run.rollback_reason}. "
            f"`bluegreen resume {run.id}` retries"
        )
    return f"stopped in {run.state}; `bluegreen resume {run.id}` continues"


def _rolled_back(
    run: Run, transitions: Sequence[TransitionRecord], target: str, previous: str
) -> str:
    if failed_in_preflight(transitions):
        return f"refused before touching anything: {run.rollback_reason}"
    if exit_code_for(run, transitions) is ExitCode.OK:
        return f"rolled back as asked: {target} serves {previous}"
    return (
        f"release of {run.version_label} failed and was rolled back: {run.rollback_reason}. "
        f"{target} serves {previous} as before"
    )


def outcome_of(run: Run, transitions: Sequence[TransitionRecord]) -> Outcome:
    return Outcome(run, int(exit_code_for(run, transitions)), summary_of(run, transitions))
