"""SqlRunStore: the RunStore port over SQLAlchemy, on SQLite or PostgreSQL.

Every method is one unit of work (one transaction). SQLAlchemy's errors become the project's
StoreErrors here; the lease checks are part of the same UPDATE that writes, never a prior read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, delete, or_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.dml import ReturningUpdate, Update

from engine.domain import refusals
from engine.domain.errors import StoreError
from engine.domain.model import EventRecord, Run, RunId, Target, TransitionRecord
from engine.domain.ports.runtime import Now, utc_now
from engine.domain.ports.store import RunQuery
from storage.database import SQLITE_BEGIN_OPTION, describe, make_engine
from storage.locations import default_database_url
from storage.mapping import (
    FINISHED_STATES,
    FIRST_TRIGGER,
    event_from_row,
    list_values,
    run_from_row,
    run_values,
    transition_from_row,
)
from storage.migrate import upgrade
from storage.models import EventRow, RunRow, TransitionRow
from storage.queries import by_prefix, events_of, listing, transitions_of
from storage.rows import event_row, new_run_row, transition_row


def open_store(url: str | None = None, clock: Now = utc_now) -> SqlRunStore:
    """The run store at `url` (default: the SQLite file), its schema migrated to the head."""
    engine = make_engine(url or default_database_url())
    try:
        upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return SqlRunStore(engine, clock)


class _Conflict(StoreError):
    """The database refused a write: a unique key or a foreign key."""


class SqlRunStore:
    """Runs, transitions, events and leases in a SQL database (schema: storage.models)."""

    def __init__(self, engine: Engine, clock: Now = utc_now) -> None:
        self._engine = engine
        self._clock = clock
        self._writers = sessionmaker(engine, expire_on_commit=False)
        reader_engine = engine.execution_options(**{SQLITE_BEGIN_OPTION: "DEFERRED"})
        self._readers = sessionmaker(reader_engine, expire_on_commit=False)

    @property
    def engine(self) -> Engine:
        return self._engine

    def close(self) -> None:
        """Close the engine's pooled connections."""
        self._engine.dispose()

    def create(self, run: Run, owner: str, lease_seconds: float) -> None:
        # Retried only when the run that held the target finished in between.
        for _attempt in range(3):
            try:
                self._insert(run, owner, lease_seconds)
                return
            except _Conflict:
                refusal = self._why_refused(run)
                if refusal is not None:
                    raise refusal from None
        raise StoreError(f"could not create run {run.id}: its target kept changing hands")

    def save(
        self,
        run: Run,
        owner: str,
        transition: TransitionRecord | None = None,
        events: Sequence[EventRecord] = (),
    ) -> None:
        ours = (RunRow.id == run.id) & (RunRow.lease_owner == owner)
        with self._uow() as session:
            if not _changed(session, update(RunRow).where(ours).values(**run_values(run))):
                raise _lost(session, run.id, owner)
            rows = [transition_row(transition)] if transition else []
            session.add_all([*rows, *(event_row(e) for e in events)])

    def add_events(self, events: Sequence[EventRecord]) -> None:
        if not events:
            return
        try:
            with self._uow() as session:
                session.add_all([event_row(e) for e in events])
        except _Conflict:
            raise refusals.run_not_found(events[0].run_id) from None

    def get(self, run_id: RunId) -> Run:
        with self._uow(read_only=True) as session:
            row = session.get(RunRow, run_id) or _by_prefix(session, run_id)
            return run_from_row(row)

    def find_unfinished(self, target: Target) -> Run | None:
        with self._uow(read_only=True) as session:
            row = session.scalar(select(RunRow).where(RunRow.active_target == target.key))
            return run_from_row(row) if row else None

    def acquire(self, run_id: RunId, owner: str, lease_seconds: float) -> Run:
        now = self._clock()
        free = or_(
            RunRow.lease_owner.is_(None),
            RunRow.lease_owner == owner,
            RunRow.lease_expires_at <= now,
        )
        lease = {"lease_owner": owner, "lease_expires_at": now + timedelta(seconds=lease_seconds)}
        with self._uow() as session:
            taken = _changed(session, update(RunRow).where(RunRow.id == run_id, free).values(lease))
            row = session.get(RunRow, run_id)
            if row is None:
                raise refusals.run_not_found(run_id)
            if not taken:
                raise refusals.lease_busy(run_from_row(row), now)
            return run_from_row(row)

    def take_over(self, run_id: RunId, owner: str, lease_seconds: float, dead_owner: str) -> Run:
        now = self._clock()
        lease = {"lease_owner": owner, "lease_expires_at": now + timedelta(seconds=lease_seconds)}
        held = (RunRow.id == run_id) & (RunRow.lease_owner == dead_owner)
        with self._uow() as session:
            taken = _changed(session, update(RunRow).where(held).values(lease))
            row = session.get(RunRow, run_id)
            if row is None:
                raise refusals.run_not_found(run_id)
            if not taken:
                raise refusals.lease_busy(run_from_row(row), now)
            return run_from_row(row)

    def renew(self, run_id: RunId, owner: str, lease_seconds: float) -> None:
        expires = self._clock() + timedelta(seconds=lease_seconds)
        ours = (RunRow.id == run_id) & (RunRow.lease_owner == owner)
        with self._uow() as session:
            if not _changed(session, update(RunRow).where(ours).values(lease_expires_at=expires)):
                raise _lost(session, run_id, owner)

    def release(self, run_id: RunId, owner: str) -> None:
        ours = (RunRow.id == run_id) & (RunRow.lease_owner == owner)
        free = {"lease_owner": None, "lease_expires_at": None}
        with self._uow() as session:
            _changed(session, update(RunRow).where(ours).values(free))

    def list_runs(self, query: RunQuery) -> list[Run]:
        with self._uow(read_only=True) as session:
            rows = session.scalars(listing(list_values(query), query.limit))
            return [run_from_row(row) for row in rows]

    def transitions(self, run_id: RunId) -> list[TransitionRecord]:
        with self._uow(read_only=True) as session:
            return [transition_from_row(r) for r in session.scalars(transitions_of(run_id))]

    def events(self, run_id: RunId) -> list[EventRecord]:
        with self._uow(read_only=True) as session:
            return [event_from_row(r) for r in session.scalars(events_of(run_id))]

    def prune(self, finished_before: datetime) -> int:
        old = select(RunRow.id).where(
            RunRow.state.in_([s.value for s in FINISHED_STATES]),
            RunRow.finished_at < finished_before,
        )
        with self._uow() as session:
            for table in (TransitionRow, EventRow):
                session.execute(delete(table).where(table.run_id.in_(old)), _NO_SYNC)
            result = session.execute(delete(RunRow).where(RunRow.id.in_(old)), _NO_SYNC)
            return cast(CursorResult[Any], result).rowcount

    @contextmanager
    def _uow(self, *, read_only: bool = False) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        sessions = self._readers if read_only else self._writers
        try:
            with sessions.begin() as session:
                yield session
        except IntegrityError as exc:
            raise _Conflict(f"the run store refused a write: {describe(exc)}") from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"the run store failed: {describe(exc)}") from exc

    def _insert(self, run: Run, owner: str, lease_seconds: float) -> None:
        expires = self._clock() + timedelta(seconds=lease_seconds)
        row = new_run_row(run)
        row.lease_owner, row.lease_expires_at = owner, expires
        first = TransitionRecord(run.id, None, run.state, FIRST_TRIGGER, run.created_at)
        with self._uow() as session:
            session.add(row)
            session.flush()  # the run row first: its transition references it
            session.add(transition_row(first))
        run.lease_owner, run.lease_expires_at = owner, expires

    def _why_refused(self, run: Run) -> StoreError | None:
        """Why inserting `run` broke a unique key; None when the cause is gone already."""
        with self._uow(read_only=True) as session:
            if session.get(RunRow, run.id) is not None:
                return StoreError(f"a run with id {run.id} exists already")
            holder = session.scalar(select(RunRow).where(RunRow.active_target == run.target.key))
            return refusals.target_busy(run_from_row(holder), self._clock()) if holder else None


_NO_SYNC = {"synchronize_session": False}


def _changed(session: Session, statement: Update | ReturningUpdate[Any]) -> int:
    """Run an UPDATE; the number of rows it changed."""
    result = session.execute(statement, execution_options=_NO_SYNC)
    return cast(CursorResult[Any], result).rowcount


def _lost(session: Session, run_id: RunId, owner: str) -> StoreError:
    row = session.get(RunRow, run_id)
    if row is None:
        return refusals.run_not_found(run_id)
    return refusals.lease_lost(run_id, owner, row.lease_owner)


def _by_prefix(session: Session, prefix: str) -> RunRow:
    if len(prefix) < refusals.MIN_PREFIX:
        raise refusals.run_not_found(prefix)
    rows = session.scalars(by_prefix(prefix)).all()
    if not rows:
        raise refusals.run_not_found(prefix)
    if len(rows) > 1:
        raise refusals.ambiguous_prefix(prefix, [r.id for r in rows])
    return rows[0]
