"""`runs report` and `runs export --output` never write over the history database or a file
that is not one of their own outputs without --force; `runs prune` takes ages like `7d` and
refuses non-finite and out-of-range ones."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from engine.domain.model import State
from engine.operator.cli import main
from storage.sql import open_store
from tests.unit.storage.builders import make_run

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "runs.db"
    store = open_store(f"sqlite:///{path}")
    run = make_run(
        state=State.SUCCEEDED,
        id="abcd1234",
        created_at=LONG_AGO,
        updated_at=LONG_AGO,
        finished_at=LONG_AGO,
    )
    store.create(run, "runner", 60)
    store.close()
    return path


def invoke(database: Path, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--database-url", f"sqlite:///{database}"])


def refused_in_one_line(result: Result, text: str) -> None:
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert text in result.stderr, result.stderr


@pytest.mark.parametrize("command", ["report", "export"])
@pytest.mark.parametrize("companion", ["", "-wal", "-shm"])
def test_the_history_database_is_never_an_output(
    database: Path, command: str, companion: str
) -> None:
    target = database.with_name(database.name + companion)
    before = database.read_bytes()

    result = invoke(database, "runs", command, "abcd", "--output", str(target), "--force")

    refused_in_one_line(result, "is the run history database")
    assert database.read_bytes() == before
    assert invoke(database, "runs", "show", "abcd").exit_code == 0


@pytest.mark.parametrize("command", ["report", "export"])
def test_a_file_that_is_not_its_own_output_is_kept_unless_forced(
    database: Path, tmp_path: Path, command: str
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")

    refused = invoke(database, "runs", command, "abcd", "-o", str(notes))

    refused_in_one_line(refused, "is not a bluegreen")
    assert notes.read_text() == "my notes\n"
    forced = invoke(database, "runs", command, "abcd", "-o", str(notes), "--force")
    assert forced.exit_code == 0, forced.output
    assert notes.read_text() != "my notes\n"


@pytest.mark.parametrize(("command", "name"), [("report", "r.html"), ("export", "r.json")])
def test_its_own_earlier_output_is_replaced_without_force(
    database: Path, tmp_path: Path, command: str, name: str
) -> None:
    output = tmp_path / name

    first = invoke(database, "runs", command, "abcd", "-o", str(output))
    again = invoke(database, "runs", command, "abcd", "-o", str(output))

    assert (first.exit_code, again.exit_code) == (0, 0), again.output
    assert f"wrote {output}" in again.output
    if command == "export":
        assert json.loads(output.read_text())["id"] == "abcd1234"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_export_without_output_prints_the_document(database: Path) -> None:
    result = invoke(database, "runs", "export", "abcd")

    assert result.exit_code == 0
    assert json.loads(result.stdout)["state"] == "succeeded"


@pytest.mark.parametrize("age", ["nan", "inf", "-1", "1e10", "36501", "99999999999d", "7x", ""])
def test_prune_refuses_an_age_that_is_not_finite_or_in_range(database: Path, age: str) -> None:
    result = invoke(database, "runs", "prune", "--older-than", age)

    refused_in_one_line(result, "--older-than")
    assert invoke(database, "runs", "show", "abcd").exit_code == 0


@pytest.mark.parametrize(("age", "deleted"), [("7d", "deleted 1 run"), ("30", "deleted 1 run"),
                                              ("36500", "deleted 0 runs")])  # fmt: skip
def test_prune_takes_days_or_an_age_like_runs_list_since(
    database: Path, age: str, deleted: str
) -> None:
    result = invoke(database, "runs", "prune", "--older-than", age)

    assert result.exit_code == 0, result.output
    assert deleted in result.output
