"""SqliteHistory: the read commands' view of a current SQLite history, through the standard
library's sqlite3 (no SQLAlchemy: `runs list` on 100,000 runs starts in a fraction of a second).

It only reads, and only a history whose schema is at the scripts' head; anything else (a
migration pending, another database) goes through `storage.sql`. Rows are read by column name,
converted as SQLAlchemy stores them (DATETIME: naive UTC text; JSON: text; BOOLEAN: 0/1), and
mapped to the domain by the same functions the SQL store uses (`storage.mapping`). The SQL is
the store's own statements (`storage.queries`) compiled to text (`storage.sql_text`), so the
claimable rule, the worker counts, the filters and the prefix lookup are written once.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from engine.domain import refusals
from engine.domain.errors import StoreError
from engine.domain.model import EventRecord, Run, RunId, TransitionRecord
from engine.domain.ports.queue import WorkerInfo
from engine.domain.ports.runtime import Now, utc_now
from engine.domain.ports.store import RunQuery
from storage import sql_text
from storage.mapping import (
    event_from_row,
    list_values,
    run_from_row,
    transition_from_row,
    worker_from_row,
)
from storage.plain_errors import in_plain_words
from storage.revisions import head_revisions
from storage.sql_text import Statement

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
        rows = self._rows("runs", sql_text.RUN_BY_ID, {"run_id": run_id})
        if not rows:
            rows = self._by_prefix(run_id)
        return run_from_row(rows[0])

    def list_runs(self, query: RunQuery) -> list[Run]:
        values: dict[str, Any] = {k: v for k, v in list_values(query).items() if v is not None}
        if "since" in values:
            values["since"] = _stored(values["since"])
        if query.limit is not None:
            values["limit"] = query.limit
        statement = sql_text.LIST_RUNS[tuple(values)]
        return [run_from_row(row) for row in self._rows("runs", statement, values)]

    def transitions(self, run_id: RunId) -> list[TransitionRecord]:
        rows = self._rows("transitions", sql_text.TRANSITIONS, {"run_id": run_id})
        return [transition_from_row(row) for row in rows]

    def events(self, run_id: RunId) -> list[EventRecord]:
        rows = self._rows("events", sql_text.EVENTS, {"run_id": run_id})
        return [event_from_row(row) for row in rows]

    def workers(self) -> list[WorkerInfo]:
        now = _stored(self._clock())
        rows = self._rows("workers", sql_text.WORKERS, {"now": now})
        return [worker_from_row(row, row.runs_held) for row in rows]

    def queued(self) -> list[Run]:
        now = _stored(self._clock())
        return [run_from_row(r) for r in self._rows("runs", sql_text.CLAIMABLE_RUNS, {"now": now})]

    def prune(self, finished_before: datetime) -> int:
        raise StoreError("this view of the history only reads (prune opens the SQL store)")

    def close(self) -> None:
        self._db.close()

    def _by_prefix(self, prefix: str) -> list[SimpleNamespace]:
        if len(prefix) < refusals.MIN_PREFIX:
            raise refusals.run_not_found(prefix)
        rows = self._rows("runs", sql_text.RUN_BY_PREFIX, {"prefix": prefix})
        if not rows:
            raise refusals.run_not_found(prefix)
        if len(rows) > 1:
            raise refusals.ambiguous_prefix(prefix, [row.id for row in rows])
        return rows

    def _rows(
        self, table: str, statement: Statement, values: Mapping[str, Any]
    ) -> list[SimpleNamespace]:
        known = self._converters[table]
        sql, bound = _expanded(statement[0], {**statement[1], **values})
        try:
            cursor = self._db.execute(sql, bound)
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


def _expanded(sql: str, values: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """`sql` with each list parameter `__[POSTCOMPILE_name]` made one placeholder per item
    (`:name_1, :name_2`), as SQLAlchemy expands it; every value stays bound."""
    bound = dict(values)
    for name, items in values.items():
        if isinstance(items, list):
            names = [f"{name}_{n}" for n in range(1, len(items) + 1)]
            sql = sql.replace(f"__[POSTCOMPILE_{name}]", ", ".join(f":{n}" for n in names))
            del bound[name]
            bound.update(zip(names, items, strict=True))
    return sql, bound
