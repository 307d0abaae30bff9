"""The live panel shows the steps still ahead (from the lifecycle's transitions) and which
environment holds the live CNAME (from what EB last reported)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from rich.console import Console

from engine.domain.durations import human_duration
from engine.domain.model import EventRecord, EventSource, Mode, RunId, State, Strategy
from engine.domain.ports.cloud import Environment
from engine.operator.progress.live import LiveObserver, steps_ahead
from engine.release.observer import Outcome
from engine.release.redact import Redactor
from tests.fakes.clock import FakeClock
from tests.fakes.terminal import FakeTerminal
from tests.unit.operator.releases import rolled_back_release

LIVE = "shop-blue.example"


def test_a_full_release_in_preflight_has_every_forward_step_ahead() -> None:
    run = replace(rolled_back_release().run, state=State.PREFLIGHT, mode=Mode.FULL)

    assert [s.value for s in steps_ahead(run)] == [
        "cloning", "swapping", "deploying", "verifying", "cutting_over", "baking",
        "cleaning_up", "succeeded",
    ]  # fmt: skip


def test_a_deploy_stops_ahead_at_awaiting_cutover_and_a_rollback_at_rolled_back() -> None:
    run = rolled_back_release().run

    deploy = replace(run, state=State.SWAPPING, mode=Mode.DEPLOY)
    rollback = replace(run, state=State.ROLLING_BACK)

    assert steps_ahead(deploy) == [State.DEPLOYING, State.AWAITING_CUTOVER]
    assert steps_ahead(rollback) == [State.ROLLED_BACK]


def test_each_strategy_shows_its_own_path_ahead() -> None:
    run = rolled_back_release().run
    keep = replace(run, state=State.PREFLIGHT, strategy=Strategy.SWAP_AND_KEEP)
    keep_deploy = replace(keep, state=State.LAUNCHING, mode=Mode.DEPLOY)
    cut_over = replace(keep, state=State.AWAITING_CUTOVER, mode=Mode.DEPLOY)
    split = replace(run, state=State.PREFLIGHT, strategy=Strategy.TRAFFIC_SPLIT)

    assert [s.value for s in steps_ahead(keep)] == [
        "launching", "verifying_green", "going_live", "keeping_old", "retiring_old",
        "succeeded",
    ]  # fmt: skip
    assert steps_ahead(keep_deploy) == [State.VERIFYING_GREEN, State.AWAITING_CUTOVER]
    assert steps_ahead(cut_over)[:2] == [State.GOING_LIVE, State.KEEPING_OLD]
    assert steps_ahead(split) == [State.SPLITTING, State.SUCCEEDED]


def test_the_panel_names_the_environment_that_holds_the_live_cname() -> None:
    history = rolled_back_release()
    run = replace(history.run, state=State.DEPLOYING, finished_at=None)
    run.facts.blue_cname = LIVE
    out = io.StringIO()
    panel = LiveObserver(out, Redactor())
    panel.run_started(run)
    swapped = [
        Environment("e-g", "shop-green", "shop", "Ready", "Green", "v1", LIVE),
        Environment("e-b", "shop-blue", "shop", "Updating", "Grey", "v1", "shop-green.example"),
    ]
    panel.waiting(run, "blue on v2", swapped)

    console = Console(file=io.StringIO(), width=120, force_terminal=False)
    try:
        console.print(panel._render())
    finally:
        panel._stop_live()
    shown = console.file.getvalue()  # type: ignore[attr-defined]
    assert f"live traffic ({LIVE}) goes to shop-green" in shown
    assert "ahead: verifying -> cutting_over" in shown


def shown(panel: LiveObserver) -> str:
    out = io.StringIO()
    Console(file=out, width=120, force_terminal=False).print(panel._render())
    return out.getvalue()


def window_event(run_id: RunId, at: datetime, phase: str, elapsed: float) -> EventRecord:
    """A bake window's progress event, with the data states.shared.windows gives it."""
    return EventRecord(run_id, at, EventSource.ENGINE,
        f"bake: {elapsed / 60:.0f} min of 5 min, 0 alarms watched (none in ALARM), 3 probes",
        {"window": "bake", "phase": phase, "elapsed_seconds": f"{elapsed:.1f}",
         "total_seconds": "300.0", "ends_at": (BAKE_START + timedelta(seconds=300)).isoformat()},
    )  # fmt: skip


