"""The storage tests' fixtures: the RunStore under contract
(every implementation: memory, SQLite, PostgreSQL) with a clock that moves when told to."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine.domain.ports.store import RunStore
from storage.sql import open_store
from tests.fakes import FakeClock
from tests.fakes.store import InMemoryRunStore
from tests.unit.storage.builders import T0


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, clock: FakeClock) -> Iterator[RunStore]:
    """Each contract test runs once per RunStore implementation."""
    if request.param == "memory":
        yield InMemoryRunStore(clock.now)
        return
    fixture = "sqlite_url" if request.param == "sqlite" else "empty_postgres_url"
    sql_store = open_store(request.getfixturevalue(fixture), clock.now)
    yield sql_store
    sql_store.close()
