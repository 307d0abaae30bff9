"""Reading a history that was never written creates nothing: no surprise database file."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from engine.operator.cli import main


def test_reading_a_history_that_does_not_exist_creates_no_database(tmp_path: Path) -> None:
    database = tmp_path / "state" / "bluegreen" / "runs.db"
    env = {"XDG_STATE_HOME": str(tmp_path / "state"), "BLUEGREEN_DATABASE_URL": ""}

    listed = CliRunner().invoke(main, ["runs", "list", "--json"], env=env)
    status = CliRunner().invoke(main, ["status", "--json"], env=env)
    shown = CliRunner().invoke(main, ["runs", "show", "abcd1234"], env=env)

    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.output) == []
    assert status.exit_code == 0, status.output
    assert shown.exit_code == 2
    assert not database.exists()
    assert not database.parent.exists()


def test_an_explicit_sqlite_url_that_does_not_exist_is_read_as_empty(tmp_path: Path) -> None:
    database = tmp_path / "elsewhere.db"

    listed = CliRunner().invoke(
        main, ["runs", "list", "--json", "--database-url", f"sqlite:///{database}"]
    )

    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.output) == []
    assert not database.exists()
