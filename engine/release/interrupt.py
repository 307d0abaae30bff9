"""Stopping a drive cleanly: SIGTERM/SIGINT set a flag, waits and sleeps notice it.

A signal never interrupts an AWS call in flight: the handler only sets the flag; the next wait,
sleep or state boundary raises `Interrupted`, and the runner records where it stopped.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType


class Interrupted(BaseException):
    """The runner was asked to stop. A BaseException, so a step's `except Exception` lets it by."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Interrupt:
    """A stop request shared by everything one runner process does."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason: str | None = None

    def request(self, reason: str) -> None:
        if self.reason is None:
            self.reason = reason
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise Interrupted when a stop was requested."""
        if self._event.is_set():
            raise Interrupted(self.reason or "interrupted")

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; True when a stop was requested meanwhile."""
        return self._event.wait(max(seconds, 0.0))

    def sleep(self, seconds: float) -> None:
        """Sleep `seconds`, or raise Interrupted as soon as a stop is requested."""
        if self.wait(seconds):
            self.check()


# DECTCEM "show cursor" (ECMA-48 private mode 25), what Rich's Live writes when it stops.
SHOW_CURSOR = "\x1b[?25h"


def show_cursor() -> None:
    """Show the cursor again on each standard stream that is a terminal."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            if stream is not None and stream.isatty():
                stream.write(SHOW_CURSOR)
                stream.flush()


def install_signal_handlers(interrupt: Interrupt) -> Callable[[], None]:
    """SIGTERM/SIGINT request a clean stop; a second signal ends the process at once.

    Returns a function that restores the previous handlers. Main thread only.
    """
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

    def handle(signum: int, frame: FrameType | None) -> None:
        if interrupt.is_set():
            show_cursor()  # a live panel hid it; os._exit runs no clean-up of its own
            os._exit(130)
        interrupt.request(f"interrupted by {signal.Signals(signum).name}")

    for sig in previous:
        signal.signal(sig, handle)

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore
