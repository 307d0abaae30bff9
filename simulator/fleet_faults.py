"""Faults of an environment's fleet: a deployment that leaves instances behind while EB says it
succeeded, an option that drifts after a launch, a managed action scheduled or started.

Held by `Faults.fleet`; named by environment (or ANY), counted, thread-safe, deterministic.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Literal, TypeVar

ANY = "*"
T = TypeVar("T")
ActionStatus = Literal["Scheduled", "Running"]


@dataclass(frozen=True)
class LeftBehind:
    """`count` instances stay on the old version (`failed`: with deployment status Failed)."""

    count: int
    failed: bool


@dataclass(frozen=True)
class Drift:
    """An option changed on the environment right after its launch (a console change)."""

    namespace: str
    name: str
    value: str


@dataclass(frozen=True)
class ManagedFault:
    """A managed action put on the environment: scheduled (its window opens after
    `window_seconds`, AWS seconds) or already running."""

    status: ActionStatus
    window_seconds: float
    action_type: str


class FleetFaults:
    """Per-environment fleet faults, each taken once by the environment it names."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._left: list[tuple[str, LeftBehind]] = []
        self._drift: list[tuple[str, Drift]] = []
        self._managed: list[tuple[str, ManagedFault]] = []

    def leave_behind(self, env: str = ANY, count: int = 1, failed: bool = False) -> None:
        """The next deployment to `env` ends "successfully" (Ready, Green, the new label) with
        `count` instances still on the old version, their deployment Failed if `failed`: what
        aws/elastic-beanstalk-roadmap#162 and eb_deployer#97 report."""
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._left.append((env, LeftBehind(count, failed)))

    def drift(self, env: str, namespace: str, name: str, value: str) -> None:
        """When `env` next finishes launching, its option `namespace`/`name` becomes `value`."""
        with self._lock:
            self._drift.append((env, Drift(namespace, name, value)))

    def managed_action(
        self,
        env: str,
        status: ActionStatus = "Scheduled",
        window_seconds: float = 3600.0,
        action_type: str = "PlatformUpdate",
    ) -> None:
        """Put a managed action on `env` as soon as it is Ready: scheduled for a window that
        opens `window_seconds` (AWS seconds) later, or running now."""
        with self._lock:
            self._managed.append((env, ManagedFault(status, window_seconds, action_type)))

    def take_left_behind(self, env: str) -> LeftBehind | None:
        with self._lock:
            return _take(self._left, env)

    def take_drift(self, env: str) -> list[Drift]:
        with self._lock:
            taken = [fault for name, fault in self._drift if name in (ANY, env)]
            self._drift = [(name, fault) for name, fault in self._drift if name not in (ANY, env)]
            return taken

    def take_managed(self, env: str) -> ManagedFault | None:
        with self._lock:
            return _take(self._managed, env)

    def clear(self) -> None:
        with self._lock:
            self._left.clear()
            self._drift.clear()
            self._managed.clear()


def _take(faults: list[tuple[str, T]], env: str) -> T | None:
    for index, (name, fault) in enumerate(faults):
        if name in (ANY, env):
            del faults[index]
            return fault
    return None
