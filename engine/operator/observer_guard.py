"""Observer plumbing: several observers as one, and a guard so none can break a release."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from engine.domain.model import EventRecord, Run, TransitionRecord
from engine.domain.ports.cloud import Environment
from engine.release.observer import Observer, Outcome


class FanOutObserver:
    """Tells every observer, in order; one that raises is reported once and then skipped."""

    def __init__(self, *observers: Observer) -> None:
        self._observers = list(observers)
        self._broken: set[int] = set()

    def _each(self, call: Callable[[Observer], None]) -> None:
        for index, observer in enumerate(self._observers):
            if index in self._broken:
                continue
            try:
                call(observer)
            except Exception as error:  # an observer must never stop a release
                self._broken.add(index)
                print(f"bluegreen: progress output disabled: {error!r}", file=sys.stderr)

    def run_started(self, run: Run) -> None:
        self._each(lambda o: o.run_started(run))

    def transitioned(self, run: Run, record: TransitionRecord) -> None:
        self._each(lambda o: o.transitioned(run, record))

    def event(self, record: EventRecord) -> None:
        self._each(lambda o: o.event(record))

    def waiting(self, run: Run, what: str, environments: Sequence[Environment]) -> None:
        self._each(lambda o: o.waiting(run, what, environments))

    def finished(self, outcome: Outcome) -> None:
        self._each(lambda o: o.finished(outcome))
