"""What a notification says about a drive that ended: a plain JSON-able summary of the run.

`summary_for` builds it from an `Outcome`; `NotifyingObserver` posts it through a `Notifier`
when the runner reports the drive finished (succeeded, rolled back, failed, waiting, interrupted).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from engine.domain.exit_codes import ExitCode
from engine.domain.model import Run, State
from engine.domain.ports.cloud import Notifier
from engine.operator.views.document import run_document, without
from engine.release.observer import NullObserver, Outcome

_OUTCOME_OF_STATE = {
    State.SUCCEEDED: "succeeded",
    State.ROLLED_BACK: "rolled_back",
    State.REFUSED: "refused",
    State.AWAITING_CUTOVER: "awaiting_cutover",
}

_TEXT_OF_OUTCOME = {
    "succeeded": "succeeded",
    "rolled_back": "failed and was rolled back (production untouched)",
    "refused": "was refused in preflight (bad input; nothing changed)",
    "failed": "FAILED and needs an operator (bluegreen resume)",
    "awaiting_cutover": "is deployed and waits for cutover",
    "interrupted": "was interrupted (bluegreen resume)",
}


def outcome_name(outcome: Outcome) -> str:
    """succeeded | rolled_back | refused | failed | awaiting_cutover | interrupted."""
    if outcome.exit_code == ExitCode.INTERRUPTED:
        return "interrupted"
    return _OUTCOME_OF_STATE.get(outcome.run.state, "failed")


def summary_for(outcome: Outcome, now: datetime | None = None) -> dict[str, object]:
    """The notification payload; `text` is a one-line, Slack-compatible human summary."""
    run = outcome.run
    name = outcome_name(outcome)
    duration = _duration_seconds(run, now or datetime.now(UTC))
    return {
        "run_id": str(run.id),
        **without(run_document(run), "id"),
        "outcome": name,
        "exit_code": outcome.exit_code,
        "duration_seconds": duration,
        "error": run.error or run.rollback_reason,
        "summary": outcome.summary,
        "text": _text(run, name, duration),
    }


def _duration_seconds(run: Run, now: datetime) -> float:
    end = run.finished_at or now
    return round(max((_aware(end) - _aware(run.created_at)).total_seconds(), 0.0), 1)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _text(run: Run, name: str, duration: float) -> str:
    target = f"{run.target.app}/{run.target.blue} ({run.target.region})"
    line = (
        f"bluegreen: release of {run.version_label} to {target} {_TEXT_OF_OUTCOME[name]}"
        f" after {_human_duration(duration)}; run {run.id}"
    )
    reason = run.error or run.rollback_reason
    return f"{line}: {reason}" if reason and name != "succeeded" else line


def _human_duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


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
