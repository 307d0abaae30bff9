"""Test values for the storage tests: runs and history records from T0 (the tests' clock,
`tests.fakes.FakeClock(T0)`, moves only when told to)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from engine.domain.model import (
    EventRecord,
    EventSource,
    HealthCheck,
    Mode,
    Run,
    RunId,
    State,
    Target,
    TransitionRecord,
)
from engine.domain.ports.store import RunStore

T0 = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
TARGET = Target(region="eu-west-1", app="shop", blue="shop-blue")


def make_run(**changes: Any) -> Run:
    values: dict[str, Any] = {
        "id": RunId(uuid.uuid4().hex),
        "target": TARGET,
        "green": "shop-green",
        "mode": Mode.FULL,
        "version_label": "v2",
        "health": HealthCheck(),
        "state": State.PREFLIGHT,
        "created_at": T0,
        "updated_at": T0,
    }
    return Run(**{**values, **changes})


def at(minutes: float) -> datetime:
    """T0 plus some minutes."""
    return T0 + timedelta(minutes=minutes)


def transition(run: Run, to: State, trigger: str = "next", minutes: float = 1) -> TransitionRecord:
    return TransitionRecord(run.id, run.state, to, trigger, at(minutes))


def event(run: Run, message: str, minutes: float = 1, **data: Any) -> EventRecord:
    return EventRecord(run.id, at(minutes), EventSource.ENGINE, message, data)


def finish(store: RunStore, run_id: RunId, state: State, minutes: float = 10) -> None:
    """Move a run (leased to runner-a) to `state`, finished some minutes after T0."""
    run = store.get(run_id)
    store.save(
        replace(run, state=state, finished_at=at(minutes), updated_at=at(minutes)),
        "runner-a",
        transition(run, state, minutes=minutes),
    )
