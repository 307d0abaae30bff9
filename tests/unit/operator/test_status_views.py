"""What `bluegreen status` says about unfinished runs, and how `--since` is read."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from engine.domain.model import State
from engine.operator.views.status import (
    UNFINISHED_STATES,
    lease_status,
    parse_since,
    status_row,
)
from tests.unit.operator.releases import running_release, waiting_release

NOW = datetime(2026, 11, 27, 8, 0, 0, tzinfo=UTC)


def test_a_run_whose_runner_renews_its_lease_is_held_by_that_runner() -> None:
    history = running_release(lease_seconds=60)
    now = history.now + timedelta(seconds=10)
    row = status_row(history.run, history.transitions, now)
    assert row["lease"]["status"] == "live"
    assert row["held_by"].startswith("runner-b@host2:99")
    assert row["state"] == "verifying"
    assert "health probes" in row["waits_for"]
    assert row["in_state_seconds"] == pytest.approx(10)


def test_a_run_whose_runner_died_says_resume_takes_it_over() -> None:
    history = running_release(lease_seconds=60)
    now = history.now + timedelta(minutes=5)
    row = status_row(history.run, history.transitions, now)
    assert row["lease"]["status"] == "expired"
    assert f"bluegreen resume {history.run.id}" in row["held_by"]


def test_a_waiting_run_waits_for_an_operator_to_cut_over() -> None:
    history = waiting_release()
    row = status_row(history.run, history.transitions, NOW)
    assert row["lease"]["status"] == "none"
    assert f"bluegreen cutover {history.run.id}" in row["waits_for"]
    assert "rests until an operator" in row["held_by"]


def test_a_failed_run_waits_for_resume() -> None:
    history = running_release()
    failed = replace(history.run, state=State.FAILED, lease_owner=None, lease_expires_at=None)
    assert "bluegreen resume" in status_row(failed, history.transitions, NOW)["waits_for"]


def test_lease_without_an_owner_is_none() -> None:
    assert lease_status(replace(waiting_release().run, lease_owner=None), NOW) == "none"


def test_unfinished_states_are_everything_but_succeeded_and_rolled_back() -> None:
    assert State.SUCCEEDED not in UNFINISHED_STATES
    assert State.ROLLED_BACK not in UNFINISHED_STATES
    assert State.FAILED in UNFINISHED_STATES and State.AWAITING_CUTOVER in UNFINISHED_STATES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7d", NOW - timedelta(days=7)),
        ("12h", NOW - timedelta(hours=12)),
        ("30m", NOW - timedelta(minutes=30)),
        ("2w", NOW - timedelta(weeks=2)),
        ("90s", NOW - timedelta(seconds=90)),
        ("2026-11-20", datetime(2026, 11, 20, tzinfo=UTC)),
        ("2026-11-20T10:30:00Z", datetime(2026, 11, 20, 10, 30, tzinfo=UTC)),
        ("2026-11-20T10:30:00+02:00", datetime(2026, 11, 20, 8, 30, tzinfo=UTC)),
    ],
)
def test_since_reads_ages_and_iso_times(text: str, expected: datetime) -> None:
    assert parse_since(text, NOW) == expected


@pytest.mark.parametrize("text", ["9999999d", "99999999999999w"])
def test_since_an_age_older_than_the_calendar_means_everything(text: str) -> None:
    assert parse_since(text, NOW) == datetime.min.replace(tzinfo=UTC)


@pytest.mark.parametrize("text", ["yesterday", "7x", "", "-3d"])
def test_since_refuses_what_it_cannot_read_with_a_clear_message(text: str) -> None:
    with pytest.raises(ValueError, match="use an ISO date/time"):
        parse_since(text, NOW)
