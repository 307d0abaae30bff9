"""Unattended progress: one line per thing that happened, plain timestamped text or JSON.

A waiting line is printed only when what the step waits for, or how an environment looks,
changed since the last one, so a CI log or a cron mail stays short however long the wait.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TextIO

from engine.domain.durations import human_duration, utc
from engine.domain.model import EventRecord, Run, RunId, State, TransitionRecord
from engine.domain.ports.cloud import Environment
from engine.domain.text_checks import printable
from engine.operator.progress.records import (
    event_record,
    finished_record,
    health_text,
    started_record,
    transition_record,
    waiting_record,
    waiting_signature,
)
from engine.release.observer import Outcome
from engine.release.redact import Redactor

Clock = Callable[[], datetime]
LineFormat = Callable[[dict[str, Any]], str]


def utc_now() -> datetime:
    return datetime.now(UTC)


def json_line(record: dict[str, Any]) -> str:
    return json.dumps(record, default=str, separators=(",", ":"))


def text_line(record: dict[str, Any]) -> str:
    """`2026-11-26T13:01:02Z run 1a2b3c4d cloning -> swapping (cloned) after 3m02s`."""
    stamp = _stamp(record["at"])
    return f"{stamp} run {str(record['run_id'])[:8]} {_TEXT_BODIES[record['type']](record)}"


def _stamp(at: str | None) -> str:
    if at is None:
        return "-"
    return utc(datetime.fromisoformat(at)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _started_text(record: dict[str, Any]) -> str:
    return (
        f"started: {record['mode']} release of {record['version_label']} to "
        f"{record['app']}/{record['blue']} in {record['region']} (green {record['green']}), "
        f"state {record['state']}"
    )


def _transition_text(record: dict[str, Any]) -> str:
    line = f"{record['from'] or 'start'} -> {record['to']} ({record['trigger']})"
    if record["step_seconds"] is not None:
        line += f" after {human_duration(record['step_seconds'])}"
    return f"{line}: {record['detail']}" if record["detail"] else line


def _event_text(record: dict[str, Any]) -> str:
    source = record["source"]
    environment = record["data"].get("environment") if source == "eb" else None
    where = f" {environment}" if environment else ""
    marker = " FAILED" if record["failed"] else ""
    return f"{source}{where}{marker}: {record['message']}"


def _environment_text(env: dict[str, Any]) -> str:
    return f"{env['name']} {env['status']} {health_text(env)} {env['version_label'] or '-'}"


def _waiting_text(record: dict[str, Any]) -> str:
    environments = ", ".join(_environment_text(env) for env in record["environments"])
    return f"waiting for {record['what']}: {environments or 'no environment yet'}"


def _finished_text(record: dict[str, Any]) -> str:
    state = "" if record["state"] == record["outcome"] else f"state {record['state']}, "
    line = (
        f"finished: {record['outcome']} ({state}exit {record['exit_code']}) "
        f"after {human_duration(record['duration_seconds'])}: {record['summary']}"
    )
    error = record["error"]
    return f"{line}; error: {error}" if error and error not in record["summary"] else line


_TEXT_BODIES: dict[str, Callable[[dict[str, Any]], str]] = {
    "started": _started_text,
    "transition": _transition_text,
    "event": _event_text,
    "waiting": _waiting_text,
    "finished": _finished_text,
}


class LinesObserver:
    """An Observer writing one redacted line per record; never raises."""

    def __init__(
        self, stream: TextIO, line_format: LineFormat, redactor: Redactor, clock: Clock = utc_now
    ) -> None:
        self._stream = stream
        self._format = line_format
        self._redactor = redactor
        self._clock = clock
        self._lock = threading.Lock()
        self._step_started: dict[RunId, datetime] = {}
        self._last_waiting: dict[RunId, tuple[Any, ...]] = {}
        self._expected_status: dict[RunId, tuple[int, ...]] = {}

    def run_started(self, run: Run) -> None:
        # A new run's first step began when it was created; a resumed run's is unknown.
        if run.state is State.PREFLIGHT:
            self._step_started[run.id] = run.created_at
        self._expected_status[run.id] = run.health.expected_status
        self._emit(started_record(run, self._clock()))

    def transitioned(self, run: Run, record: TransitionRecord) -> None:
        started = self._step_started.get(run.id)
        self._step_started[run.id] = record.at
        self._last_waiting.pop(run.id, None)
        self._emit(transition_record(run, record, started))

    def event(self, record: EventRecord) -> None:
        self._emit(event_record(record, self._expected_status.get(record.run_id, ())))

    def waiting(self, run: Run, what: str, environments: Sequence[Environment]) -> None:
        record = waiting_record(run, what, environments, self._clock())
        signature = waiting_signature(record)
        if self._last_waiting.get(run.id) == signature:
            return
        self._last_waiting[run.id] = signature
        self._emit(record)

    def finished(self, outcome: Outcome) -> None:
        self._step_started.pop(outcome.run.id, None)
        self._last_waiting.pop(outcome.run.id, None)
        self._emit(finished_record(outcome, self._clock()))

    def _emit(self, record: dict[str, Any]) -> None:
        try:
            line = self._format(self._redactor.data(record))
            with self._lock:
                # One record, one line: a newline or an escape sequence from AWS (an EB
                # event's message) is written escaped, never raw.
                self._stream.write(printable(self._redactor.text(line)) + "\n")
                self._stream.flush()
        except Exception:  # observers never raise: progress must not stop a release
            return
