"""Views of run history: the timeline of a run's steps and the JSON documents `runs` prints.

Pure functions over `engine.domain.model` records (no click, no storage, no I/O). The table, the
JSON output and the HTML report are all rendered from the same documents built here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from engine.domain.durations import (
    human_duration,
    run_duration_seconds,
    run_end,
    seconds_between,
    utc,
)
from engine.domain.model import EventRecord, EventSource, Run, State, TransitionRecord
from engine.domain.verdicts import verdict_of
from engine.operator.views.document import iso, run_document, without
from engine.operator.views.windows import windows_of


@dataclass(frozen=True)
class Step:
    """A stretch of time the run spent in one state; `ended_at` is None while it lasts."""

    state: State
    started_at: datetime
    ended_at: datetime | None

    @property
    def duration_seconds(self) -> float | None:
        if self.ended_at is None:
            return None
        return seconds_between(self.started_at, self.ended_at)


def steps_of(run: Run, transitions: Sequence[TransitionRecord]) -> list[Step]:
    """The run's steps in order; the closed ones add up exactly to the run's duration."""
    entries = _state_entries(run, transitions)
    finished = run.state.is_final and bool(entries) and entries[-1][0].is_final
    end = run_end(run, transitions)
    steps: list[Step] = []
    for index, (state, started_at) in enumerate(entries):
        is_last = index == len(entries) - 1
        if is_last and finished:
            break
        if is_last:
            steps.append(Step(state, started_at, None))
            continue
        next_start = entries[index + 1][1]
        ends_run = finished and index == len(entries) - 2
        steps.append(Step(state, started_at, max(end, started_at) if ends_run else next_start))
    return steps


def _state_entries(
    run: Run, transitions: Sequence[TransitionRecord]
) -> list[tuple[State, datetime]]:
    """(state, entered at) pairs; times never go backwards (clock skew between runners)."""
    created = utc(run.created_at)
    if not transitions:
        return [(run.state, created)]
    first = transitions[0]
    entries = [] if first.from_state is None else [(first.from_state, created)]
    for record in transitions:
        previous = entries[-1][1] if entries else created
        entries.append((record.to_state, max(previous, utc(record.at))))
    entries[0] = (entries[0][0], created)
    return entries


def outcome_of(run: Run, transitions: Sequence[TransitionRecord]) -> dict[str, Any]:
    """The run's verdict as `runs show` and the report give it: the exit code is the one its
    command exited with (`engine.domain.verdicts`), for every final and resting state."""
    verdict = verdict_of(run, transitions)
    if verdict is None:
        return {"state": run.state.value, "verdict": None, "exit_code": None,
                "meaning": "in progress"}  # fmt: skip
    return {
        "state": run.state.value,
        "verdict": verdict.name,
        "exit_code": int(verdict.exit_code),
        "meaning": verdict.meaning,
    }


def run_summary(run: Run, transitions: Sequence[TransitionRecord]) -> dict[str, Any]:
    """One row of `runs list --json`."""
    return {
        **run_document(run),
        "finished_at": iso(run.finished_at) if run.state.is_final else None,
        "duration_seconds": run_duration_seconds(run, transitions),
        # The error that ended the release: a rolled-back run keeps it as the rollback's reason.
        "error": run.error or run.rollback_reason,
        "batch": run.batch,  # the fleet release (`submit --targets`) it is part of, or None
    }


def run_detail(
    run: Run, transitions: Sequence[TransitionRecord], events: Sequence[EventRecord]
) -> dict[str, Any]:
    """The document of `runs show --json` and `runs export`, and the report's data."""
    steps = steps_of(run, transitions)
    ordered_events = sorted(events, key=lambda record: utc(record.at))
    return {
        **run_summary(run, transitions),
        "updated_at": iso(run.updated_at),
        "inputs": inputs_of(run),
        "facts": {k: _jsonable(v) for k, v in asdict(run.facts).items()},
        "outcome": outcome_of(run, transitions),
        "rollback_reason": run.rollback_reason,
        "rollback": rollback_of(run, transitions, steps, ordered_events),
        "lease": {"owner": run.lease_owner, "expires_at": iso(run.lease_expires_at)},
        "steps": [step_json(run, step) for step in steps],
        "windows": windows_of(run, ordered_events),
        "transitions": [transition_json(run, record) for record in transitions],
        "events": [event_json(run, record) for record in ordered_events],
    }


