"""What a notification says about a drive that ended: a plain JSON-able summary of the run.

`summary_for` builds it from an `Outcome`; `NotifyingObserver` posts it through a `Notifier`
when the runner reports the drive finished (succeeded, rolled back, failed, waiting, interrupted).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from engine.domain import lifecycle
from engine.domain.durations import human_duration, run_duration_seconds
from engine.domain.exit_codes import ExitCode
from engine.domain.lifecycle import Verdict
from engine.domain.model import Run, State
from engine.domain.ports.cloud import Notifier
from engine.operator.views.document import run_document, without
from engine.release.observer import NullObserver, Outcome


def verdict_for(outcome: Outcome) -> Verdict:
    """The drive's verdict (`engine.domain.lifecycle.VERDICTS`); a drive that stopped mid-way
    for a reason of its own (lease lost, database down) needs an operator: failed."""
    if outcome.verdict is not None:
        return outcome.verdict
    if outcome.exit_code == ExitCode.INTERRUPTED:
        return lifecycle.INTERRUPTED
    if outcome.run.state is State.ROLLED_BACK:  # who asked for it is in the exit code
        if outcome.exit_code == ExitCode.OK:
            return lifecycle.ROLLED_BACK_BY_OPERATOR
        return lifecycle.REFUSED if outcome.exit_code == ExitCode.USAGE else lifecycle.ROLLED_BACK
    return outcome.run.state.info.verdict or lifecycle.FAILED


def outcome_name(outcome: Outcome) -> str:
    """succeeded | awaiting_cutover | rolled_back | rolled_back_by_operator | refused | failed |
    interrupted."""
    return verdict_for(outcome).name


def summary_for(outcome: Outcome, now: datetime | None = None) -> dict[str, object]:
    """The notification payload; `text` is a one-line, Slack-compatible human summary."""
    run = outcome.run
    verdict = verdict_for(outcome)
    duration = round(run_duration_seconds(run, now=now or datetime.now(UTC)), 1)
    return {
        "run_id": str(run.id),
        **without(run_document(run), "id"),
        "outcome": verdict.name,
        "exit_code": outcome.exit_code,
        "duration_seconds": duration,
        "error": run.error or run.rollback_reason,
        "summary": outcome.summary,
        "text": _text(run, verdict, duration),
    }


def _text(run: Run, verdict: Verdict, duration: float) -> str:
    target = f"{run.target.app}/{run.target.blue} ({run.target.region})"
    line = (
        f"bluegreen: release of {run.version_label} to {target} {verdict.headline}"
        f" after {human_duration(duration)}; run {run.id}"
    )
    reason = run.error or run.rollback_reason
    return f"{line}: {reason}" if reason and verdict is not lifecycle.SUCCEEDED else line


class NotifyingObserver(NullObserver):
    """An Observer that posts the summary of every finished drive; ignores everything else."""

    def __init__(
        self, notifier: Notifier, scrub: Callable[[Any], Any] = lambda summary: summary
    ) -> None:
        self._notifier = notifier
        self._scrub = scrub  # masks the health URL's secrets: a payload leaves the machine

    def finished(self, outcome: Outcome) -> None:
        try:
            self._notifier.notify(self._scrub(summary_for(outcome)))
        except Exception:  # observers never raise; notifiers should not either
            return
