"""The predictive polling schedule: sparse while an operation cannot plausibly be done yet,
dense around the time it is expected to finish, easing off when it runs late.

`Cadence` holds the intervals; `interval()` is the pure rule; `Plan` applies it to one wait,
starting from what EB says the environments are doing at the wait's first poll.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from engine.domain.ports.cloud import Environment
from engine.release.expectations import Expectations, Sample, Window, operation_of

QUIET_SECONDS = 60.0  # longest pause before an operation can be done: still sees early failures
QUIET_PER_FINE = 60.0  # ... and never more than this many base intervals (fast simulators)
LATE_PER_FINE = 3.0  # longest pause once an operation is overdue, in base intervals
UNLEARNED_POLLS = 20  # polls across the window of a prior nothing has confirmed yet ...
DENSE_SECONDS = 2.0  # ... but at least every 2 AWS-seconds (detection lag about 1 s)
EASE_OFF = 0.1  # a late or unknown wait adds this much pause per second it has waited


@dataclass(frozen=True)
class Cadence:
    """The intervals of the schedule, on the poller's clock (seconds)."""

    fine: float  # around the expected completion: detection lag is about half of this
    quiet: float
    late: float
    dense: float = 0.0  # the longest pause inside a window (DENSE_SECONDS scaled), >= fine

    @classmethod
    def for_base(cls, base: float, time_scale: float = 1.0) -> Cadence:
        fine = max(base, 0.01)
        quiet = max(fine, min(QUIET_SECONDS * time_scale, QUIET_PER_FINE * fine))
        return cls(fine, quiet, LATE_PER_FINE * fine, max(fine, DENSE_SECONDS * time_scale))


def interval(elapsed: float, window: Window | None, cadence: Cadence) -> float:
    """The pause before the next poll of a wait whose operation started `elapsed` ago."""
    if window is None:  # nothing under way (e.g. health settling): start fine, ease off
        return min(cadence.late, cadence.fine + elapsed * EASE_OFF)
    if elapsed < window.low:
        return _landing(window.low - elapsed, cadence.fine, cadence.quiet)  # evenly, on `low`
    if elapsed <= window.high:
        step = cadence.fine
        if not window.learned:
            step = max(
                cadence.fine, min((window.high - window.low) / UNLEARNED_POLLS, cadence.dense)
            )
        if window.expected is not None:
            # Polls land half a base interval after the likeliest end, not just before it.
            ahead = window.expected + cadence.fine / 2 - elapsed
            if ahead > cadence.fine / 4:
                return _landing(ahead, 0.0, step)
        return step
    return min(cadence.late, cadence.fine + (elapsed - window.high) * EASE_OFF)


def _landing(ahead: float, fine: float, longest: float) -> float:
    """A pause of at most `longest`, evenly spaced so that the polls land `ahead` from now."""
    if ahead <= fine:
        return fine
    return ahead / math.ceil(ahead / longest)


@dataclass(frozen=True)
class Completion:
    """A finished operation, as the poller saw it: what it measured and how late it noticed."""

    sample: Sample
    lag: float | None  # seconds from EB's completion time to the poll that saw it


class Plan:
    """One wait's schedule: what operation it watches, when it began and when to poll next."""

    def __init__(self, application: str, registered: float) -> None:
        self.application = application
        self.operation: str | None = None
        self.window: Window | None = None
        self._started = registered  # on the monotonic clock
        self._started_at: datetime | None = None  # EB's DateUpdated when it began
        self._planned = False
        self.due = registered  # the first poll is at once

    def observe(
        self,
        envs: Sequence[Environment | None],
        now: datetime,
        monotonic: float,
        expectations: Expectations,
        cadence: Cadence,
    ) -> None:
        """After a poll that did not end the wait: plan on first sight, then set `due`."""
        if not self._planned:
            self._plan(envs, now, monotonic, expectations, cadence)
        self.due = monotonic + interval(monotonic - self._started, self.window, cadence)

    def _plan(
        self,
        envs: Sequence[Environment | None],
        now: datetime,
        monotonic: float,
        expectations: Expectations,
        cadence: Cadence,
    ) -> None:
        self._planned = True
        self.operation = operation_of(envs)
        if self.operation is None:
            return
        names = [env.name for env in envs if env is not None]
        self.window = expectations.window(self.application, names, self.operation, cadence.fine)
        began = _latest_update(envs)
        if began is not None and began <= now:
            # Begun before this wait (a resumed run, or the step's own call): count from then.
            self._started_at = began
            self._started = monotonic - min((now - began).total_seconds(), self.window.high)

    def completed(
        self, envs: Sequence[Environment | None], now: datetime, monotonic: float, scale: float
    ) -> Completion | None:
        """The measurement of a wait that just succeeded, if it watched an operation."""
        if self.operation is None:
            return None
        ended = _latest_update(envs)
        lag = (now - ended).total_seconds() if ended is not None and ended <= now else None
        if ended is not None and self._started_at is not None and ended > self._started_at:
            seconds = (ended - self._started_at).total_seconds()  # both on EB's clock
        else:
            seconds = monotonic - self._started - (lag or 0.0)
        names = tuple(sorted(env.name for env in envs if env is not None))
        sample = Sample(self.application, names, self.operation, seconds / scale)
        return Completion(sample, lag)


def _latest_update(envs: Sequence[Environment | None]) -> datetime | None:
    stamps = [env.date_updated for env in envs if env is not None and env.date_updated]
    return max(stamps) if stamps else None
