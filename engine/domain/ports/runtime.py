"""The engine's own ports: time, the run's journal, waiting on environments, and deadlines.

Steps (states/) and the release core (engine/release/) use these; the release core and the
test fakes implement them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from engine.domain.model import EventSource
from engine.domain.ports.cloud import Environment

# What a wait looks at: environment id -> its latest description (None when not found).
Snapshot = Mapping[str, Environment | None]
# Returns True when the wait is over; raises StepFailed when it can never succeed.
Condition = Callable[[Snapshot], bool]


class Clock(Protocol):
    """Time, injected so unit tests never sleep."""

    def now(self) -> datetime:
        """Timezone-aware UTC."""
        ...

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class Journal(Protocol):
    """The run's memory: facts are persisted at once, events go to the history."""

    def record_facts(self, **changes: str | datetime | None) -> None:
        """Set fields of `run.facts` and commit them before returning."""
        ...

    def event(self, source: EventSource, message: str, **data: Any) -> None: ...


class Waiter(Protocol):
    """Polls environments until a condition holds (shared poller, adaptive interval)."""

    def wait_for(
        self,
        what: str,
        application: str,
        environment_ids: Sequence[str],
        condition: Condition,
        deadline_seconds: float,
    ) -> Snapshot:
        """Poll until `condition(snapshot)` is true; streams EB events of those environments
        into the journal meanwhile. Raises DeadlineExceeded naming `what` and the last seen
        statuses, or whatever `condition` raised."""
        ...


@dataclass(frozen=True)
class Deadlines:
    """How long each kind of wait may take, in seconds (defaults fit real EB)."""

    launch: float = 30 * 60
    update: float = 20 * 60
    swap: float = 10 * 60
    terminate: float = 30 * 60
    version_processing: float = 10 * 60
    # How long an environment may stay Ready with Red/Severe health before a step gives up
    # (EB often reports a short dip right after a launch or deployment).
    health_grace: float = 2 * 60
    # How long EB may take to show a call it accepted (a swap's Updating) in
    # DescribeEnvironments; within it, an effect not seen yet is waited for, not redone.
    visibility: float = 60.0


# The stores' view of time (lease expiries): `Clock.now`, or a settable function in tests.
Now = Callable[[], datetime]


def utc_now() -> datetime:
    """Timezone-aware UTC now: the default `now` of the stores (leases) and views."""
    return datetime.now(UTC)
