"""End-to-end fixtures: a seeded release target in the session's simulator, and `bluegreen`
run as a subprocess with a history database of the test's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator import Simulator
from simulator.seed import ReleaseTarget, seed_release_target
from tests.e2e.cli import APP, BLUE, Cli

VERSIONS = {"v1": {}, "v2": {}, "broken": {"status": 500, "body": "boom"}}


@pytest.fixture
def target(sim: Simulator) -> ReleaseTarget:
    """shop-blue Ready on v1; versions v2 (good) and broken (answers 500)."""
    return seed_release_target(sim, app=APP, blue=BLUE, versions=VERSIONS)


@pytest.fixture
def cli(sim: Simulator, target: ReleaseTarget, tmp_path: Path, history_url: str) -> Cli:
    return Cli(sim, tmp_path, database_url=history_url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_db_cli(
    request: pytest.FixtureRequest, sim: Simulator, target: ReleaseTarget, tmp_path: Path
) -> Cli:
    """The CLI with its history on SQLite, then on PostgreSQL (the shared-history set-up)."""
    if request.param == "sqlite":
        return Cli(sim, tmp_path)
    return Cli(sim, tmp_path, database_url=request.getfixturevalue("empty_postgres_url"))
