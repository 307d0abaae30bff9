"""Database errors reach the operator in plain words, the driver's own kept after them."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.domain.errors import StoreError
from storage.plain_errors import in_plain_words
from storage.sql import open_store


def test_a_locked_sqlite_file_reads_as_what_it_means() -> None:
    assert in_plain_words("database is locked") == (
        "the SQLite file stayed locked by another process (a runner writing to it) for too "
        "long; try again (database is locked)"
    )
    assert in_plain_words("something new") == "something new"


def test_a_file_that_is_no_database_is_said_so(tmp_path: Path) -> None:
    junk = tmp_path / "runs.db"
    junk.write_bytes(b"this is not sqlite" * 100)

    with pytest.raises(StoreError, match="the file is not a SQLite database") as raised:
        open_store(f"sqlite:///{junk}").close()
    assert "sqlalchemy" not in str(raised.value).lower()
