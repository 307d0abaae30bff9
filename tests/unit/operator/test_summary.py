"""The notification summary: what it says about each way a drive can end."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from engine.domain.model import State
from engine.operator.notifications import summary_for
from engine.release.observer import Outcome
from tests.unit.operator.runs import STARTED, finished_run


@pytest.mark.parametrize(
    ("state", "exit_code", "expected"),
    [
        (State.SUCCEEDED, 0, "succeeded"),
        (State.ROLLED_BACK, 1, "rolled_back"),
        (State.FAILED, 4, "failed"),
        (State.AWAITING_CUTOVER, 0, "awaiting_cutover"),
        (State.DEPLOYING, 130, "interrupted"),
        (State.ROLLING_BACK, 4, "failed"),
    ],
)
def test_the_outcome_follows_the_runs_state_and_exit_code(
    state: State, exit_code: int, expected: str
) -> None:
    summary = summary_for(Outcome(finished_run(state), exit_code, "done"))

    assert summary["outcome"] == expected
    assert summary["exit_code"] == exit_code
    assert summary["state"] == str(state)


def test_a_summary_names_the_run_target_versions_and_duration() -> None:
    summary = summary_for(Outcome(finished_run(State.SUCCEEDED), 0, "released v2"))

    assert summary["run_id"] == "run-7f3a"
    target = {key: summary[key] for key in ("region", "app", "blue")}
    assert target == {"region": "eu-west-1", "app": "shop", "blue": "shop-blue"}
    assert summary["green"] == "shop-green"
    assert summary["version_label"] == "v2"
    assert summary["previous_version_label"] == "v1"
    assert summary["duration_seconds"] == 754.0
    assert summary["error"] is None
    assert summary["summary"] == "released v2"


def test_the_text_is_one_human_line_for_slack() -> None:
    text = summary_for(Outcome(finished_run(State.SUCCEEDED), 0, ""))["text"]

    assert text == (
        "bluegreen: release of v2 to shop/shop-blue (eu-west-1) succeeded after 12m34s;"
        " run run-7f3a"
    )


def test_a_rolled_back_run_says_why_in_error_and_text() -> None:
    run = finished_run(State.ROLLED_BACK, rollback_reason="health check: 500 on /health")

    summary = summary_for(Outcome(run, 1, ""))

    assert summary["error"] == "health check: 500 on /health"
    assert isinstance(summary["text"], str)
    assert "rolled back" in summary["text"]
    assert summary["text"].endswith(": health check: 500 on /health")


def test_an_unfinished_run_is_timed_until_now() -> None:
    run = finished_run(State.AWAITING_CUTOVER)

    summary = summary_for(Outcome(run, 0, ""), now=STARTED + timedelta(hours=1, minutes=5))

    assert summary["duration_seconds"] == 3900.0
    assert "after 1h05m" in str(summary["text"])


def test_a_summary_is_plain_json() -> None:
    summary = summary_for(Outcome(finished_run(State.FAILED, error="terminate failed"), 4, ""))

    assert json.loads(json.dumps(summary)) == summary
