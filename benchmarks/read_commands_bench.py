"""Start-up of the read commands on a big history: `runs list`, `runs show`, `status`,
`workers`, `--version` and `--help`, as a user runs them (a new `bluegreen` process each time).

Builds a SQLite history of RUNS finished runs (each with its transitions and events): one
release is recorded through the store, then copied in bulk. Prints the median and the
spread of REPEATS wall times per command. Target (issue 8): runs list/show under 0.4 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

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
from storage.models import EventRow, RunRow, TransitionRow
from storage.sql import SqlRunStore, open_store

RUNS = int(os.environ.get("BENCH_HISTORY_RUNS", "100000"))
EVENTS_PER_RUN = 12
REPEATS = 5
START = datetime(2026, 1, 1, tzinfo=UTC)
PATH = [State.CLONING, State.SWAPPING, State.DEPLOYING, State.VERIFYING, State.CUTTING_OVER,
        State.CLEANING_UP, State.SUCCEEDED]  # fmt: skip


def template_run(store: SqlRunStore) -> Run:
    """One whole release, recorded through the store as the engine records it."""
    run = Run(
        id=RunId("0" * 12), target=Target("eu-west-1", "shop", "shop-blue"), green="shop-green",
        mode=Mode.FULL, version_label="v1", health=HealthCheck(), state=State.PREFLIGHT,
        created_at=START, updated_at=START,
    )  # fmt: skip
    store.create(run, "bench", 60)
    for step, state in enumerate(PATH, start=1):
        at = START + timedelta(seconds=30 * step)
        record = TransitionRecord(run.id, run.state, state, "next", at)
        events = [
            EventRecord(run.id, at, EventSource.EB, f"event {step}.{n} of the step", {"n": n})
            for n in range(EVENTS_PER_RUN // len(PATH) + 1)
        ]
        finished = at if state.is_final else None
        run = replace(run, state=state, updated_at=at, finished_at=finished)
        store.save(run, "bench", record, events)
    return run


def copies(rows: list[dict[str, Any]], run_id: str, index: int) -> list[dict[str, Any]]:
    shift = timedelta(minutes=index)
    out = []
    for row in rows:
        copy = {key: value for key, value in row.items() if key != "id" or "run_id" not in row}
        copy["run_id" if "run_id" in row else "id"] = run_id
        for key in ("at", "created_at", "updated_at", "finished_at"):
            if isinstance(copy.get(key), datetime):
                copy[key] = copy[key] + shift
        out.append(copy)
    return out


def build_history(url: str) -> str:
    """RUNS copies of one release; returns the id of the newest run."""
    store = open_store(url)
    template = template_run(store)
    engine = store.engine
    with engine.connect() as connection:
        rows = {
            table: [dict(row._mapping) for row in connection.execute(
                select(table).where((table.c.id if table is RunRow.__table__
                                     else table.c.run_id) == template.id))]
            for table in (RunRow.__table__, TransitionRow.__table__, EventRow.__table__)
        }  # fmt: skip
    batch = 5000
    with engine.begin() as connection:
        for start in range(1, RUNS, batch):
            chunk: dict[Any, list[dict[str, Any]]] = {table: [] for table in rows}
            for index in range(start, min(start + batch, RUNS)):
                run_id = f"{index:012x}"
                for table, table_rows in rows.items():
                    chunk[table].extend(copies(table_rows, run_id, index))
            for table, values in chunk.items():
                for value in values:
                    value.pop("id", None) if table is not RunRow.__table__ else None
                connection.execute(insert(table), values)
    store.close()
    return f"{RUNS - 1:012x}"


# As an installed bluegreen starts: its modules compiled once (pip compiles a wheel's at
# install). PYTHONDONTWRITEBYTECODE in the caller's environment would make every start
# compile ~90 modules again (~0.3 s), which no user sees; one warm-up run writes the caches.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def wall_times(command: list[str]) -> list[float]:
    subprocess.run(command, check=True, capture_output=True, timeout=120, env=ENV)  # warm-up
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, timeout=120, env=ENV)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    bluegreen = str(Path(sys.executable).parent / "bluegreen")
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/history.db"
        started = time.perf_counter()
        newest = build_history(url)
        built = time.perf_counter() - started
        print(f"\nread commands on a history of {RUNS:,} runs (built in {built:.0f} s), "
              f"median of {REPEATS} fresh processes after one warm-up:")  # fmt: skip
        database = ["--database-url", url]
        commands = {
            "bluegreen --version": [bluegreen, "--version"],
            "bluegreen --help": [bluegreen, "--help"],
            "bluegreen runs list": [bluegreen, "runs", "list", *database],
            "bluegreen runs list --json": [bluegreen, "runs", "list", "--json", *database],
            "bluegreen runs show ID": [bluegreen, "runs", "show", newest, *database],
            "bluegreen status": [bluegreen, "status", *database],
            "bluegreen workers": [bluegreen, "workers", *database],
        }
        for name, command in commands.items():
            times = wall_times(command)
            print(f"  {name:<28} median {statistics.median(times):.3f} s "
                  f"(min {min(times):.3f}, max {max(times):.3f})")  # fmt: skip


if __name__ == "__main__":
    main()
