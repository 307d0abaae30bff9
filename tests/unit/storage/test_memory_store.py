"""InMemoryRunStore: what only the in-memory store must take care of (the shared contract
suite in tests/integration/storage holds it to the RunStore semantics)."""

from __future__ import annotations

import threading
from dataclasses import replace

from engine.domain.errors import TargetBusyError
from engine.domain.model import Facts, State
from tests.fakes import FakeClock
from tests.fakes.store import InMemoryRunStore
from tests.unit.storage.builders import T0, make_run


def test_runs_handed_out_are_copies_that_do_not_change_the_store() -> None:
    store = InMemoryRunStore(FakeClock(T0).now)
    run = make_run()
    store.create(run, "runner-a", 60)
    run.state = State.FAILED
    store.get(run.id).facts.blue_env_id = "e-tampered"
    assert store.get(run.id).state is State.PREFLIGHT
    assert store.get(run.id).facts == Facts()


def test_a_saved_run_is_a_copy_too() -> None:
    store = InMemoryRunStore(FakeClock(T0).now)
    run = make_run()
    store.create(run, "runner-a", 60)
    cloned = replace(run, state=State.CLONING, facts=Facts(blue_env_id="e-1"))
    store.save(cloned, "runner-a")
    cloned.facts.blue_env_id = "e-tampered"
    assert store.get(run.id).facts.blue_env_id == "e-1"


def test_threads_creating_runs_for_one_target_let_exactly_one_win() -> None:
    store = InMemoryRunStore(FakeClock(T0).now)
    start, outcomes = threading.Barrier(8), []

    def create(owner: str) -> None:
        start.wait()
        try:
            store.create(make_run(), owner, 60)
            outcomes.append("created")
        except TargetBusyError:
            outcomes.append("busy")

    threads = [threading.Thread(target=create, args=(f"runner-{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["busy"] * 7 + ["created"]
