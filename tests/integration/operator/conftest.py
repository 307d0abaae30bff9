"""A real SQLite run store (storage.sql.open_store) filled with release-shaped histories,
written through the RunStore port the way the engine writes them."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from engine.domain.model import Facts, State
from engine.domain.ports.store import RunStore
from engine.operator.runs_commands import runs_group, status_command, workers_command
from storage.sql import open_store
from tests.fakes.clock import FakeClock
from tests.unit.operator.releases import (
    History,
    rolled_back_release,
    running_release,
    succeeded_release,
    waiting_release,
)

LOADER = "loader@test:1"


NOW = datetime.now(UTC).replace(microsecond=0)


def load(
    store: RunStore,
    clock: FakeClock,
    history: History,
    lease: tuple[str, datetime] | None = None,
) -> None:
    """Write a history as the engine would: create, one save per transition, events, the end;
    then leave the lease to `lease` (owner, expiry) or free it."""
    clock.set_to(history.run.created_at)
    first = history.transitions[0].to_state
    start = replace(
        history.run, state=first, facts=Facts(), error=None, finished_at=None,
        rollback_reason=None, updated_at=history.run.created_at,
    )  # fmt: skip
    store.create(start, LOADER, 3600)
    for record in history.transitions[1:]:
        store.save(replace(history.run, state=record.to_state, finished_at=None), LOADER, record)
    store.add_events(history.events)
    store.save(history.run, LOADER)
    store.release(history.run.id, LOADER)
    if lease is not None:
        owner, expires = lease
        clock.set_to(expires - timedelta(seconds=60))
        store.acquire(history.run.id, owner, 60)


@dataclass
class Releases:
    url: str
    old: History
    succeeded: History
    rolled_back: History
    other_app: History
    waiting: History
    running: History
    abandoned: History
    old_failed: History

    def cli(self, *args: str, env: dict[str, str] | None = None) -> Result:
        alone = {"status": status_command, "workers": workers_command}
        group = alone.get(args[0], runs_group)
        argv = list(args[1:] if args[0] in alone else args)
        # A wide table whatever the test process's own terminal (pytest-xdist workers have
        # COLUMNS of their own): the texts the tests look for stay on one line.
        wide = {"COLUMNS": "200", **(env or {})}
        return CliRunner().invoke(group, [*argv, "--database-url", self.url], env=wide)


def fill(url: str) -> Releases:
    """Eight runs: finished ones of two apps (one 40 days old), one waiting for cutover, one
    in progress with a live lease, one whose runner died, one failed."""
    day = timedelta(days=1)
    old = succeeded_release("0ld5ucce55000001", created_at=NOW - 40 * day)
    succeeded = succeeded_release("5ucce55000000002", created_at=NOW - 2 * day)
    rolled_back = rolled_back_release("f00dfeed00000003", created_at=NOW - day)
    other_app = succeeded_release(
        "b10900000000004", created_at=NOW - 3 * day, app="blog", blue="blog-blue"
    )
    waiting = waiting_release(
        "wa171n9000000005", created_at=NOW - 5 * day, app="blog", blue="blog-blue"
    )
    running = running_release("runn1n9000000006", created_at=NOW - timedelta(minutes=10))
    abandoned = running_release(
        "aband0ned0000007", created_at=NOW - timedelta(hours=3), blue="shop-api"
    )
    old_failed = replace_state(
        running_release("fa11ed0000000008", created_at=NOW - 60 * day, blue="shop-worker"),
        State.FAILED,
    )
    clock = FakeClock(NOW)
    store = open_store(url, clock.now)
    try:
        for history in (old, succeeded, rolled_back, other_app, waiting, old_failed):
            load(store, clock, history)
        load(store, clock, running, ("runner-b@host2:99", NOW + timedelta(hours=1)))
        load(store, clock, abandoned, ("runner-c@host3:7", NOW - timedelta(hours=2)))
    finally:
        store.close()
    histories = (old, succeeded, rolled_back, other_app, waiting, running, abandoned, old_failed)
    return Releases(url, *histories)


@pytest.fixture(scope="session")
def filled_database(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Releases]:
    """The eight runs on one SQLite file, filled once per session."""
    path = tmp_path_factory.mktemp("history") / "runs.db"
    return path, fill(f"sqlite:///{path}")


@pytest.fixture
def releases(filled_database: tuple[Path, Releases], tmp_path: Path) -> Releases:
    """A private copy of the filled database for one test (prune changes it)."""
    source, template = filled_database
    copy = tmp_path / "runs.db"
    shutil.copyfile(source, copy)
    return replace(template, url=f"sqlite:///{copy}")


def replace_state(history: History, state: State) -> History:
    """A run that gave up during its rollback: failed, finished, lease free."""
    history.move(30, "fail", State.ROLLING_BACK, "deploy of v2 failed: blue is Red")
    history.move(600, "give_up", state, "could not terminate green: Rate exceeded")
    return history.finish(error="could not terminate green: Rate exceeded")
