"""Read commands load only what they need: no boto3, no Alembic on a current history, no
pydantic, no release machinery, and on a current SQLite history no SQLAlchemy either, the
worker pool included (issue 8: they start fast on a big history)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from engine.domain.model import State
from engine.domain.ports.queue import WorkerInfo
from storage.queue import SqlRunQueue
from storage.sql import open_store
from tests.unit.storage.builders import T0, make_run

HEAVY = ("boto3", "botocore", "alembic", "pydantic", "pydantic_settings", "httpx", "moto",
         "transitions", "engine.release.drive", "engine.operator.bootstrap")  # fmt: skip

PROBE = """
import json, sys
from engine.operator.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def loaded_by(*args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


def heavy_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(f"{h}.") for h in HEAVY))


READ_COMMANDS = [
    ("runs", "list", "--json"),
    ("runs", "list"),
    ("status", "--json"),
    ("status",),
    ("workers", "--json"),
    ("workers",),
]


@pytest.fixture
def history(sqlite_url: str) -> str:
    """An existing, current history with a run waiting in the queue and a worker."""
    store = open_store(sqlite_url)
    run = make_run(state=State.QUEUED)
    store.create(run, "submitter", 60)
    store.release(run.id, "submitter")
    SqlRunQueue(store.engine).register(WorkerInfo("w@host:1", "host", 1, 2, T0, T0))
    store.close()
    return sqlite_url


@pytest.mark.parametrize("args", READ_COMMANDS)
def test_a_read_command_loads_no_release_machinery(history: str, args: tuple[str, ...]) -> None:
    assert heavy_in(loaded_by(*args, "--database-url", history)) == []


@pytest.mark.parametrize("args", READ_COMMANDS)
def test_a_read_command_reads_a_current_sqlite_history_without_sqlalchemy(
    history: str, args: tuple[str, ...]
) -> None:
    assert "sqlalchemy" not in loaded_by(*args, "--database-url", history)


def test_help_and_version_load_neither_the_database_nor_the_simulator() -> None:
    for args in (("--help",), ("--version",)):
        modules = loaded_by(*args)
        assert heavy_in(modules) == []
        assert "sqlalchemy" not in modules
        assert "simulator" not in modules
