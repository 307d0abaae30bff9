"""The signal handlers: the first SIGINT/SIGTERM asks for a clean stop; the second ends the
process at once, showing the cursor a live panel hid (engine.release.interrupt)."""

from __future__ import annotations

import io
import signal

import pytest

from engine.release import interrupt as interrupt_module
from engine.release.interrupt import SHOW_CURSOR, Interrupt, install_signal_handlers


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class HardExit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


def test_a_second_signal_exits_130_with_the_cursor_shown_on_the_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal, piped = Terminal(), io.StringIO()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr("sys.stdout", piped)  # a pipe gets no escape codes

    def hard_exit(code: int) -> None:
        raise HardExit(code)

    monkeypatch.setattr(interrupt_module.os, "_exit", hard_exit)
    stop = Interrupt()
    restore = install_signal_handlers(stop)
    try:
        handler = signal.getsignal(signal.SIGINT)
        assert callable(handler)
        handler(signal.SIGINT, None)
        assert stop.reason == "interrupted by SIGINT"
        assert terminal.getvalue() == ""

        with pytest.raises(HardExit) as exited:
            handler(signal.SIGINT, None)
    finally:
        restore()

    assert exited.value.code == 130
    assert terminal.getvalue() == SHOW_CURSOR
    assert piped.getvalue() == ""
