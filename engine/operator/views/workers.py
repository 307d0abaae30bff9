"""Views of the worker pool for `bluegreen status`: who works (host, pid, runs held, last
heartbeat) and how many runs wait for a worker."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from engine.domain.durations import human_duration
from engine.domain.model import Run
from engine.domain.ports.queue import WorkerInfo
from engine.operator.views.document import iso

SILENT_AFTER_SECONDS = 120.0  # a heartbeat older than this: the worker is probably gone


def workers_document(
    workers: Sequence[WorkerInfo], queued: Sequence[Run], now: datetime
) -> dict[str, Any]:
    return {
        "workers": [_worker(w, now) for w in workers],
        "queue": [{"id": r.id, "target": r.target.key, "state": r.state.value,
                   "created_at": iso(r.created_at)} for r in queued],
    }  # fmt: skip


def _worker(worker: WorkerInfo, now: datetime) -> dict[str, Any]:
    silent = (now - worker.heartbeat_at).total_seconds()
    state = "draining" if worker.draining else "silent" if silent > SILENT_AFTER_SECONDS else "up"
    return {
        "id": worker.id, "host": worker.host, "pid": worker.pid, "state": state,
        "runs_held": worker.runs_held, "concurrency": worker.concurrency,
        "heartbeat_at": iso(worker.heartbeat_at), "heartbeat_seconds_ago": round(silent, 1),
    }  # fmt: skip


def workers_table(document: dict[str, Any]) -> RenderableType:
    workers, queue = document["workers"], document["queue"]
    heading: RenderableType
    if not workers:
        heading = Text("no workers registered (`bluegreen worker` starts one)")
    else:
        heading = table = Table("worker", "host", "pid", "runs held", "last heartbeat", "state")
        for w in workers:
            table.add_row(
                w["id"], w["host"], str(w["pid"]), f"{w['runs_held']}/{w['concurrency']}",
                f"{human_duration(w['heartbeat_seconds_ago'])} ago", w["state"],
            )  # fmt: skip
    waiting = ", ".join(f"{q['id']} ({q['target']}, {q['state']})" for q in queue) or "empty"
    return Group(heading, Text(f"queue: {len(queue)} run(s) waiting for a worker: {waiting}"))
