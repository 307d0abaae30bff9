"""The fake Elastic Beanstalk's state, fault knobs and simulated time: operations start,
then complete (or fail) when the FakeClock or the describe count says so."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from engine.domain.errors import CloudError, ServiceError
from engine.domain.ports.cloud import EbEvent
from tests.fakes.artifacts import FakeArtifactStore
from tests.fakes.clock import FakeClock
from tests.fakes.crash import Crash
from tests.fakes.environment import (
    REGION,
    STATUS_DURING,
    FakeDurations,
    FakeEnvironment,
    _Operation,
    _Version,
)

T = TypeVar("T")


class EnvironmentLifecycle:
    """What FakeBeanstalk keeps and how its operations run; FakeBeanstalk adds the API."""

    def __init__(self, clock: FakeClock, artifacts: FakeArtifactStore | None = None) -> None:
        self.clock, self.artifacts = clock, artifacts
        self.durations = FakeDurations()
        self.complete_after_describes: int | None = None
        self.credentials_valid = True
        self.fail_launch = self.fail_deploy = False
        self.fail_terminate_times = 0
        self.red_versions: set[str] = set()
        self.stuck: set[str] = set()
        self.failed_processing: set[str] = set()
        self.crash_after: set[str] = set()
        self.lose_response: set[str] = set()
        self.later: list[tuple[float, Callable[[], None]]] = []
        self.calls: Counter[str] = Counter()
        self.applications: set[str] = set()
        self.environments: dict[str, FakeEnvironment] = {}
        self.templates: dict[tuple[str, str], str] = {}
        self.template_options: dict[tuple[str, str], dict[tuple[str, str], str]] = {}
        self.versions: dict[tuple[str, str], _Version] = {}
        self.eb_events: list[EbEvent] = []
        self._next_errors: dict[str, list[CloudError]] = {}
        self._ids = itertools.count(1)

    # --- test helpers ---------------------------------------------------------------------

    def fail_next(self, method: str, error: CloudError) -> None:
        """Make the next call of `method` raise `error` before it takes effect."""
        self._next_errors.setdefault(method, []).append(error)

    def at(self, seconds: float, action: Callable[[], None]) -> None:
        """Run `action` once the FakeClock has advanced `seconds` from now (e.g. EB showing
        a call late)."""
        self.later.append((self.clock.monotonic() + seconds, action))

    def finish_operations(self) -> None:
        """Let simulated time run until nothing is pending (stuck operations stay)."""
        for _ in range(100):
            dues = [e.operation.due for e in self.environments.values() if e.operation]
            dues += [e.recover_at for e in self.environments.values() if e.recover_at]
            pending = [due for due in dues if due is not None]
            if not pending:
                return
            self.clock.advance(max(0.0, min(pending) - self.clock.monotonic()))
            self._tick()

    # --- the machinery --------------------------------------------------------------------

    def _enter(self, method: str) -> None:
        self.calls[method] += 1
        self._tick()
        errors = self._next_errors.get(method)
        if errors:
            raise errors.pop(0)

    def _leave(self, method: str, result: T) -> T:
        if method in self.crash_after:
            self.crash_after.discard(method)
            raise Crash(f"crashed after {method}")
        if method in self.lose_response:
            self.lose_response.discard(method)
            raise ServiceError(f"{method}: the service is unavailable (response lost)", "503")
        return result

    def _new_env(
        self,
        app: str,
        name: str,
        version: str | None,
        template: str | None,
        tags: dict[str, str],
        cname: str | None,
    ) -> FakeEnvironment:
        number = next(self._ids)
        env = FakeEnvironment(
            id=f"e-{number:010d}",
            name=name,
            application=app,
            cname=cname or f"{name}.eba-{number:08d}.{REGION}.elasticbeanstalk.com",
            status="Launching",
            health="Grey",
            version_label=version,
            template_name=template,
            tags=tags,
            date_updated=self.clock.now(),
        )
        self.environments[env.id] = env
        return env

    def _begin(
        self,
        env: FakeEnvironment,
        kind: str,
        version: str | None = None,
        fail: bool = False,
        partner: str | None = None,
    ) -> None:
        duration: float = getattr(self.durations, kind)
        due = None if kind in self.stuck else self.clock.monotonic() + duration
        count = None if kind in self.stuck else self.complete_after_describes
        env.operation = _Operation(kind, due, count, fail, version, partner)
        env.status, env.date_updated = STATUS_DURING[kind], self.clock.now()
        self._event(env, f"{kind} is starting.")

    def _tick(self) -> None:
        now = self.clock.monotonic()
        due, self.later = (
            [a for t, a in self.later if t <= now],
            [(t, a) for t, a in self.later if t > now],
        )
        for action in due:
            action()
        for env in list(self.environments.values()):
            op = env.operation
            if op and ((op.due is not None and op.due <= now) or op.describes_left == 0):
                self._complete(env, op)
            if env.recover_at is not None and env.recover_at <= now and env.operation is None:
                env.recover_at, env.health = None, "Green"
        for stored in self.versions.values():
            if stored.processed_at is not None and stored.processed_at <= now:
                failed = stored.version.label in self.failed_processing
                status = "FAILED" if failed else "PROCESSED"
                stored.version, stored.processed_at = replace(stored.version, status=status), None

    def _complete(self, env: FakeEnvironment, op: _Operation) -> None:
        env.operation, env.status, env.date_updated = None, "Ready", self.clock.now()
        if op.kind == "launch":
            env.health = "Red" if op.fail or op.version in self.red_versions else "Green"
        elif op.kind == "update" and op.fail:
            env.health, env.recover_at = "Red", self.clock.monotonic() + self.durations.recover
        elif op.kind == "update":
            env.version_label, env.recover_at = op.version, None
            env.health = "Red" if op.version in self.red_versions else "Green"
        elif op.kind == "swap":
            partner = self.environments[op.partner or ""]
            partner.status, partner.date_updated = "Ready", env.date_updated
            env.cname, partner.cname = partner.cname, env.cname
        elif op.kind == "terminate" and not op.fail:
            env.status, env.health = "Terminated", "Grey"
        self._event(env, f"{op.kind} {'failed' if op.fail else 'completed'}.")

    def _event(self, env: FakeEnvironment, message: str) -> None:
        self.eb_events.append(EbEvent(self.clock.now(), message, "INFO", env.name))
