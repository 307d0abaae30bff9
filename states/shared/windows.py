"""Waiting out a window of time (DNS settle, bake) from a recorded start, with progress in
the run's history: a killed run resumes the same window, counting from the recorded time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from engine.domain.step import StepContext
from states.shared.resources import note

# How often a long wait says how far it is: often enough to see it move, rarely enough that
# a ten-minute bake leaves a dozen lines in the history, not hundreds.
PROGRESS_EVERY_SECONDS = 30.0
SLICE_SECONDS = 1.0  # the longest single sleep: a check runs at least this often

# Called once per slice; raises (StepFailed) when the window must end early.
Check = Callable[[], None]
Describe = Callable[[float, float], str]  # (elapsed, total) -> "bake: 3 of 5 min, 0 alarms"


def seconds_left(ctx: StepContext, since: datetime, seconds: float) -> float:
    return (since + timedelta(seconds=seconds) - ctx.clock.now()).total_seconds()


def wait_window(
    ctx: StepContext,
    window: str,
    since: datetime,
    seconds: float,
    describe: Describe,
    check: Check | None = None,
    interval: float = SLICE_SECONDS,
) -> None:
    """Sleep until `since + seconds`, calling `check` every `interval`; progress events say
    `describe(elapsed, total)` at the start, every PROGRESS_EVERY_SECONDS and at the end."""
    left = seconds_left(ctx, since, seconds)
    if left <= 0:
        return
    ends = (since + timedelta(seconds=seconds)).isoformat()
    _progress(ctx, window, describe, seconds - left, seconds, "started", ends)
    last_said = ctx.clock.monotonic()
    while left > 0:
        if check is not None:
            check()
        ctx.clock.sleep(max(min(left, interval), 0.0))
        left = seconds_left(ctx, since, seconds)
        if ctx.clock.monotonic() - last_said >= PROGRESS_EVERY_SECONDS and left > 0:
            _progress(ctx, window, describe, seconds - left, seconds, "progress", ends)
            last_said = ctx.clock.monotonic()
    if check is not None:
        check()
    _progress(ctx, window, describe, seconds, seconds, "ended", ends)


def _progress(
    ctx: StepContext,
    window: str,
    describe: Describe,
    elapsed: float,
    total: float,
    phase: str,
    ends: str,
) -> None:
    note(
        ctx,
        describe(max(elapsed, 0.0), total),
        window=window,
        phase=phase,
        elapsed_seconds=f"{max(elapsed, 0.0):.1f}",
        total_seconds=f"{total:.1f}",
        ends_at=ends,
    )
