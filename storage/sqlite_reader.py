"""SqliteHistory: the read commands' view of a current SQLite history, through the standard
library's sqlite3 (no SQLAlchemy: `runs list` on 100,000 runs starts in a fraction of a second).

It only reads, and only a history whose schema is at the scripts' head; anything else (a
migration pending, another database) goes through `storage.sql`. Rows are read by column name,
converted as SQLAlchemy stores them (DATETIME: naive UTC text; JSON: text; BOOLEAN: 0/1), and
mapped to the domain by the same functions the SQL store uses (`storage.mapping`). The worker
pool (`status`, `workers`) reads as `storage.queue.SqlRunQueue` reads it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from engine.domain import refusals
from engine.domain.errors import StoreError
from engine.domain.model import EventRecord, Run, RunId, State, TransitionRecord
from engine.domain.ports.queue import WorkerInfo
from engine.domain.ports.runtime import Now, utc_now
from engine.domain.ports.store import RunQuery
from storage.mapping import (
    DRIVEN,
    GATED,
    event_from_row,
    run_from_row,
    transition_from_row,
    worker_from_row,
)
from storage.plain_errors import in_plain_words
from storage.revisions import head_revisions

BUSY_TIMEOUT_SECONDS = 30.0
STORED_TIME = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's SQLite DATETIME, naive UTC


def _time_from(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC)


def _json_from(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _bool_from(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _stored(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(STORED_TIME)


def claimable(now: datetime) -> tuple[str, list[Any]]:
    """The WHERE clause (and its values) of the runs a worker may claim at `now`: the rule
    claims use (`storage.queue._claimable`) spelled for sqlite3; keep the two alike."""
    driven, gated = ", ".join("?" for _ in DRIVEN), ", ".join("?" for _ in GATED)
    sql = (
        f"active_target IS NOT NULL AND ((state IN ({driven})"
        " AND ((state = ? AND (lease_owner IS NULL OR lease_expires_at <= ?))"
        " OR (lease_owner IS NOT NULL AND lease_expires_at <= ?)))"
        f" OR (state IN ({gated}) AND gate_deadline <= ?"
        " AND (lease_owner IS NULL OR lease_expires_at <= ?)))"
    )
    at = _stored(now)
    return sql, [*DRIVEN, State.QUEUED.value, at, at, *GATED, at, at]


# A worker's runs_held, as SqlRunQueue.workers counts them: its unexpired leases.
WORKERS = """
SELECT workers.*, coalesce(held.runs, 0) AS runs_held FROM workers LEFT JOIN (
    SELECT lease_owner, count(*) AS runs FROM runs
    WHERE lease_owner IS NOT NULL AND lease_expires_at > ? GROUP BY lease_owner
) AS held ON held.lease_owner = workers.id
ORDER BY workers.host, workers.pid, workers.id
"""


class SqliteHistory:
    """The `RunHistory` and `WorkerPool` ports, read-only, over one SQLite file."""

    def __init__(self, connection: sqlite3.Connection, clock: Now = utc_now) -> None:
        self._db = connection
        self._clock = clock
        self._converters = {table: self._column_converters(table)
                            for table in ("runs", "transitions", "events", "workers")}  # fmt: skip

    @classmethod
    def open_current(cls, path: Path, clock: Now = utc_now) -> SqliteHistory | None:
        """The history in `path` if its schema is at the head; None if it needs migrating.
        `clock`: the time leases are judged by (workers, queued)."""
        try:
            connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)
            connection.execute("PRAGMA query_only = ON")
            if _revisions(connection) != head_revisions():
                connection.close()
                return None
            return cls(connection, clock)
        except sqlite3.Error as error:
            raise StoreError(
                f"cannot read the run history at {path}: {in_plain_words(str(error))}"
            ) from error

    def get(self, run_id: RunId) -> Run:
        rows = self._rows("runs", "SELECT * FROM runs WHERE id = ?", (run_id,))
        if not rows:
            rows = self._by_prefix(run_id)
        return run_from_row(rows[0])

    def list_runs(self, query: RunQuery) -> list[Run]:
        where, values = _filters(query)
        # The clauses name fixed columns; every value is a bound parameter.
        sql = f"SELECT * FROM runs{where} ORDER BY created_at DESC, id DESC"  # noqa: S608
        if query.limit is not None:
            sql, values = f"{sql} LIMIT ?", [*values, query.limit]
        return [run_from_row(row) for row in self._rows("runs", sql, values)]

    def transitions(self, run_id: RunId) -> list[TransitionRecord]:
        sql = "SELECT * FROM transitions WHERE run_id = ? ORDER BY id"
        return [transition_from_row(row) for row in self._rows("transitions", sql, (run_id,))]

    def events(self, run_id: RunId) -> list[EventRecord]:
        sql = "SELECT * FROM events WHERE run_id = ? ORDER BY at, id"
        return [event_from_row(row) for row in self._rows("events", sql, (run_id,))]

    def workers(self) -> list[WorkerInfo]:
        rows = self._rows("workers", WORKERS, (_stored(self._clock()),))
        return [worker_from_row(row, row.runs_held) for row in rows]

    def queued(self) -> list[Run]:
        where, values = claimable(self._clock())
        # The clause names fixed columns; every value is a bound parameter.
        sql = f"SELECT * FROM runs WHERE {where} ORDER BY created_at, id"  # noqa: S608
        return [run_from_row(row) for row in self._rows("runs", sql, values)]

    def prune(self, finished_before: datetime) -> int:
        raise StoreError("this view of the history only reads (prune opens the SQL store)")

    def close(self) -> None:
        self._db.close()

    def _by_prefix(self, prefix: str) -> list[SimpleNamespace]:
        if len(prefix) < refusals.MIN_PREFIX:
            raise refusals.run_not_found(prefix)
        # substr, not LIKE: SQLite's LIKE ignores case and treats _ and % as wildcards.
        sql = "SELECT * FROM runs WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 4"
        rows = self._rows("runs", sql, (len(prefix), prefix))
        if not rows:
            raise refusals.run_not_found(prefix)
        if len(rows) > 1:
            raise refusals.ambiguous_prefix(prefix, [row.id for row in rows])
        return rows

    def _rows(self, table: str, sql: str, values: Sequence[Any]) -> list[SimpleNamespace]:
        known = self._converters[table]
        try:
            cursor = self._db.execute(sql, tuple(values))
            names = [column[0] for column in cursor.description]
            converts = [known.get(name, _same) for name in names]  # computed columns: as is
            return [
                SimpleNamespace(**{n: c(v) for n, c, v in zip(names, converts, row, strict=True)})
                for row in cursor.fetchall()
            ]
        except sqlite3.Error as error:
            raise StoreError(
                f"cannot read the run history: {in_plain_words(str(error))}"
            ) from error

    def _column_converters(self, table: str) -> dict[str, Callable[[Any], Any]]:
        """Per column, how SQLAlchemy's stored value reads back (by the declared type)."""
        columns = self._db.execute(f"PRAGMA table_info({table})").fetchall()
        kinds: dict[str, Callable[[Any], Any]] = {
            "DATETIME": _time_from, "JSON": _json_from, "BOOLEAN": _bool_from,
        }  # fmt: skip
        return {name: kinds.get(str(kind).upper(), _same) for _, name, kind, *_ in columns}


def _same(value: Any) -> Any:
    return value


def _revisions(connection: sqlite3.Connection) -> set[str]:
    table = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    if connection.execute(table).fetchone() is None:
        return set()
    return {str(row[0]) for row in connection.execute("SELECT version_num FROM alembic_version")}


def _filters(query: RunQuery) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    values: list[Any] = []
    for column, value in (("app", query.app), ("blue", query.blue)):
        if value is not None:
            clauses.append(f"{column} = ?")
            values.append(value)
    if query.states:
        clauses.append(f"state IN ({', '.join('?' for _ in query.states)})")
        values.extend(state.value for state in query.states)
    if query.since is not None:
        clauses.append("created_at >= ?")
        values.append(_stored(query.since))
    return (f" WHERE {' AND '.join(clauses)}" if clauses else ""), values
