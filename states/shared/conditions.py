"""Conditions for `Waiter.wait_for`: when a wait is over, and when it can never succeed.

Each builder returns a fresh condition (some remember what they saw across polls). They decide
from statuses, versions, health and CNAMEs only, never from event texts.
"""

from __future__ import annotations

from datetime import datetime

from engine.domain.errors import StepFailed
from engine.domain.ports.cloud import Environment
from engine.domain.ports.runtime import Clock, Condition, Snapshot
from states.shared.resources import is_gone


def is_broken(env: Environment) -> bool:
    """Health that means trouble, not just "not yet": Red, or enhanced Severe/Degraded."""
    return env.health == "Red" or env.health_status in ("Severe", "Degraded")


def health_text(env: Environment) -> str:
    return f"{env.health}/{env.health_status}" if env.health_status else env.health


class Grace:
    """Tolerates a Ready-but-broken environment for a while: EB often reports a short dip in
    health right after a launch or a deployment."""

    def __init__(self, clock: Clock, seconds: float) -> None:
        self._clock = clock
        self._seconds = seconds
        self._broken_since: float | None = None

    def check(self, role: str, env: Environment) -> None:
        """Raise StepFailed once `env` has been Ready and broken for longer than the grace."""
        if not (env.is_ready and is_broken(env)):
            self._broken_since = None
            return
        now = self._clock.monotonic()
        if self._broken_since is None:
            self._broken_since = now
        if now - self._broken_since >= self._seconds:
            raise StepFailed(
                f"{role} {env.name} is Ready but its health is {health_text(env)} "
                f"after {self._seconds:.0f} s"
            )


class Started:
    """Whether an operation we asked for has visibly begun: the environment left Ready, or EB
    stamped it after the moment we last saw it (so a stale poll is never read as an outcome)."""

    def __init__(self, baseline: datetime | None) -> None:
        self._baseline = baseline
        self._seen = False

    def seen(self, env: Environment) -> bool:
        moved = (
            self._baseline is not None
            and env.date_updated is not None
            and env.date_updated > self._baseline
        )
        self._seen = self._seen or not env.is_ready or moved
        return self._seen


def present(role: str, env_id: str, snapshot: Snapshot) -> Environment:
    """The environment from a snapshot; StepFailed when it is gone or going."""
    env = snapshot.get(env_id)
    if env is None or is_gone(env):
        status = env.status if env else "gone"
        name = env.name if env else env_id
        raise StepFailed(f"{role} {name} is {status}")
    return env


def ready(roles: dict[str, str]) -> Condition:
    """Every environment (id -> role) is Ready; any of them gone fails the wait."""

    def condition(snapshot: Snapshot) -> bool:
        envs = [present(role, env_id, snapshot) for env_id, role in roles.items()]
        return all(env.is_ready for env in envs)

    return condition


def ready_and_healthy(role: str, env_id: str, clock: Clock, grace: float) -> Condition:
    """Ready with Green/Ok health; Ready but Red/Severe beyond the grace fails the wait."""
    watch = Grace(clock, grace)

    def condition(snapshot: Snapshot) -> bool:
        env = present(role, env_id, snapshot)
        watch.check(role, env)
        return env.is_ready and env.is_healthy

    return condition


def cnames_in_place(roles: dict[str, str], wanted: dict[str, str]) -> Condition:
    """Every environment (id -> role) is Ready and holds the CNAME wanted for it (id -> CNAME)."""

    def condition(snapshot: Snapshot) -> bool:
        envs = {env_id: present(role, env_id, snapshot) for env_id, role in roles.items()}
        return all(env.is_ready and env.cname == wanted[i] for i, env in envs.items())

    return condition
