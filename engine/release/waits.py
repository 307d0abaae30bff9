"""The pieces of a wait: what one waiter watches, where its news goes, and the poll interval.

`engine.release.poller.SharedPoller` moves these; `RunWaiter` is the per-run face it shows to steps.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from engine.domain.model import EventRecord, EventSource, Run
from engine.domain.ports.cloud import EbEvent, Environment
from engine.domain.ports.runtime import Condition, Snapshot
from engine.release.expectations import WAITED_KEY, Sample, Window
from engine.release.observer import Observer

if TYPE_CHECKING:
    from engine.release.journal import RunJournal
    from engine.release.poller import SharedPoller
    from engine.release.schedule import Completion, Plan


@dataclass
class AdaptiveInterval:
    """The pause between ticks: `base` normally, doubled on throttling up to `maximum`."""

    base: float
    maximum: float
    current: float = field(init=False)

    def __post_init__(self) -> None:
        self.base = max(self.base, 0.0)
        self.maximum = max(self.maximum, self.base)
        self.current = self.base

    def throttled(self) -> float:
        self.current = min(max(self.current * 2, self.base, 0.05), self.maximum)
        return self.current

    def succeeded(self) -> float:
        """Decay back toward the base, halving per good tick."""
        self.current = max(self.current / 2, self.base)
        return self.current


class WaitSink(Protocol):
    """Where a wait's news goes: the run's journal and the observer."""

    def eb_event(self, event: EbEvent) -> None: ...

    def aws_error(self, message: str) -> None: ...

    def polled(self, what: str, environments: Sequence[Environment]) -> None: ...

    def waited(self, what: str, completion: Completion, window: Window | None) -> None:
        """A wait's operation finished: how long it took (for the history to learn from)."""
        ...


@dataclass(eq=False)
class Watch:
    """One wait in progress: the ids it watches, its condition, its deadline and its result."""

    what: str
    application: str
    ids: tuple[str, ...]
    condition: Condition
    deadline_seconds: float
    deadline_at: float  # on the clock's monotonic scale
    since: datetime
    sink: WaitSink
    snapshot: dict[str, Environment | None] = field(default_factory=dict)
    result: Snapshot | None = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)
    plan: Plan | None = None

    def finish(self, result: Snapshot | None = None, error: BaseException | None = None) -> None:
        self.result, self.error = result, error
        self.done.set()

    @property
    def names(self) -> set[str]:
        return {env.name for env in self.snapshot.values() if env is not None}

    def last_seen(self) -> str:
        """How each watched environment looked at the last poll, for error messages."""
        parts = [_describe(env_id, self.snapshot.get(env_id)) for env_id in self.ids]
        return "; ".join(parts) or "nothing"


def _describe(env_id: str, env: Environment | None) -> str:
    if env is None:
        return f"{env_id}: not seen"
    health = env.health + (f"/{env.health_status}" if env.health_status else "")
    return f"{env.name} ({env_id}): {env.status}, health {health}, version {env.version_label}"


EventKey = tuple[datetime, str, str | None, str | None]


def event_key(event: EbEvent) -> EventKey:
    return (event.at.astimezone(UTC), event.message, event.environment_name, event.request_id)


def recorded_key(record: EventRecord) -> EventKey:
    """The key of an EB event as the history stored it (see `RunWaiter.eb_event`)."""
    environment, request = record.data.get("environment"), record.data.get("request_id")
    return (
        record.at.astimezone(UTC),
        record.message,
        str(environment) if environment else None,
        str(request) if request else None,
    )


class RunWaiter:
    """Implements `engine.domain.step.Waiter` for one run, on the process's shared poller."""

    def __init__(
        self, poller: SharedPoller, run: Run, journal: RunJournal, observer: Observer
    ) -> None:
        self._poller = poller
        self._run = run
        self._journal = journal
        self._observer = observer
        self._seen: set[EventKey] | None = None  # loaded from the history on first use
        self._lock = threading.Lock()

    def wait_for(
        self,
        what: str,
        application: str,
        environment_ids: Sequence[str],
        condition: Condition,
        deadline_seconds: float,
    ) -> Snapshot:
        return self._poller.wait(
            what, application, environment_ids, condition, deadline_seconds, self,
            not_before=self._run.created_at,
        )  # fmt: skip

    def flush_events(self) -> None:
        """The EB events this run's finished waits are still owed (the end of a drive)."""
        self._poller.flush_events(self)

    def eb_event(self, event: EbEvent) -> None:
        """Journal an EB event once per run, also across resumes by other processes."""
        with self._lock:
            if self._seen is None:
                self._seen = {recorded_key(r) for r in self._journal.recorded(EventSource.EB)}
            if event_key(event) in self._seen:
                return
            self._seen.add(event_key(event))
        data: dict[str, object] = {"severity": event.severity}
        if event.environment_name:
            data["environment"] = event.environment_name
        if event.request_id:
            data["request_id"] = event.request_id
        self._journal.add(EventRecord(self._run.id, event.at, EventSource.EB, event.message, data))

    def aws_error(self, message: str) -> None:
        self._journal.event(EventSource.AWS, message)

    def polled(self, what: str, environments: Sequence[Environment]) -> None:
        self._observer.waiting(self._run, what, environments)

    def waited(self, what: str, completion: Completion, window: Window | None) -> None:
        """An engine event the next runs of this application learn their schedule from."""
        sample, lag = completion.sample, completion.lag
        data: dict[str, object] = {
            WAITED_KEY: sample.operation, "application": sample.application,
            "environments": list(sample.environments), "seconds": round(sample.seconds, 3),
        }  # fmt: skip
        if lag is not None:
            data["detection_lag"] = round(lag, 3)
        took = f"{sample.operation} took {sample.seconds:.1f} s{timeliness(sample, window)}"
        message = f"{what}: {took}"
        self._journal.event(EventSource.ENGINE, message, **data)


def timeliness(sample: Sample, window: Window | None) -> str:
    """Whether an operation took as long as expected, in one unit (AWS seconds) whatever the
    simulator's speed: `, as expected (120-480 s)`, `, later than expected (...)`."""
    if window is None:
        return ""
    low, high = window.low / window.scale, window.high / window.scale
    verdict = "as expected" if sample.seconds <= high else "later than expected"
    if sample.seconds < low:
        verdict = "sooner than expected"
    here = ""
    if window.scale < 1:
        here = f"; {sample.seconds * window.scale:.1f} s here at {1 / window.scale:g}x speed"
    return f", {verdict} ({low:.0f}-{high:.0f} s{here})"
