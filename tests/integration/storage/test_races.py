"""Real processes racing on one database: the database, not luck, keeps them apart."""

from __future__ import annotations

import multiprocessing
from typing import Any

import pytest

from engine.domain.model import RunId
from engine.domain.ports.store import RunQuery
from storage.sql import open_store
from tests.integration.storage import race_workers

TARGETS = [f"blue-{n}" for n in range(10)]
both_databases = pytest.mark.parametrize(
    "fixture", ["sqlite_url", pytest.param("empty_postgres_url", marks=pytest.mark.postgres)]
)


def run_workers(target: Any, args: list[tuple[Any, ...]]) -> list[Any]:
    """Start one spawned process per argument tuple (each also gets a shared barrier and a
    results queue), and collect what each puts in the queue."""
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(len(args)), context.Queue()
    workers = [context.Process(target=target, args=(*a, barrier, results)) for a in args]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    return outcomes


@both_databases
def test_two_processes_creating_runs_for_the_same_targets_win_each_exactly_once(
    request: pytest.FixtureRequest, fixture: str
) -> None:
    url = request.getfixturevalue(fixture)
    open_store(url).close()  # migrated first: this race is about the runs
    outcomes = dict(
        run_workers(race_workers.create_runs, [(url, "ann", TARGETS), (url, "bob", TARGETS)])
    )
    for blue in TARGETS:
        winner, loser = sorted(("ann", "bob"), key=lambda o: outcomes[o][blue] != "created")
        assert outcomes[winner][blue] == "created", outcomes
        refusal = outcomes[loser][blue]
        assert refusal.startswith("busy: "), refusal
        assert f"run {winner}-{blue}" in refusal and f"leased to {winner}" in refusal
    store = open_store(url)
    assert len(store.list_runs(RunQuery(limit=None))) == len(TARGETS)
    store.close()


def test_many_processes_writing_one_sqlite_file_never_find_it_locked(sqlite_url: str) -> None:
    open_store(sqlite_url).close()
    owners, saves = [f"writer-{n}" for n in range(4)], 25
    outcomes = dict(
        run_workers(race_workers.write_history, [(sqlite_url, o, saves) for o in owners])
    )
    assert outcomes == {owner: "ok" for owner in owners}
    store = open_store(sqlite_url)
    for owner in owners:
        assert len(store.transitions(RunId(owner))) == 1 + saves
        assert len(store.events(RunId(owner))) == 2 * saves
    store.close()
