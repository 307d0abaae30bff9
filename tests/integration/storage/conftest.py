"""The storage tests' fixtures: the database plugin, and the store under contract."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # Loads tests/db_fixtures.py unless tests/conftest.py already did (a no-op then).
    config.pluginmanager.import_plugin("tests.db_fixtures")
