"""Small hand-written fakes for the engine's unit tests (no I/O, no threads of their own)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from engine.domain.errors import ThrottledError
from engine.domain.model import EventRecord, Run, TransitionRecord
from engine.domain.ports.cloud import EbEvent, Environment
from engine.release.expectations import Window
from engine.release.observer import Outcome
from engine.release.schedule import Completion
from tests.fakes.clock import FakeClock

# The one fake clock of the tests (tests.fakes.FakeClock), under the name these tests use.
ManualClock = FakeClock


def environment(env_id: str, name: str, status: str = "Ready", **changes: Any) -> Environment:
    env = Environment(
        id=env_id, name=name, application="app", status=status, health="Green",
        version_label="v1", cname=f"{name}.us-east-1.elasticbeanstalk.com",
    )  # fmt: skip
    return replace(env, **changes)


@dataclass
class PollingBeanstalk:
    """Answers DescribeEnvironments and DescribeEvents from dicts; counts the calls."""

    environments: dict[str, Environment] = field(default_factory=dict)
    event_log: list[EbEvent] = field(default_factory=list)
    throttle_next: int = 0
    describe_calls: list[tuple[str, ...]] = field(default_factory=list)
    events_calls: list[tuple[str, datetime, tuple[str, ...]]] = field(default_factory=list)

    def describe_environments(
        self,
        application: str | None = None,
        names: Sequence[str] = (),
        ids: Sequence[str] = (),
        include_deleted: bool = False,
    ) -> list[Environment]:
        assert include_deleted, "the poller must see terminated environments"
        self.describe_calls.append(tuple(ids))
        if self.throttle_next:
            self.throttle_next -= 1
            raise ThrottledError("Rate exceeded", code="Throttling")
        return [self.environments[i] for i in ids if i in self.environments]

    def events(
        self, application: str, since: datetime, environment_names: Sequence[str] = ()
    ) -> list[EbEvent]:
        self.events_calls.append((application, since, tuple(environment_names)))
        return [e for e in self.event_log if e.at >= since]


@dataclass
class RecordingSink:
    """Collects what the poller tells one waiter."""

    eb_events: list[EbEvent] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    polls: list[tuple[str, list[Environment]]] = field(default_factory=list)
    completions: list[tuple[str, Completion, Window | None]] = field(default_factory=list)

    def eb_event(self, event: EbEvent) -> None:
        self.eb_events.append(event)

    def aws_error(self, message: str) -> None:
        self.errors.append(message)

    def polled(self, what: str, environments: Sequence[Environment]) -> None:
        self.polls.append((what, list(environments)))

    def waited(self, what: str, completion: Completion, window: Window | None) -> None:
        self.completions.append((what, completion, window))


@dataclass
class RecordingObserver:
    """Keeps everything an observer is told."""

    started: list[Run] = field(default_factory=list)
    transitions: list[TransitionRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    waits: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    def run_started(self, run: Run) -> None:
        self.started.append(run)

    def transitioned(self, run: Run, record: TransitionRecord) -> None:
        self.transitions.append(record)

    def event(self, record: EventRecord) -> None:
        self.events.append(record)

    def waiting(self, run: Run, what: str, environments: Sequence[Environment]) -> None:
        self.waits.append(what)

    def finished(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)


def watching(poller: Any) -> int:
    """How many waits a SharedPoller is watching (its private list: tests only)."""
    return len(poller._watches)


def eventually(check: Callable[[], bool], seconds: float = 5.0) -> None:
    """Poll `check` until true (threads in flight); fails after `seconds`."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "condition not reached in time"
        threading.Event().wait(0.001)


def in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    """Run `work` on a thread; the dict gets `result` or `error`."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = work()
        except BaseException as error:
            box["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, box
