"""Migrations: applied on first use, idempotent, in step with the models, race-safe."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from engine.domain.model import State
from storage.database import make_engine
from storage.migrate import alembic_config, current_revisions, head_revisions, script_location
from storage.migrate import upgrade as migrate
from storage.models import Base
from storage.sql import open_store
from tests.integration.storage import race_workers
from tests.unit.storage.builders import make_run

REPO = Path(__file__).resolve().parents[3]
TABLES = {"alembic_version", "runs", "transitions", "events"}

fresh_database = pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)


@pytest.fixture
def url(request: pytest.FixtureRequest, database: str) -> str:
    fixture = "sqlite_url" if database == "sqlite" else "fresh_postgres_url"
    return str(request.getfixturevalue(fixture))


@fresh_database
def test_opening_a_fresh_database_creates_the_schema_at_head(url: str) -> None:
    store = open_store(url)
    try:
        assert set(inspect(store.engine).get_table_names()) == TABLES
        assert current_revisions(store.engine) == head_revisions()
        assert len(head_revisions()) == 1  # one chain: branches are re-chained on merge
    finally:
        store.close()


@fresh_database
def test_migrating_again_changes_nothing_and_keeps_the_runs(url: str) -> None:
    run = make_run()
    store = open_store(url)
    store.create(run, "runner-a", 60)
    migrate(store.engine)
    migrate(url)
    assert open_store(url).get(run.id).state is State.PREFLIGHT
    store.close()


@fresh_database
def test_the_migrations_create_exactly_what_the_models_describe(url: str) -> None:
    store = open_store(url)
    try:
        with store.engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    finally:
        store.close()


@fresh_database
def test_the_schema_can_be_downgraded_to_nothing_and_upgraded_again(url: str) -> None:
    engine = make_engine(url)
    try:
        migrate(engine)
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "base")
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
        migrate(engine)
        assert current_revisions(engine) == head_revisions()
    finally:
        engine.dispose()


@fresh_database
def test_processes_migrating_a_fresh_database_at_once_all_succeed(url: str) -> None:
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    workers = [
        context.Process(target=race_workers.migrate, args=(url, barrier, results)) for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert outcomes == ["migrated", "migrated"]
    engine = make_engine(url)
    assert current_revisions(engine) == head_revisions()
    engine.dispose()


def test_the_checkout_keeps_its_migrations_outside_any_python_package() -> None:
    assert script_location() == REPO / "alembic"
    assert not (REPO / "alembic" / "__init__.py").exists()
    import alembic

    assert alembic.__file__ is not None and Path(alembic.__file__).parent != REPO / "alembic"
