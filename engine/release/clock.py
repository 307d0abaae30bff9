"""The real clock: timezone-aware UTC time, a monotonic counter, and interruptible sleep."""

from __future__ import annotations

import time
from datetime import datetime

from engine.domain.ports.runtime import utc_now
from engine.release.interrupt import Interrupt


class SystemClock:
    """The one real `engine.domain.ports.runtime.Clock`; `sleep` raises Interrupted on a stop."""

    def __init__(self, interrupt: Interrupt | None = None) -> None:
        self._interrupt = interrupt if interrupt is not None else Interrupt()

    def now(self) -> datetime:
        return utc_now()

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        self._interrupt.sleep(seconds)
