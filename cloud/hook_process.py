"""SubprocessHookRunner: the hook runner port as a child process.

No shell: the argv runs as given (the domain split it with `shlex`). The child gets this
process's environment plus the run's facts, no stdin, and a process group of its own, so a
timeout or a stop kills everything it started (SIGTERM, then SIGKILL after a grace). Its
output (stdout and stderr merged) is read as it comes; only the last lines are kept.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence

from engine.domain.hooks import TAIL_LINES
from engine.domain.ports.hooks import HookResult

KILL_GRACE_SECONDS = 5.0  # after SIGTERM, before SIGKILL
POLL_SECONDS = 0.05  # how often a running hook is checked for its time limit and a stop
MAX_LINE_CHARS = 2000  # a line longer than this is cut (the tail stays small)


class SubprocessHookRunner:
    """Runs each hook as a child process in its own process group."""

    def __init__(self, tail_lines: int = TAIL_LINES, kill_grace: float = KILL_GRACE_SECONDS):
        self._tail_lines = tail_lines
        self._kill_grace = kill_grace

    def run(
        self,
        argv: Sequence[str],
        environment: Mapping[str, str],
        timeout_seconds: float,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> HookResult:
        started = time.monotonic()
        try:
            child = subprocess.Popen(  # noqa: S603 - the operator's own command, no shell
                list(argv), env={**os.environ, **environment}, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        except OSError as error:
            return HookResult(None, time.monotonic() - started, error=_start_error(argv, error))
        tail: deque[str] = deque(maxlen=self._tail_lines)
        reader = threading.Thread(target=_read_lines, args=(child, tail), daemon=True)
        reader.start()
        timed_out, stopped = self._wait(child, started + timeout_seconds, should_stop)
        reader.join(timeout=self._kill_grace)
        code = None if timed_out or stopped else child.returncode
        return HookResult(
            code, time.monotonic() - started, tuple(tail), timed_out=timed_out, stopped=stopped
        )

    def _wait(
        self, child: subprocess.Popen[bytes], deadline: float, should_stop: Callable[[], bool]
    ) -> tuple[bool, bool]:
        """(timed out, stopped); the child has exited (or been killed) when this returns."""
        while True:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=POLL_SECONDS)
                return False, False
            if time.monotonic() >= deadline:
                self._kill(child)
                return True, False
            if should_stop():
                self._kill(child)
                return False, True

    def _kill(self, child: subprocess.Popen[bytes]) -> None:
        """SIGTERM to the whole group, SIGKILL to what is left after the grace."""
        _signal_group(child.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=self._kill_grace)
        _signal_group(child.pid, signal.SIGKILL)  # grandchildren that ignored SIGTERM too
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=self._kill_grace)


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _read_lines(child: subprocess.Popen[bytes], tail: deque[str]) -> None:
    assert child.stdout is not None
    with child.stdout:
        for raw in child.stdout:
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            tail.append(line[:MAX_LINE_CHARS])


def _start_error(argv: Sequence[str], error: OSError) -> str:
    reason = error.strerror or type(error).__name__
    return f"cannot start {argv[0]!r}: {reason}"
