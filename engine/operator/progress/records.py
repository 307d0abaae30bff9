"""The records progress output is made of, one per observer call, as JSON-able dicts.

JSON lines print them as they are; plain lines and the live view format them for people.
Types: started | transition | event | waiting | finished.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from engine.domain.durations import run_duration_seconds, seconds_between
from engine.domain.model import EventRecord, Run, TransitionRecord
from engine.domain.ports.cloud import Environment
from engine.operator.notifications import outcome_name
from engine.operator.views.document import iso, run_document, without
from engine.operator.views.history import is_failure
from engine.release.observer import Outcome


def started_record(run: Run, now: datetime) -> dict[str, Any]:
    return {
        "type": "started",
        "at": iso(now),
        "run_id": run.id,
        **without(run_document(run), "id"),
    }


def transition_record(
    run: Run, record: TransitionRecord, step_started_at: datetime | None
) -> dict[str, Any]:
    """`step_seconds` is how long the run spent in `from` (None when this process did not
    see the step start); `elapsed_seconds` counts from the run's creation."""
    return {
        "type": "transition",
        "at": iso(record.at),
        "run_id": run.id,
        "from": None if record.from_state is None else record.from_state.value,
        "to": record.to_state.value,
        "trigger": record.trigger,
        "detail": record.detail,
        "step_seconds": (
            None if step_started_at is None else seconds_between(step_started_at, record.at)
        ),
        "elapsed_seconds": seconds_between(run.created_at, record.at),
    }


def event_record(record: EventRecord, expected_status: Sequence[int] = ()) -> dict[str, Any]:
    return {
        "type": "event",
        "at": iso(record.at),
        "run_id": record.run_id,
        "source": record.source.value,
        "message": record.message,
        "data": dict(record.data),
        "failed": is_failure(record, expected_status),
    }


def environment_record(environment: Environment) -> dict[str, Any]:
    return {
        "name": environment.name,
        "id": environment.id,
        "status": environment.status,
        "health": environment.health,
        "health_status": environment.health_status,
        "version_label": environment.version_label,
        "cname": environment.cname,
    }


def health_text(environment: dict[str, Any]) -> str:
    """An environment record's health for people: `Green/Ok`, or `Grey` without a status."""
    health, status = environment["health"], environment["health_status"]
    return f"{health}/{status}" if status else str(health)


def waiting_record(
    run: Run, what: str, environments: Sequence[Environment], now: datetime
) -> dict[str, Any]:
    return {
        "type": "waiting",
        "at": iso(now),
        "run_id": run.id,
        "state": run.state.value,
        "what": what,
        "environments": [environment_record(environment) for environment in environments],
        "elapsed_seconds": seconds_between(run.created_at, now),
    }


def waiting_signature(record: dict[str, Any]) -> tuple[Any, ...]:
    """What must change for another waiting line to be worth printing."""
    environments = tuple(tuple(sorted(env.items())) for env in record["environments"])
    return (record["state"], record["what"], environments)


def finished_record(outcome: Outcome, now: datetime) -> dict[str, Any]:
    run = outcome.run
    return {
        "type": "finished",
        "at": iso(now),
        "run_id": run.id,
        "state": run.state.value,
        "outcome": outcome_name(outcome),
        "exit_code": outcome.exit_code,
        "summary": outcome.summary,
        "error": run.error or run.rollback_reason,
        "rollback_reason": run.rollback_reason,
        "created_at": iso(run.created_at),
        "finished_at": iso(run.finished_at) if run.state.is_final else None,
        "duration_seconds": run_duration_seconds(run, now=now),
    }
