"""Between rows and domain values: `engine.domain.model` never sees a row, the tables
never a Run. No SQLAlchemy import here (the fast read path uses it too); building the ORM
rows is `storage.rows`."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from engine.domain.hooks import OnTimeout, parse_hook
from engine.domain.lifecycle import Kind, states_where
from engine.domain.model import (
    Bundle,
    EventRecord,
    EventSource,
    Facts,
    Guards,
    HealthCheck,
    Mode,
    Run,
    RunId,
    State,
    Strategy,
    Target,
    TransitionRecord,
)
from engine.domain.ports.queue import WorkerInfo
from engine.domain.ports.store import RunQuery

# A stored row, read by attribute: an ORM row of storage.models or one of storage.sqlite_reader.
Row = Any
FACT_COLUMNS = tuple(Facts.__dataclass_fields__)
FIRST_TRIGGER = "start"  # the trigger of the transition a new run is created with
# From the lifecycle table: finished runs free their target and may be pruned; a worker may
# claim a run resting in a state it drives (the claimable rule: `storage.queries.claimable`).
FINISHED_STATES = states_where(frees_target=True)
DRIVEN = tuple(state.value for state in states_where(worker_drives=True))
# Resting states a worker takes once their timed gate is past its deadline
# (`facts.gate_deadline`, set only with `deploy --cutover-timeout`).
GATED = tuple(state.value for state in states_where(kind=Kind.RESTING))


def list_values(query: RunQuery) -> dict[str, Any]:
    """The `runs list` filters of `query` by name (None: not filtered on), as bound values."""
    states = [state.value for state in query.states] if query.states else None
    return {"app": query.app, "blue": query.blue, "states": states, "since": query.since,
            "batch": query.batch}  # fmt: skip


LIST_FILTERS = ("app", "blue", "states", "since", "batch")  # the names list_values gives


def active_target(run: Run) -> str | None:
    """The unique key an unfinished run holds; NULL once it succeeded or rolled back."""
    return run.target.key if run.state.is_unfinished else None


def run_values(run: Run) -> dict[str, Any]:
    """The columns a run's owner may change (everything but id, created_at and the lease)."""
    return {
        "region": run.target.region,
        "app": run.target.app,
        "blue": run.target.blue,
        "green": run.green,
        "mode": run.mode.value,
        "strategy": run.strategy.value,
        "version_label": run.version_label,
        "input_bundle_path": run.bundle.path if run.bundle else None,
        "input_bundle_bucket": run.bundle.bucket if run.bundle else None,
        "health_check": health_to_json(run.health),
        "guards": guards_to_json(run.guards),
        "state": run.state.value,
        **asdict(run.facts),
        "error": run.error,
        "rollback_reason": run.rollback_reason,
        "updated_at": run.updated_at,
        "finished_at": run.finished_at,
        "active_target": active_target(run),
    }


def run_from_row(row: Row) -> Run:
    bundle = None
    if row.input_bundle_path is not None and row.input_bundle_bucket is not None:
        bundle = Bundle(path=row.input_bundle_path, bucket=row.input_bundle_bucket)
    return Run(
        id=RunId(row.id),
        target=Target(region=row.region, app=row.app, blue=row.blue),
        green=row.green,
        mode=Mode(row.mode),
        strategy=Strategy(row.strategy) if row.strategy else Strategy.SWAP_BACK,
        version_label=row.version_label,
        health=health_from_json(row.health_check),
        state=State(row.state),
        created_at=row.created_at,
        updated_at=row.updated_at,
        facts=Facts(**{name: getattr(row, name) for name in FACT_COLUMNS}),
        bundle=bundle,
        guards=guards_from_json(row.guards),
        finished_at=row.finished_at,
        error=row.error,
        rollback_reason=row.rollback_reason,
        lease_owner=row.lease_owner,
        lease_expires_at=row.lease_expires_at,
        engine_version=row.engine_version,
        engine_revision=row.engine_revision,
        batch=row.batch,
    )


def jsonable(data: dict[str, Any]) -> dict[str, Any]:
    """Event data as it reads back from any store: JSON values, other values as strings."""
    result: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return result


def health_to_json(health: HealthCheck) -> dict[str, Any]:
    values = asdict(health)
    values["expected_status"] = list(health.expected_status)
    return values


def health_from_json(values: dict[str, Any]) -> HealthCheck:
    known = {k: v for k, v in values.items() if k in HealthCheck.__dataclass_fields__}
    if "expected_status" in known:
        known["expected_status"] = tuple(known["expected_status"])
    return HealthCheck(**known)


def guards_to_json(guards: Guards) -> dict[str, Any]:
    values = asdict(guards)
    values["alarms"] = list(guards.alarms)
    values["hooks"] = [hook.text for hook in guards.hooks]
    values["on_timeout"] = guards.on_timeout.value
    return values


def guards_from_json(values: dict[str, Any] | None) -> Guards:
    """A run stored before guards existed reads with the defaults."""
    known = {k: v for k, v in (values or {}).items() if k in Guards.__dataclass_fields__}
    if "alarms" in known:
        known["alarms"] = tuple(known["alarms"])
    if "hooks" in known:  # stored as given (`POINT=COMMAND`), checked when they were given
        known["hooks"] = tuple(parse_hook(text) for text in known["hooks"])
    if "on_timeout" in known:
        known["on_timeout"] = OnTimeout(known["on_timeout"])
    return Guards(**known)


def worker_from_row(row: Row, runs_held: int) -> WorkerInfo:
    return WorkerInfo(
        row.id, row.host, row.pid, row.concurrency, row.started_at, row.heartbeat_at,
        row.draining, runs_held,
    )  # fmt: skip


def transition_from_row(row: Row) -> TransitionRecord:
    return TransitionRecord(
        run_id=RunId(row.run_id),
        from_state=State(row.from_state) if row.from_state else None,
        to_state=State(row.to_state),
        trigger=row.trigger,
        at=row.at,
        detail=row.detail,
    )


def event_from_row(row: Row) -> EventRecord:
    return EventRecord(
        run_id=RunId(row.run_id),
        at=row.at,
        source=EventSource(row.source),
        message=row.message,
        data=dict(row.data or {}),
    )
