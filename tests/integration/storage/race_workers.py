"""Code that runs in child processes of the storage race tests (spawned: importable here)."""

from __future__ import annotations

import traceback
from dataclasses import replace
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from typing import Any

from engine.domain.errors import TargetBusyError
from engine.domain.model import RunId, State
from engine.domain.ports.store import RunQuery
from storage.migrate import upgrade
from storage.sql import open_store
from tests.unit.storage.builders import TARGET, at, event, make_run, transition


def migrate(url: str, barrier: Barrier, results: Queue[Any]) -> None:
    """Migrate `url` at the same moment as the other workers."""
    try:
        barrier.wait(timeout=30)
        upgrade(url)
        results.put("migrated")
    except Exception:
        results.put(traceback.format_exc())


def create_runs(
    url: str, owner: str, blues: list[str], barrier: Barrier, results: Queue[Any]
) -> None:
    """Try to create a run for each target, in step with another worker doing the same."""
    outcomes: dict[str, str] = {}
    store = open_store(url)
    try:
        barrier.wait(timeout=30)
        for blue in blues:
            run = make_run(id=RunId(f"{owner}-{blue}"), target=replace(TARGET, blue=blue))
            try:
                store.create(run, owner, 60)
                outcomes[blue] = "created"
            except TargetBusyError as busy:
                outcomes[blue] = f"busy: {busy}"
    except Exception:
        outcomes["error"] = traceback.format_exc()
    finally:
        store.close()
    results.put((owner, outcomes))


def write_history(url: str, owner: str, saves: int, barrier: Barrier, results: Queue[Any]) -> None:
    """Create a run and save it many times, with events, while others write the same file."""
    store = open_store(url)
    try:
        run = make_run(id=RunId(owner), target=replace(TARGET, blue=owner))
        store.create(run, owner, 60)
        barrier.wait(timeout=30)
        for n in range(saves):
            state = State.CLONING if n % 2 else State.PREFLIGHT
            moved = replace(run, state=state, updated_at=at(n))
            store.save(moved, owner, transition(run, state, minutes=n), [event(run, f"save {n}")])
            store.add_events([event(run, f"extra {n}", minutes=n)])
            store.renew(run.id, owner, 60)
            store.list_runs(RunQuery())
        results.put((owner, "ok"))
    except Exception:
        results.put((owner, traceback.format_exc()))
    finally:
        store.close()
