"""Simulated time: the clock, the durations of Elastic Beanstalk operations and the speed factor.

Durations are realistic AWS seconds; `Timing` divides them by the speed factor, so
`speed=100` turns a 180 s launch into 1.8 s of real time.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Where the simulator reads the time (UTC, timezone-aware)."""

    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock, truncated to milliseconds (the precision AWS returns timestamps with)."""

    def now(self) -> datetime:
        return millis(datetime.now(UTC))


class ManualClock:
    """A clock that moves only when told to: for tests that step time explicitly."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = millis(start or datetime.now(UTC))
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now = millis(self._now + timedelta(seconds=seconds))


def millis(moment: datetime) -> datetime:
    """Drop sub-millisecond precision, so timestamps round-trip exactly through the wire."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


@dataclass(frozen=True)
class Durations:
    """How long each operation takes on real AWS, in seconds (before the speed factor)."""

    launch: float = 180.0
    update: float = 45.0
    swap: float = 5.0
    terminate: float = 240.0
    process: float = 5.0  # application version processing (Process=True)
    abort: float = 15.0  # rolling back an aborted update
    rebuild: float = 180.0  # RebuildEnvironment of a running environment (resources made anew)
    restart: float = 10.0  # RestartAppServer
    tags: float = 5.0  # UpdateTagsForResource of an environment (its resources are tagged)
    recover: float = 60.0  # health recovery after a failed deployment
    route53_sync: float = 60.0  # a Route 53 change PENDING until INSYNC (simulator.route53)
    # The fleet (simulator.eb.fleet): an instance from launch to InService, how long the load
    # must exceed the capacity before the group scales out (one CloudWatch alarm period), and
    # how long it must stay below before it scales in (Auto Scaling's default cooldown).
    instance_launch: float = 90.0
    scale_out: float = 60.0
    scale_in: float = 300.0

    def with_overrides(self, **seconds: float) -> Durations:
        known = {f.name for f in fields(self)}
        unknown = set(seconds) - known
        if unknown:
            raise ValueError(f"unknown durations: {sorted(unknown)}")
        return replace(self, **seconds)


@dataclass(frozen=True)
class Timing:
    """Durations scaled by the speed factor, as real-time intervals."""

    speed: float = 1.0
    durations: Durations = Durations()

    def __post_init__(self) -> None:
        if self.speed <= 0:
            raise ValueError("speed must be positive")

    def scaled(self, seconds: float) -> timedelta:
        return timedelta(seconds=seconds / self.speed)

    def of(self, operation: str) -> timedelta:
        seconds: float = getattr(self.durations, operation)
        return self.scaled(seconds)

    def poll_interval(self) -> float:
        """A polling interval suited to this speed: a quarter of a swap, within [0.05, 5] s."""
        return round(max(0.05, min(5.0, self.durations.swap / self.speed / 4)), 3)
