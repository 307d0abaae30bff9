"""The tables: runs, their transitions and their events (SQLAlchemy 2.0 typed declarative).

`runs.active_target` holds the run's target key while the run is unfinished and NULL after;
its UNIQUE constraint is how the database enforces one unfinished run per target.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAME = 255  # names, labels and ids: generous, EB's own limits are shorter

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out; SQLite stores them naive (as UTC), PostgreSQL as
    timestamptz. Naive values are refused: they are ambiguous."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the run store needs aware UTC times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class RunRow(Base):
    """One release: inputs, state, facts learned in AWS, outcome and lease."""

    __tablename__ = "runs"
    __table_args__ = (
        Index("ix_runs_created_at", "created_at"),
        Index("ix_runs_app", "app"),
        Index("ix_runs_blue", "blue"),
        Index("ix_runs_state", "state"),
        Index("ix_runs_finished_at", "finished_at"),
        Index("ix_runs_batch", "batch"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    region: Mapped[str] = mapped_column(String(64))
    app: Mapped[str] = mapped_column(String(NAME))
    blue: Mapped[str] = mapped_column(String(NAME))
    green: Mapped[str] = mapped_column(String(NAME))
    mode: Mapped[str] = mapped_column(String(16))
    # engine.domain.model.Strategy; NULL: written before strategies existed (swap-back).
    strategy: Mapped[str | None] = mapped_column(String(16))
    version_label: Mapped[str] = mapped_column(String(NAME))
    input_bundle_path: Mapped[str | None] = mapped_column(Text)
    input_bundle_bucket: Mapped[str | None] = mapped_column(String(NAME))
    health_check: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(32))
    # Facts: what the run learned and did in AWS.
    blue_env_id: Mapped[str | None] = mapped_column(String(NAME))
    blue_cname: Mapped[str | None] = mapped_column(String(NAME))
    previous_version_label: Mapped[str | None] = mapped_column(String(NAME))
    green_env_id: Mapped[str | None] = mapped_column(String(NAME))
    green_cname: Mapped[str | None] = mapped_column(String(NAME))
    template_name: Mapped[str | None] = mapped_column(String(NAME))
    bundle_bucket: Mapped[str | None] = mapped_column(String(NAME))
    bundle_key: Mapped[str | None] = mapped_column(Text)
    requested: Mapped[str | None] = mapped_column(Text)
    requested_at: Mapped[str | None] = mapped_column(String(64))
    swapped_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    swapped_back_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Settle time, bake window and alarms (engine.domain.model.Guards); NULL: the defaults.
    guards: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    route53_request: Mapped[str | None] = mapped_column(Text)
    route53_records: Mapped[str | None] = mapped_column(Text)
    route53_pending: Mapped[str | None] = mapped_column(Text)
    # Hook points done (comma-separated) and the cutover gate's deadline.
    hooks_done: Mapped[str | None] = mapped_column(Text)
    gate_deadline: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The run whose kept environment (--keep-old forever) this run adopted as its green.
    adopted_from_run: Mapped[str | None] = mapped_column(String(NAME))
    # Outcome.
    error: Mapped[str | None] = mapped_column(Text)
    rollback_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Lease and the one-unfinished-run-per-target key.
    lease_owner: Mapped[str | None] = mapped_column(String(NAME))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    active_target: Mapped[str | None] = mapped_column(String(1024), unique=True)
    # The engine that created the run (set once, at creation).
    engine_version: Mapped[str | None] = mapped_column(String(64))
    engine_revision: Mapped[int | None] = mapped_column(Integer)
    # The fleet release the run belongs to (`submit --targets`; set once, at creation).
    batch: Mapped[str | None] = mapped_column(String(64))


class TransitionRow(Base):
    """One step of a run's state machine."""

    __tablename__ = "transitions"
    __table_args__ = (Index("ix_transitions_run_id", "run_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    trigger: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    detail: Mapped[str | None] = mapped_column(Text)


class EventRow(Base):
    """One thing that happened during a run (engine, EB, probe, AWS, operator)."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_run_id_at", "run_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    source: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class WorkerRow(Base):
    """One `bluegreen worker` process: who it is and when it last said it was alive."""

    __tablename__ = "workers"

    id: Mapped[str] = mapped_column(String(NAME), primary_key=True)  # its lease owner id
    host: Mapped[str] = mapped_column(String(NAME))
    pid: Mapped[int] = mapped_column()
    concurrency: Mapped[int] = mapped_column()
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    heartbeat_at: Mapped[datetime] = mapped_column(UtcDateTime)
    draining: Mapped[bool] = mapped_column(default=False)