BAKE_START = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def test_the_bake_countdown_is_read_from_the_clock_at_each_refresh_not_from_the_last_event() -> (
    None
):
    clock = FakeClock(BAKE_START)
    run = replace(rolled_back_release().run, state=State.BAKING, finished_at=None)
    panel = LiveObserver(io.StringIO(), Redactor(), clock=clock.now)
    panel.run_started(run)
    try:
        panel.event(window_event(run.id, clock.now(), "started", 0.0))
        seen = []
        # A refresh every half second (REFRESHES_PER_SECOND); a window's event only every
        # 30 s (PROGRESS_EVERY_SECONDS): each refresh shows the clock's own figures.
        for tick in range(1, 181):
            clock.advance(0.5)
            if tick % 60 == 0:
                panel.event(window_event(run.id, clock.now(), "progress", tick / 2))
            elapsed = tick / 2
            expected = (
                f"waiting for bake window: {human_duration(elapsed)} of 5m00s, "
                f"{human_duration(300 - elapsed)} left"
            )
            seen.append(expected in shown(panel))
        assert all(seen), [tick for tick, ok in enumerate(seen, 1) if not ok][:5]
        clock.advance(210)
        assert "bake window: 5m00s of 5m00s, 0.0s left" in shown(panel)  # never negative
        panel.event(window_event(run.id, clock.now(), "ended", 300.0))
        assert "waiting for bake: 5 min of 5 min" in shown(panel)
    finally:
        panel._stop_live()


def test_ctrl_c_leaves_one_complete_panel_then_the_stop_line_and_the_cursor_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # Rich's width for a stream that is no real tty
    monkeypatch.setenv("LINES", "40")
    terminal = FakeTerminal(width=80)
    clock = FakeClock(BAKE_START)
    run = replace(rolled_back_release().run, state=State.BAKING, finished_at=None)
    panel = LiveObserver(terminal, Redactor(), clock=clock.now)  # type: ignore[arg-type]
    panel.run_started(run)
    panel.event(window_event(run.id, clock.now(), "started", 0.0))
    assert panel._live is not None
    panel._live.refresh()
    assert not terminal.cursor_visible

    terminal.echo("^C")  # Ctrl-C pressed: the tty echoes it where Rich left the cursor
    clock.advance(1)
    # The drive stops at its next wait (engine.release.drive: `_stopped`, then `_finish`).
    stopped = f"interrupted by SIGINT: the run stays in baking; `bluegreen resume {run.id}`"
    panel.event(EventRecord(run.id, clock.now(), EventSource.ENGINE, stopped, {}))
    panel.finished(Outcome(run, 130, stopped, True))

    screen = terminal.screen()
    assert sum(line.startswith("╭") for line in screen) == 1, "\n".join(screen)
    assert sum(line.startswith("╰") for line in screen) == 1, "\n".join(screen)
    top = next(i for i, line in enumerate(screen) if line.startswith("╭"))
    bottom = next(i for i, line in enumerate(screen) if line.startswith("╰"))
    assert all(line.startswith("│") for line in screen[top + 1 : bottom]), "\n".join(screen)
    assert "interrupted by SIGINT" in "".join(screen[:top])  # scrolled above the panel
    assert screen[bottom + 1].startswith(f"{clock.now():%Y-%m-%dT%H:%M:%SZ} run f00dfeed finished")
    assert "interrupted by SIGINT" not in "\n".join(screen[top:bottom])
    assert "^C" not in "\n".join(screen)
    assert terminal.cursor_visible
