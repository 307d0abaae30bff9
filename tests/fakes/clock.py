"""FakeClock: `sleep` advances time instantly; `now()` is UTC, `monotonic()` seconds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class FakeClock:
    def __init__(self, start: datetime = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)) -> None:
        self._start, self._elapsed = start, 0.0

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self._elapsed)

    def monotonic(self) -> float:
        return self._elapsed

    def sleep(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("negative sleep")
        self._elapsed += seconds

    advance = sleep

    def set_to(self, moment: datetime) -> None:
        """Wall time jumps to `moment` (a history loaded at its own times)."""
        self._elapsed = (moment - self._start).total_seconds()
