"""How a drive ended, in words and as an exit code, decided from the run and its history."""

from __future__ import annotations

from collections.abc import Sequence

from engine.domain import lifecycle
from engine.domain.exit_codes import ExitCode
from engine.domain.model import Run, State, TransitionRecord
from engine.domain.verdicts import exit_code_of, verdict_of
from engine.release.observer import Outcome


def exit_code_for(run: Run, transitions: Sequence[TransitionRecord]) -> ExitCode:
    """The run's exit code (`engine.domain.verdicts`, the one rule every view uses); a drive
    that stopped in a working state exits 4: an operator resumes it."""
    code = exit_code_of(run, transitions)
    return ExitCode.NEEDS_OPERATOR if code is None else code


def summary_of(run: Run, transitions: Sequence[TransitionRecord]) -> str:
    """One or two sentences for the terminal, the log and the notification."""
    target = f"{run.target.app}/{run.target.blue}"
    previous = run.facts.previous_version_label or "its previous version"
    if run.state is State.SUCCEEDED:
        return f"released {run.version_label} to {target}: blue serves it at its own CNAME"
    if run.state is State.AWAITING_CUTOVER:
        return (
            f"{run.version_label} is deployed on blue; {_try_it(run)}; production still serves "
            f"{previous} from {run.green}. Next: `bluegreen cutover {run.id}` "
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


def _try_it(run: Run) -> str:
    """Where the new version answers before the cutover: green's own CNAME, which the swap
    handed to blue (the live CNAME is green's until the cutover)."""
    if not run.facts.green_cname:
        return "it answers at green's former CNAME"
    path = run.health.path if run.health.path.startswith("/") else "/"
    return f"try the new version at http://{run.facts.green_cname}{path}"


def _rolled_back(
    run: Run, transitions: Sequence[TransitionRecord], target: str, previous: str
) -> str:
    verdict = verdict_of(run, transitions)
    if verdict is lifecycle.REFUSED:  # recorded before the `refused` state existed
        return f"refused before touching anything: {run.rollback_reason}"
    if verdict is lifecycle.ROLLED_BACK_BY_OPERATOR:
        return f"rolled back as asked: {target} serves {run.rollback_version or previous}"
    return (
        f"release of {run.version_label} failed and was rolled back: {run.rollback_reason}. "
        f"{target} serves {previous} as before"
    )


def outcome_of(run: Run, transitions: Sequence[TransitionRecord]) -> Outcome:
    verdict = verdict_of(run, transitions)
    code = exit_code_for(run, transitions)
    return Outcome(run, int(code), summary_of(run, transitions), verdict=verdict)
