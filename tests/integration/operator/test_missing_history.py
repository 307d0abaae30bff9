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
    assert json.loads(listed.stdout) == []
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
    assert json.loads(listed.stdout) == []
    assert not database.exists()


def test_status_of_a_mistyped_history_warns_and_never_says_every_target_is_free(
    tmp_path: Path,
) -> None:
    typo = tmp_path / "rusn.db"

    status = CliRunner().invoke(main, ["status", "--database-url", f"sqlite:///{typo}"])

    assert status.exit_code == 0, status.output
    assert f"warning: the history sqlite:///{typo} does not exist" in status.stderr
    assert "every target is free" not in status.output
    assert "nothing is known of any target" in status.stdout
    assert not typo.exists()


def test_every_read_command_names_the_history_it_read(tmp_path: Path) -> None:
    env = {"XDG_STATE_HOME": str(tmp_path / "state"), "BLUEGREEN_DATABASE_URL": ""}
    default = tmp_path / "state" / "bluegreen" / "runs.db"

    for args in (["runs", "list"], ["status"], ["workers", "--json"], ["runs", "show", "ab12"]):
        result = CliRunner().invoke(main, args, env=env)

        assert f"the history sqlite:///{default} (the default;" in result.stderr, args
        assert "BLUEGREEN_DATABASE_URL" in result.stderr, args
    assert not default.exists()
