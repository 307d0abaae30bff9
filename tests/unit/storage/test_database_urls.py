"""Database URLs: the default location, the PostgreSQL driver, masked passwords, and URLs
that cannot be used."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.domain.errors import ConfigurationError
from storage.database import (
    make_engine,
    missing_sqlite_file,
    normalize_url,
    safe_url,
)
from storage.locations import default_database_path, default_database_url


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
    assert str(normalize_url(url, {})).startswith("postgresql+psycopg://u@db.internal/history")


@pytest.mark.parametrize(
    "url",
    ["postgresql://u@db.internal/history", "postgresql://u:pw@10.0.0.5:5432/h",
     "postgresql://u@[2001:db8::1]/h"],
)  # fmt: skip
def test_a_postgresql_server_off_this_machine_gets_certificate_verification(url: str) -> None:
    assert normalize_url(url, {}).query["sslmode"] == "verify-full"


@pytest.mark.parametrize(
    "url",
    ["postgresql://postgres@127.0.0.1:5432/test", "postgresql://u@localhost/h",
     "postgresql://u@[::1]/h", "postgresql:///h?host=/var/run/postgresql", "postgresql:///h"],
)  # fmt: skip
def test_a_postgresql_server_on_loopback_or_a_socket_is_left_as_given(url: str) -> None:
    assert "sslmode" not in normalize_url(url, {}).query


@pytest.mark.parametrize("mode", ["disable", "require", "verify-ca"])
def test_an_explicit_sslmode_is_the_operators_opt_out(mode: str) -> None:
    url = f"postgresql://u@db.internal/h?sslmode={mode}"
    assert normalize_url(url, {}).query["sslmode"] == mode
    assert "sslmode" not in normalize_url("postgresql://u@db.internal/h", {"PGSSLMODE": mode}).query


def test_sqlite_urls_are_left_alone() -> None:
    assert str(normalize_url("sqlite:////tmp/runs.db")) == "sqlite:////tmp/runs.db"


def test_a_url_shown_to_people_has_its_password_masked() -> None:
    shown = safe_url("postgresql://deployer:s3cret@db.internal:5432/history")
    assert shown == "postgresql://deployer:***@db.internal:5432/history"


@pytest.mark.parametrize("read", [normalize_url, missing_sqlite_file, make_engine])
def test_text_that_is_no_url_is_a_configuration_error_that_does_not_repeat_it(read) -> None:
    with pytest.raises(ConfigurationError, match="not a SQLAlchemy URL") as raised:
        read("deployer:s3cret at db.internal")
    assert "s3cret" not in str(raised.value)


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("nosuchdb://deployer:s3cret@db.internal/history", "nosuchdb"),
        ("postgresql+nosuchdriver://deployer:s3cret@db.internal/history", "nosuchdriver"),
    ],
)
def test_a_database_or_driver_that_is_not_installed_is_a_configuration_error(
    url: str, named: str
) -> None:
    with pytest.raises(ConfigurationError, match="cannot use the database URL") as raised:
        make_engine(url)
    assert named in str(raised.value)
    assert "s3cret" not in str(raised.value)