def inputs_of(run: Run) -> dict[str, Any]:
    bundle = None if run.bundle is None else {"path": run.bundle.path, "bucket": run.bundle.bucket}
    health = asdict(run.health)
    health["expected_status"] = list(run.health.expected_status)
    identity = without(run_document(run), "id", "previous_version_label", "state", "created_at")
    return {
        **identity,
        "bundle": bundle,
        "health_check": health,
        "guards": {
            **asdict(run.guards),
            "alarms": list(run.guards.alarms),
            "hooks": [hook.text for hook in run.guards.hooks],
            "on_timeout": run.guards.on_timeout.value,
        },
    }


def _jsonable(value: object) -> object:
    return iso(value) if isinstance(value, datetime) else value


def health_check_text(health: dict[str, Any]) -> str:
    """An `inputs.health_check` document in words: `/ expecting 200, 3 in a row within 5.0s`."""
    expected = "/".join(map(str, health["expected_status"]))
    return (
        f"{health['path']} expecting {expected}, "
        f"{health['successes']} in a row within {human_duration(health['deadline_seconds'])}"
    )


def offset_seconds(run: Run, moment: datetime) -> float:
    return seconds_between(run.created_at, moment)


def step_json(run: Run, step: Step) -> dict[str, Any]:
    return {
        "state": step.state.value,
        "started_at": iso(step.started_at),
        "ended_at": iso(step.ended_at),
        "duration_seconds": step.duration_seconds,
        "offset_seconds": offset_seconds(run, step.started_at),
    }


def transition_json(run: Run, record: TransitionRecord) -> dict[str, Any]:
    return {
        "from": None if record.from_state is None else record.from_state.value,
        "to": record.to_state.value,
        "trigger": record.trigger,
        "at": iso(record.at),
        "detail": record.detail,
        "offset_seconds": offset_seconds(run, record.at),
    }


def event_json(run: Run, record: EventRecord) -> dict[str, Any]:
    return {
        "at": iso(record.at),
        "source": record.source.value,
        "message": record.message,
        "data": dict(record.data),
        "offset_seconds": offset_seconds(run, record.at),
        "failed": is_failure(record),
    }


def is_failure(record: EventRecord, expected_status: Sequence[int] = ()) -> bool:
    """A failed probe (an error, or a status other than the expected ones; >= 400 when they
    are not known), or an event flagged as an error (EB severity ERROR/FATAL)."""
    data = record.data
    if isinstance(data.get("ok"), bool):
        return data["ok"] is False
    level = str(data.get("level", data.get("severity", ""))).upper()
    if level in ("ERROR", "FATAL"):
        return True
    if record.source is not EventSource.PROBE:
        return False
    status = data.get("status")
    if data.get("error") or not isinstance(status, int):
        return True
    return status not in expected_status if expected_status else status >= 400


def rollback_of(
    run: Run,
    transitions: Sequence[TransitionRecord],
    steps: Sequence[Step],
    events: Sequence[EventRecord],
) -> dict[str, Any] | None:
    """What the rollback undid: its reason, its time span and what happened meanwhile."""
    windows = [step for step in steps if step.state is State.ROLLING_BACK]
    if not windows:
        return None
    started = windows[0].started_at
    ended = windows[-1].ended_at
    starts = [record for record in transitions if record.to_state is State.ROLLING_BACK]
    return {
        "reason": run.rollback_reason or (starts[0].detail if starts else None),
        "started_at": iso(started),
        "ended_at": iso(ended),
        "duration_seconds": sum(step.duration_seconds or 0.0 for step in windows),
        "events": [event_json(run, record) for record in events if _within(record.at, windows)],
    }


def _within(moment: datetime, windows: Sequence[Step]) -> bool:
    at = utc(moment)
    return any(
        step.started_at <= at and (step.ended_at is None or at <= step.ended_at) for step in windows
    )
