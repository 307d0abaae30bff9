"""What a notification says about a run: a plain JSON-able summary, per event.

`summary_for` builds it from an `Outcome` (a drive that ended: its verdict is the event),
`started_summary` from a run a drive begins; `NotifyingObserver` posts the events asked for
(`--notify-on`, `engine.domain.notification_events`) in the format asked for
(`engine.operator.notification_formats`) through a `Notifier`, and records how each delivery
ended as an event of the run (source `notify`), written on the notifier's thread: never in the
release's transaction, never raising into it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import UTC, datetime
from typing import Any

from engine.domain import lifecycle
from engine.domain.durations import human_duration, run_duration_seconds
from engine.domain.exit_codes import ExitCode
from engine.domain.lifecycle import Verdict
from engine.domain.model import EventRecord, EventSource, Run, RunId, State
from engine.domain.notification_events import DEFAULT_EVENTS, STARTED, event_of
from engine.domain.ports.cloud import Delivery, Notifier
from engine.operator.notification_formats import payload_for
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
        "event": event_of(verdict),
        "outcome": verdict.name,
        "headline": verdict.headline,
        "exit_code": outcome.exit_code,
        "duration_seconds": duration,
        "error": run.error or run.rollback_reason,
        "summary": outcome.summary,
        "text": _text(run, verdict, duration),
    }


def started_summary(run: Run) -> dict[str, object]:
    """The payload of `started`: the run as a drive begins it (no outcome yet)."""
    return {
        "run_id": str(run.id),
        **without(run_document(run), "id"),
        "event": STARTED,
        "outcome": None,
        "headline": "started",
        "exit_code": None,
        "duration_seconds": None,
        "error": None,
        "summary": f"release of {run.version_label} started",
        "text": f"bluegreen: release of {run.version_label} to {_target(run)} started; "
        f"run {run.id}",
    }


def _target(run: Run) -> str:
    return f"{run.target.app}/{run.target.blue} ({run.target.region})"


def _text(run: Run, verdict: Verdict, duration: float) -> str:
    line = (
        f"bluegreen: release of {run.version_label} to {_target(run)} {verdict.headline}"
        f" after {human_duration(duration)}; run {run.id}"
    )
    reason = run.error or run.rollback_reason
    return f"{line}: {reason}" if reason and verdict is not lifecycle.SUCCEEDED else line


def delivery_event(run_id: str, event: str, fmt: str, delivery: Delivery) -> EventRecord:
    """The history's record of one notification: `notification succeeded (slack,
    https://hooks.slack.com/…) → delivered (HTTP 200, 1 attempt)`."""
    return EventRecord(
        RunId(run_id),
        datetime.now(UTC),
        EventSource.NOTIFY,
        f"notification {event} ({fmt}, {delivery.where}) → {delivery.outcome}",
        {
            "notification": event,
            "format": fmt,
            "where": delivery.where,
            "delivered": delivery.delivered,
            "ok": delivery.delivered,
            "attempts": delivery.attempts,
            "status": delivery.status,
            "error": delivery.error,
        },
    )


Record = Callable[[EventRecord], None]


class NotifyingObserver(NullObserver):
    """An Observer that posts the events asked for: `started` when a drive begins a run, the
    verdict's event when a drive ends; ignores everything else. `record` (None: nothing is
    recorded) takes each delivery's record, on the notifier's thread."""

    def __init__(
        self,
        notifier: Notifier,
        scrub: Callable[[Any], Any] = lambda summary: summary,
        events: Collection[str] = DEFAULT_EVENTS,
        fmt: str = "json",
        record: Record | None = None,
    ) -> None:
        self._notifier = notifier
        self._scrub = scrub  # masks the health URL's secrets: a payload leaves the machine
        self._events = frozenset(events)
        self._fmt = fmt
        self._record = record

    def run_started(self, run: Run) -> None:
        if run.state in lifecycle.ENTRY_STATES:
            self._send(str(run.id), STARTED, lambda: started_summary(run))

    def finished(self, outcome: Outcome) -> None:
        event = event_of(verdict_for(outcome))
        self._send(str(outcome.run.id), event, lambda: summary_for(outcome))

    def _send(self, run_id: str, event: str, summary: Callable[[], dict[str, object]]) -> None:
        if event not in self._events:
            return
        try:
            payload = payload_for(self._fmt, self._scrub(summary()))
            self._notifier.notify(payload, self._recorder(run_id, event))
        except Exception:  # observers never raise; notifiers should not either
            return

    def _recorder(self, run_id: str, event: str) -> Callable[[Delivery], None] | None:
        record = self._record
        if record is None:
            return None
        return lambda delivery: record(delivery_event(run_id, event, self._fmt, delivery))
