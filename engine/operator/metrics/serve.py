"""Wiring the metrics into a worker (an HTTP endpoint for Prometheus to scrape) and into the
one-shot `bluegreen metrics --textfile` (the history replayed, written atomically)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from typing import Any, cast

from prometheus_client import start_http_server, write_to_textfile

from engine.domain.model import EventSource, State
from engine.domain.ports.queue import RunQueue
from engine.domain.ports.store import RunQuery, RunStore
from engine.operator.metrics.book import MetricsBook
from engine.operator.metrics.observer import MeteredQueue, MeteredStore, MetricsObserver
from engine.operator.views.history import steps_of
from engine.release.drive import Services
from engine.release.expectations import WAITED_KEY

HISTORY_LIMIT = 500  # runs replayed by the one-shot command, newest first


def all_states(store: RunStore) -> list[State]:
    return [run.state for run in store.list_runs(RunQuery(limit=None))]


def metered_worker(
    services: Services, queue: RunQueue, port: int, address: str = "127.0.0.1"
) -> tuple[Services, RunQueue, MetricsObserver, Any]:
    """The worker's services and queue, counted; the observer to add; the HTTP server."""
    book = MetricsBook()
    store = services.store
    book.watch_runs(lambda: all_states(store))
    book.watch_queue(lambda: len(queue.queued()))
    calls = getattr(services.beanstalk, "api_calls", None)
    if calls is not None:
        book.watch_calls(lambda: Counter(calls))
    server, _thread = start_http_server(port, addr=address, registry=book.registry)
    metered = dataclasses.replace(services, store=cast(RunStore, MeteredStore(store, book)))
    return metered, cast(RunQueue, MeteredQueue(queue, book)), MetricsObserver(book), server


def history_book(store: RunStore, queue: RunQueue | None) -> MetricsBook:
    """The metrics a history can tell: runs, queue, step durations, lag, AWS errors."""
    book = MetricsBook()
    states = all_states(store)
    book.watch_runs(lambda: states)
    depth = len(queue.queued()) if queue is not None else 0
    book.watch_queue(lambda: depth)
    for run in store.list_runs(RunQuery(limit=HISTORY_LIMIT)):
        for step in steps_of(run, store.transitions(run.id)):
            if step.ended_at is not None:
                book.step_seconds.labels(step.state.value).observe(step.duration_seconds or 0.0)
        for event in store.events(run.id):
            if event.source is EventSource.AWS:
                book.aws_error(event.message)
            lag = event.data.get("detection_lag")
            if isinstance(lag, int | float):
                book.detection_lag.labels(str(event.data.get(WAITED_KEY))).observe(float(lag))
    return book


def write_textfile(book: MetricsBook, path: Path) -> None:
    """node-exporter reads *.prom files: written to a temporary file, then renamed."""
    write_to_textfile(str(path), book.registry)
