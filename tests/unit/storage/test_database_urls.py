"""Database URLs: the default location, the PostgreSQL driver, and masked passwords."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.database import default_database_path, default_database_url, normalize_url, safe_url


def test_the_default_database_lives_under_xdg_state_home() -> None:
    environ = {"XDG_STATE_HOME": "/var/lib/ci/state"}
    assert default_database_path(environ) == Path("/var/lib/ci/state/bluegreen/runs.db")
    assert default_database_url(environ) == "sqlite:////var/lib/ci/state/bluegreen/runs.db"


@pytest.mark.parametrize("environ", [{}, {"XDG_STATE_HOME": ""}])
def test_without_xdg_state_home_it_lives_under_local_state_in_home(
    environ: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", "/home/deployer")
    assert default_database_path(environ) == Path("/home/deployer/.local/state/bluegreen/runs.db")


@pytest.mark.parametrize(
    "url",
    [
        "postgres://u@db.internal/history",
        "postgresql://u@db.internal/history",
        "postgresql+psycopg://u@db.internal/history",
    ],
)
def test_every_spelling_of_a_postgresql_url_uses_psycopg(url: str) -> None:
    assert str(normalize_url(url)) == "postgresql+psycopg://u@db.internal/history"


def test_sqlite_urls_are_left_alone() -> None:
    assert str(normalize_url("sqlite:////tmp/runs.db")) == "sqlite:////tmp/runs.db"


def test_a_url_shown_to_people_has_its_password_masked() -> None:
    shown = safe_url("postgresql://deployer:s3cret@db.internal:5432/history")
    assert shown == "postgresql://deployer:***@db.internal:5432/history"
