"""The history commands on a shared PostgreSQL history (same documents as on SQLite)."""

from __future__ import annotations

import json

import pytest

from tests.integration.operator.conftest import Releases, fill

pytestmark = pytest.mark.postgres


@pytest.fixture
def releases(empty_postgres_url: str) -> Releases:
    return fill(empty_postgres_url)


def test_runs_list_and_show_read_the_postgresql_history(releases: Releases) -> None:
    rows = json.loads(releases.cli("list", "--json", "--app", "shop", "--limit", "3").stdout)
    assert [row["id"] for row in rows] == [
        releases.running.run.id, releases.abandoned.run.id, releases.rolled_back.run.id
    ]  # fmt: skip
    detail = json.loads(releases.cli("show", "f00dfeed", "--json").stdout)
    assert detail["created_at"].endswith("Z")
    assert sum(s["duration_seconds"] for s in detail["steps"]) == pytest.approx(
        detail["duration_seconds"]
    )
    assert [e["message"] for e in detail["events"]] == [
        e.message for e in releases.rolled_back.events
    ]


def test_status_workers_and_prune_on_postgresql(releases: Releases) -> None:
    rows = json.loads(releases.cli("status", "--json").stdout)
    assert {row["lease"]["status"] for row in rows} == {"live", "expired", "none"}
    assert f"1 run(s) waiting for a worker: {releases.abandoned.run.id}" in (
        releases.cli("status").output
    )
    pool = json.loads(releases.cli("workers", "--json").stdout)
    assert [queued["id"] for queued in pool["queue"]] == [releases.abandoned.run.id]
    result = releases.cli("prune", "--older-than", "30")
    assert result.stdout.startswith("deleted 1 run finished before ")
