"""DNS settle and bake windows on the timeline: `runs show`, `--json` and the HTML report
show each wait as a span, read from the engine's window events."""

from __future__ import annotations

from datetime import datetime

from engine.domain.model import EventSource, State, Trigger
from engine.operator.views.history import run_detail
from engine.operator.views.report import render_report
from engine.operator.views.tables import run_view
from tests.unit.operator.releases import History, new_run
from tests.unit.operator.test_tables import rendered


def baked_release() -> History:
    history = new_run("ba4edba4ed000001")
    history.move(60, Trigger.PREFLIGHT_PASSED, State.CLONING)
    history.move(200, Trigger.CLONED, State.SWAPPING).move(8, Trigger.SWAPPED, State.DEPLOYING)
    window = {"window": "dns_settle"}
    history.happen(0, EventSource.ENGINE, "DNS settle: 120 s left", **window, phase="started")
    history.happen(60, EventSource.ENGINE, "DNS settle: 60 s left", **window, phase="progress")
    history.happen(60, EventSource.ENGINE, "DNS settle: done", **window, phase="ended")
    history.move(50, Trigger.DEPLOYED, State.VERIFYING).move(
        10, Trigger.VERIFIED, State.CUTTING_OVER
    )
    history.move(8, Trigger.CUT_OVER, State.BAKING)
    history.happen(0, EventSource.ENGINE, "bake: 0 s of 90 s", window="bake", phase="started")
    history.happen(45, EventSource.PROBE, "probe ok", status=200, purpose="bake")
    history.move(30, Trigger.FAIL, State.ROLLING_BACK, "baking failed: regression")
    return history


def test_each_window_is_a_span_with_its_start_end_and_duration() -> None:
    history = baked_release()

    windows = run_detail(history.run, history.transitions, history.events)["windows"]

    settle, bake = windows
    assert (settle["label"], settle["duration_seconds"]) == ("DNS settle", 120.0)
    assert settle["offset_seconds"] == 268.0
    assert (bake["label"], bake["ended_at"], bake["duration_seconds"]) == ("bake", None, None)
    assert datetime.fromisoformat(bake["started_at"]) > datetime.fromisoformat(settle["ended_at"])


def test_runs_show_lists_the_windows_under_the_steps() -> None:
    history = baked_release()

    text = rendered(run_view(run_detail(history.run, history.transitions, history.events)), 160)

    assert "DNS settle window" in text
    assert "bake window" in text and "(cut short)" in text


def test_the_report_draws_the_windows_on_the_timeline() -> None:
    history = baked_release()
    detail = run_detail(history.run, history.transitions, history.events)

    page = render_report(detail, history.now)

    assert "data-window='dns_settle'" in page
    assert 'data-state="dns_settle"' in page and 'data-state="bake"' in page
