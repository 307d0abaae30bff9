"""Domain values turned into the ORM rows of `storage.models` (the write side of the mapping)."""

from __future__ import annotations

from engine.domain.model import EventRecord, Run, TransitionRecord
from storage.mapping import jsonable, run_values
from storage.models import EventRow, RunRow, TransitionRow


def new_run_row(run: Run) -> RunRow:
    values = run_values(run)
    stamp = {"engine_version": run.engine_version, "engine_revision": run.engine_revision}
    return RunRow(id=run.id, created_at=run.created_at, batch=run.batch, **values, **stamp)


def transition_row(record: TransitionRecord) -> TransitionRow:
    return TransitionRow(
        run_id=record.run_id,
        from_state=record.from_state.value if record.from_state else None,
        to_state=record.to_state.value,
        trigger=record.trigger,
        at=record.at,
        detail=record.detail,
    )


def event_row(record: EventRecord) -> EventRow:
    return EventRow(
        run_id=record.run_id,
        at=record.at,
        source=record.source.value,
        message=record.message,
        data=jsonable(record.data),
    )
