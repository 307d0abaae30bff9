"""Test hook: SIGKILL this very process at a named point of a drive (the crash tests).

Set `BLUEGREEN_TEST_CRASH_AT` to one of
  `state:<state>`            after the transition into <state> is committed, before its action;
  `<state>:before-call[:N]`  right before the Nth (default first) mutating AWS call of <state>'s
                             action is sent (its intent is recorded by then);
  `<state>:after-call[:N]`   right after the Nth (default first) mutating AWS call of <state>'s
                             action returned, before anything about it is committed;
  `<state>:before-commit`    after <state>'s action returned, before its transition is committed.
Bootstrap wires this hook only when the variable is set; production drives use `NoHooks`.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from engine.domain.model import State
from engine.domain.ports.cloud import (
    ApplicationVersion,
    Beanstalk,
    CreateEnvironmentRequest,
    EbEvent,
    Environment,
)
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


class CrashingBeanstalk:
    """A Beanstalk that calls the hook after each mutating call (only built when active)."""

    def __init__(self, inner: Beanstalk, hook: CrashHook, state_of: Callable[[], State]) -> None:
        self._inner = inner
        self._hook = hook
        self._state_of = state_of
        self._calls: dict[State, int] = {}

    def _mutating(self) -> None:
        state = self._state_of()
        self._calls[state] = self._calls.get(state, 0) + 1
        self._hook.before_call(state, self._calls[state])

    def _mutated(self) -> None:
        state = self._state_of()
        self._hook.after_call(state, self._calls[state])

    def caller_identity(self) -> str:
        return self._inner.caller_identity()

    def application_exists(self, application: str) -> bool:
        return self._inner.application_exists(application)

    def describe_environments(
        self,
        application: str | None = None,
        names: Sequence[str] = (),
        ids: Sequence[str] = (),
        include_deleted: bool = False,
    ) -> list[Environment]:
        return self._inner.describe_environments(application, names, ids, include_deleted)

    def environment_tags(self, environment_arn: str) -> dict[str, str]:
        return self._inner.environment_tags(environment_arn)

    def get_version(self, application: str, label: str) -> ApplicationVersion | None:
        return self._inner.get_version(application, label)

    def create_version(
        self, application: str, label: str, bucket: str, key: str, description: str
    ) -> ApplicationVersion:
        self._mutating()
        version = self._inner.create_version(application, label, bucket, key, description)
        self._mutated()
        return version

    def template_exists(self, application: str, template_name: str) -> bool:
        return self._inner.template_exists(application, template_name)

    def create_template(
        self, application: str, template_name: str, environment_id: str, description: str
    ) -> None:
        self._mutating()
        self._inner.create_template(application, template_name, environment_id, description)
        self._mutated()

    def delete_template(self, application: str, template_name: str) -> None:
        self._mutating()
        self._inner.delete_template(application, template_name)
        self._mutated()

    def create_environment(self, request: CreateEnvironmentRequest) -> Environment:
        self._mutating()
        environment = self._inner.create_environment(request)
        self._mutated()
        return environment

    def deploy_version(self, environment_id: str, version_label: str) -> None:
        self._mutating()
        self._inner.deploy_version(environment_id, version_label)
        self._mutated()

    def swap_cnames(self, source_environment_id: str, destination_environment_id: str) -> None:
        self._mutating()
        self._inner.swap_cnames(source_environment_id, destination_environment_id)
        self._mutated()

    def terminate_environment(self, environment_id: str) -> None:
        self._mutating()
        self._inner.terminate_environment(environment_id)
        self._mutated()

    def abort_update(self, environment_id: str) -> None:
        self._mutating()
        self._inner.abort_update(environment_id)
        self._mutated()

    def events(
        self, application: str, since: datetime, environment_names: Sequence[str] = ()
    ) -> list[EbEvent]:
        return self._inner.events(application, since, environment_names)
