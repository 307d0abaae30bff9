"""Points of a drive that a test adapter may hook (the crash tests); inert in production.

Bootstrap wires the crash tests' hook (the module CRASH_HOOKS_MODULE, which lives in
tests/plugins and is not installed) only when a test sets CRASH_ENV_VAR.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from engine.domain.model import State
from engine.domain.ports.cloud import Beanstalk

# Names the crash point of the crash tests' hook; unset in production.
CRASH_ENV_VAR = "BLUEGREEN_TEST_CRASH_AT"
# The hook's module, imported only when CRASH_ENV_VAR is set: tests/plugins/, on PYTHONPATH.
CRASH_HOOKS_MODULE = "bluegreen_crash_hooks"


class DriveHooks(Protocol):
    """Called at a drive's boundaries; may wrap the Beanstalk port the steps use."""

    def wrap(self, beanstalk: Beanstalk, state_of: Callable[[], State]) -> Beanstalk: ...

    def at_boundary(self, state: State) -> None: ...

    def before_commit(self, state: State) -> None: ...


class NoHooks:
    """The production hooks: nothing happens, the port is used as it is."""

    def wrap(self, beanstalk: Beanstalk, state_of: Callable[[], State]) -> Beanstalk:
        return beanstalk

    def at_boundary(self, state: State) -> None:
        return None

    def before_commit(self, state: State) -> None:
        return None
