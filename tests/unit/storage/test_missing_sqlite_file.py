"""Which history URLs name a SQLite file that does not exist yet (read as empty, not created)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.database import missing_sqlite_file


def test_a_sqlite_file_that_does_not_exist_is_missing(tmp_path: Path) -> None:
    assert missing_sqlite_file(f"sqlite:///{tmp_path / 'runs.db'}") == tmp_path / "runs.db"


def test_an_existing_sqlite_file_is_not_missing(tmp_path: Path) -> None:
    (tmp_path / "runs.db").touch()

    assert missing_sqlite_file(f"sqlite:///{tmp_path / 'runs.db'}") is None


def test_the_default_url_follows_xdg_state_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))

    assert missing_sqlite_file(None) == tmp_path / "bluegreen" / "runs.db"


@pytest.mark.parametrize(
    "url", ["postgresql+psycopg://postgres@127.0.0.1:5432/test", "sqlite://", "sqlite:///:memory:"]
)
def test_servers_and_memory_databases_are_never_missing(url: str) -> None:
    assert missing_sqlite_file(url) is None
