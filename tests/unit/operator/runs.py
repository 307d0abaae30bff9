"""Runs in a given end state, for notification specs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from engine.domain.model import Facts, HealthCheck, Mode, Run, RunId, State, Target

STARTED = datetime(2025, 5, 20, 12, 0, tzinfo=UTC)


def finished_run(state: State, seconds: float = 754.0, **changes: object) -> Run:
    run = Run(
        id=RunId("run-7f3a"),
        target=Target(region="eu-west-1", app="shop", blue="shop-blue"),
        green="shop-green",
        mode=Mode.FULL,
        version_label="v2",
        health=HealthCheck(),
        state=state,
        created_at=STARTED,
        updated_at=STARTED + timedelta(seconds=seconds),
        facts=Facts(previous_version_label="v1"),
        finished_at=STARTED + timedelta(seconds=seconds) if state.is_final else None,
    )
    for name, value in changes.items():
        setattr(run, name, value)
    return run
