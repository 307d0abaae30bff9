"""The hook runner port: run one operator command with a time limit, keep its output's tail.

`cloud.hook_process.SubprocessHookRunner` runs it as a child process (no shell, its own
process group, killed whole at the time limit); the release core wraps it with the lease
fence and the redactor (`engine.release.hook_commands`); the test fakes script it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class HookResult:
    """How one hook ended: its exit code (None when it never started, timed out or was
    stopped), how long it ran, the last lines of its output (stdout and stderr together)."""

    exit_code: int | None
    duration_seconds: float
    output_tail: tuple[str, ...] = ()
    timed_out: bool = False
    stopped: bool = False  # the runner was asked to stop: the hook was killed, not failed
    error: str | None = None  # why it could not start (not found, not executable)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


class HookRunner(Protocol):
    """Runs hook commands."""

    def run(
        self,
        argv: Sequence[str],
        environment: Mapping[str, str],
        timeout_seconds: float,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> HookResult:
        """Run `argv` with `environment` added to this process's own; kill its whole process
        group after `timeout_seconds`, or as soon as `should_stop()` is true."""
        ...
