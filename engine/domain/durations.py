"""How long things took: one set of rules for every view, progress line and notification."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from engine.domain.model import Run, TransitionRecord


def utc(moment: datetime) -> datetime:
    """Timezone-aware UTC (a naive time from a database is taken as UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def seconds_between(start: datetime, end: datetime) -> float:
    return round((utc(end) - utc(start)).total_seconds(), 6)


def run_end(
    run: Run, transitions: Sequence[TransitionRecord] = (), now: datetime | None = None
) -> datetime:
    """Where the run's duration stops: when it finished; while unfinished, `now` when given
    (a live view), else its last recorded transition. Never before it was created."""
    start = utc(run.created_at)
    if run.state.is_final and run.finished_at is not None:
        return max(start, utc(run.finished_at))
    if now is not None:
        return max(start, utc(now))
    return max([start, *(utc(record.at) for record in transitions)])


def run_duration_seconds(
    run: Run, transitions: Sequence[TransitionRecord] = (), now: datetime | None = None
) -> float:
    return seconds_between(run.created_at, run_end(run, transitions, now))


def human_duration(seconds: float | None) -> str:
    """3.2s, 42s, 4m12s, 1h02m, 3d04h: how long something took, for people."""
    if seconds is None:
        return "-"
    if seconds < 10:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours >= 48:
        return f"{hours // 24}d{hours % 24:02d}h"
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"
