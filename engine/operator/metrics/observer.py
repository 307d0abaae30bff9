"""Feeds the metrics from a live process: an observer of the drives (step durations, how
drives end, detection lag, AWS errors) and a run store wrapper (lease renewals, takeovers)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from engine.domain.model import EventRecord, EventSource, Run, State, TransitionRecord
from engine.operator.metrics.book import MetricsBook, outcome_label
from engine.release.expectations import WAITED_KEY
from engine.release.observer import NullObserver, Outcome


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


class MetricsObserver(NullObserver):
    """Times each state from the transition into it to the transition out of it."""

    def __init__(self, book: MetricsBook) -> None:
        self._book = book
        self._entered: dict[str, tuple[State, datetime]] = {}  # run id -> (state, since)
        self._started: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def run_started(self, run: Run) -> None:
        with self._lock:
            self._started[run.id] = datetime.now(UTC)

    def transitioned(self, run: Run, record: TransitionRecord) -> None:
        at = _utc(record.at)
        with self._lock:
            entered = self._entered.get(run.id)
            self._entered[run.id] = (record.to_state, at)
        if entered and entered[0] is record.from_state:
            seconds = max((at - entered[1]).total_seconds(), 0.0)
            self._book.step_seconds.labels(entered[0].value).observe(seconds)

    def event(self, record: EventRecord) -> None:
        if record.source is EventSource.AWS:
            self._book.aws_error(record.message)
        lag = record.data.get("detection_lag")
        if record.source is EventSource.ENGINE and isinstance(lag, int | float):
            operation = str(record.data.get(WAITED_KEY, "unknown"))
            self._book.detection_lag.labels(operation).observe(float(lag))

    def finished(self, outcome: Outcome) -> None:
        with self._lock:
            started = self._started.pop(outcome.run.id, None)
            self._entered.pop(outcome.run.id, None)
        if started is not None:
            seconds = (datetime.now(UTC) - started).total_seconds()
            self._book.release_seconds.labels(outcome_label(outcome.run.state)).observe(seconds)


class MeteredStore:
    """A run store that counts lease renewals and takeovers; the rest passes through."""

    def __init__(self, store: Any, book: MetricsBook) -> None:
        self._store = store
        self._book = book

    def renew(self, *args: Any, **kwargs: Any) -> Any:
        result = self._store.renew(*args, **kwargs)
        self._book.lease_renewals.inc()
        return result

    def take_over(self, *args: Any, **kwargs: Any) -> Any:
        result = self._store.take_over(*args, **kwargs)
        self._book.lease_takeovers.inc()
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


class MeteredQueue(MeteredStore):
    """The worker pool's queue: a claimed run that was not queued is a takeover (its driver
    died or handed it over)."""

    def claim(self, *args: Any, **kwargs: Any) -> Any:
        run = self._store.claim(*args, **kwargs)
        if run is not None and run.state is not State.QUEUED:
            self._book.lease_takeovers.inc()
        return run
