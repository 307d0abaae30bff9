"""The run history's read rules, written once as SQLAlchemy Core: which runs a worker may claim,
what a worker holds, how `runs list` filters and orders, how an id prefix finds its run.

The SQL store and queue execute these statements; `storage.build_sql_text` compiles them for
SQLite into `storage.sql_text`, the text the fast reader (`storage.sqlite_reader`, which must
not import SQLAlchemy) runs. Every value stays a bound parameter: a statement is given plain
values here, or named `bindparam`s when it is compiled to text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, or_, select

from engine.domain.model import State
from storage.mapping import DRIVEN, GATED, LIST_FILTERS
from storage.models import EventRow, RunRow, TransitionRow, WorkerRow

OLDEST_FIRST = (RunRow.created_at, RunRow.id)  # the order claims take runs in, and `queued`
NEWEST_FIRST = (RunRow.created_at.desc(), RunRow.id.desc())  # `runs list`
PREFIX_MATCHES_SHOWN = 4  # an ambiguous prefix names at most this many runs

# Per `runs list` filter (storage.mapping.LIST_FILTERS names them): its condition.
_FILTERS: dict[str, Callable[[Any], ColumnElement[bool]]] = {
    "app": lambda app: RunRow.app == app,
    "blue": lambda blue: RunRow.blue == blue,
    "states": lambda states: RunRow.state.in_(states),
    "since": lambda since: RunRow.created_at >= since,
    "batch": lambda batch: RunRow.batch == batch,
}
assert tuple(_FILTERS) == LIST_FILTERS


def claimable(now: Any) -> ColumnElement[bool]:
    """Runs a worker may claim at `now`: holding their target, and either in a state workers
    drive, queued without a live lease or leased with the lease run out; or resting at a timed
    gate past its deadline, with no live lease. A new way to become claimable is one more term
    of the last `or_` (then `python -m storage.build_sql_text`)."""
    unleased = RunRow.lease_owner.is_(None) | (RunRow.lease_expires_at <= now)
    queued = (RunRow.state == State.QUEUED.value) & unleased
    abandoned = RunRow.lease_owner.is_not(None) & (RunRow.lease_expires_at <= now)
    driven = RunRow.state.in_(DRIVEN) & or_(queued, abandoned)
    timed_out = RunRow.state.in_(GATED) & (RunRow.gate_deadline <= now) & unleased
    return and_(RunRow.active_target.is_not(None), or_(driven, timed_out))


def claimable_runs(now: Any) -> Select[RunRow]:
    """Every claimable run, oldest first (`status`'s queue)."""
    return select(RunRow).where(claimable(now)).order_by(*OLDEST_FIRST)


def workers_holding(now: Any) -> Select[WorkerRow, int]:
    """Each worker with `runs_held`, the runs it holds an unexpired lease on, by place."""
    held = (
        select(RunRow.lease_owner, func.count().label("runs"))
        .where(RunRow.lease_owner.is_not(None), RunRow.lease_expires_at > now)
        .group_by(RunRow.lease_owner)
        .subquery("held")
    )
    runs_held = func.coalesce(held.c.runs, 0).label("runs_held")
    return (
        select(WorkerRow, runs_held)
        .outerjoin(held, held.c.lease_owner == WorkerRow.id)
        .order_by(WorkerRow.host, WorkerRow.pid, WorkerRow.id)
    )


def listing(values: Mapping[str, Any], limit: Any = None) -> Select[RunRow]:
    """`runs list`: the runs matching every filter given (a name of LIST_FILTERS whose value
    is not None), newest first, at most `limit` (None: all)."""
    given = [_FILTERS[name](value) for name, value in values.items() if value is not None]
    statement = select(RunRow).where(*given).order_by(*NEWEST_FIRST)
    return statement if limit is None else statement.limit(limit)


def by_prefix(prefix: Any) -> Select[RunRow]:
    """The runs whose id starts with `prefix`, enough of them to name an ambiguity.
    substr, not LIKE: SQLite's LIKE ignores case and treats _ and % as wildcards."""
    starts = func.substr(RunRow.id, 1, func.length(prefix)) == prefix
    return select(RunRow).where(starts).order_by(RunRow.id).limit(PREFIX_MATCHES_SHOWN)


def by_id(run_id: Any) -> Select[RunRow]:
    return select(RunRow).where(RunRow.id == run_id)


def transitions_of(run_id: Any) -> Select[TransitionRow]:
    return select(TransitionRow).where(TransitionRow.run_id == run_id).order_by(TransitionRow.id)


def events_of(run_id: Any) -> Select[EventRow]:
    return select(EventRow).where(EventRow.run_id == run_id).order_by(EventRow.at, EventRow.id)


def named(name: str, *, many: bool = False) -> Any:
    """The placeholder a statement is compiled with: the reader binds `name` by name."""
    return bindparam(name, expanding=many)
