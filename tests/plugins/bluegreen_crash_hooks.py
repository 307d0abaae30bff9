"""The crash tests' hook: SIGKILL this very process at a named point of a drive or a Route 53
change. Test code, never installed: bootstrap imports this module (by the name
`engine.release.hooks.CRASH_HOOKS_MODULE`) only when BLUEGREEN_TEST_CRASH_AT is set, and the
tests put tests/plugins on PYTHONPATH for the `bluegreen` processes they start.

Set `BLUEGREEN_TEST_CRASH_AT` to one of
  `state:<state>`            after the transition into <state> is committed, before its action;
  `<state>:before-call[:N]`  right before the Nth (default first) mutating AWS call of <state>'s
                             action is sent (its intent is recorded by then);
  `<state>:after-call[:N]`   right after the Nth (default first) mutating AWS call of <state>'s
                             action returned, before anything about it is committed;
  `<state>:before-commit`    after <state>'s action returned, before its transition is committed.
  `route53:after-change[:N]`  right after the Nth (default first) UPSERT this process sent,
                             before the run recorded its change id or waited for it to settle.
Production drives use `NoHooks`.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from engine.domain.model import State
from engine.domain.ports.cloud import Beanstalk
from engine.domain.ports.dns import Dns, RecordSet
from engine.release.guarded_beanstalk import GuardedBeanstalk
from engine.release.hooks import CRASH_ENV_VAR


@dataclass(frozen=True)
class CrashHook:
    """Where to die, if anywhere."""

    point: str | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> CrashHook:
        return cls(environ.get(CRASH_ENV_VAR) or None)

    @property
    def active(self) -> bool:
        return self.point is not None

    def wrap(self, beanstalk: Beanstalk, state_of: Callable[[], State]) -> Beanstalk:
        """`engine.release.hooks.DriveHooks.wrap`: a crashing wrapper when a point is set."""
        return CrashingBeanstalk(beanstalk, self, state_of) if self.active else beanstalk

    def reached(self, point: str) -> None:
        if self.point is not None and self.point == point:
            sys.stdout.flush()
            sys.stderr.flush()
            os.kill(os.getpid(), signal.SIGKILL)

    def at_boundary(self, state: State) -> None:
        self.reached(f"state:{state.value}")

    def before_commit(self, state: State) -> None:
        self.reached(f"{state.value}:before-commit")

    def before_call(self, state: State, call_number: int) -> None:
        self.reached(f"{state.value}:before-call:{call_number}")
        if call_number == 1:
            self.reached(f"{state.value}:before-call")

    def after_call(self, state: State, call_number: int) -> None:
        self.reached(f"{state.value}:after-call:{call_number}")
        if call_number == 1:
            self.reached(f"{state.value}:after-call")


class CrashingBeanstalk(GuardedBeanstalk):
    """A Beanstalk that calls the hook around each mutating call (only built when active)."""

    def __init__(self, inner: Beanstalk, hook: CrashHook, state_of: Callable[[], State]) -> None:
        super().__init__(inner)
        self._hook = hook
        self._state_of = state_of
        self._calls: dict[State, int] = {}

    def before(self, action: str) -> None:
        state = self._state_of()
        self._calls[state] = self._calls.get(state, 0) + 1
        self._hook.before_call(state, self._calls[state])

    def after(self, action: str) -> None:
        state = self._state_of()
        self._hook.after_call(state, self._calls[state])


class CrashingDns:
    """A Dns that calls the crash hook after each UPSERT."""

    def __init__(self, inner: Dns, hook: CrashHook) -> None:
        self._inner, self._hook = inner, hook
        self._changes = 0

    def zone_name(self, zone_id: str) -> str | None:
        return self._inner.zone_name(zone_id)

    def record_sets(self, zone_id: str, name: str) -> list[RecordSet]:
        return self._inner.record_sets(zone_id, name)

    def upsert(self, zone_id: str, record: RecordSet, comment: str) -> str:
        change_id = self._inner.upsert(zone_id, record, comment)
        self._changes += 1
        self._hook.reached(f"route53:after-change:{self._changes}")
        if self._changes == 1:
            self._hook.reached("route53:after-change")
        return change_id

    def change_status(self, change_id: str) -> str:
        return self._inner.change_status(change_id)


def drive_hooks() -> CrashHook:
    """What bootstrap wires as the drive's hooks."""
    return CrashHook.from_environ()


def wrap_dns(dns: Dns) -> Dns:
    """What bootstrap wraps the Route 53 port with."""
    return CrashingDns(dns, CrashHook.from_environ())
