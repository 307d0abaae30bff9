"""The real clock: timezone-aware UTC time, a monotonic counter, and interruptible sleep."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from engine.interrupt import Interrupt


class SystemClock:
    """Implements `states.context.Clock`; `sleep` raises Interrupted when a stop is requested."""

    def __init__(self, interrupt: Interrupt | None = None) -> None:
        self._interrupt = interrupt if interrupt is not None else Interrupt()

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        self._interrupt.sleep(seconds)
