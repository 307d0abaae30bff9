"""One trace per drive of a run: a root span `release <run id>`, a child span per state
(opened on the transition into it, closed on the one out of it), AWS retries as span events."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import Span, Status, StatusCode, Tracer

from engine.domain.model import EventRecord, EventSource, Run, State, TransitionRecord
from engine.release.observer import NullObserver, Outcome

FAILED = {State.FAILED, State.ROLLED_BACK, State.REFUSED}


def _nanos(moment: datetime) -> int:
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return int(moment.timestamp() * 1e9)


class TracingObserver(NullObserver):
    def __init__(self, tracer: Tracer) -> None:
        self._tracer = tracer
        self._roots: dict[str, Span] = {}
        self._states: dict[str, Span] = {}
        self._lock = threading.Lock()

    def run_started(self, run: Run) -> None:
        attributes: dict[str, Any] = {
            "bluegreen.run_id": run.id, "bluegreen.app": run.target.app,
            "bluegreen.blue": run.target.blue, "bluegreen.green": run.green,
            "bluegreen.version_label": run.version_label, "cloud.region": run.target.region,
        }  # fmt: skip
        with self._lock:
            if run.id not in self._roots:
                self._roots[run.id] = self._tracer.start_span(
                    f"release {run.id}", attributes=attributes
                )

    def transitioned(self, run: Run, record: TransitionRecord) -> None:
        at = _nanos(record.at)
        with self._lock:
            root = self._roots.get(run.id)
            if root is None:
                return
            previous = self._states.pop(run.id, None)
            if previous is not None:
                previous.set_attribute("bluegreen.trigger", record.trigger)
                previous.end(end_time=at)
            if record.to_state.is_final:
                return
            context = trace.set_span_in_context(root)
            self._states[run.id] = self._tracer.start_span(
                record.to_state.value, context=context, start_time=at,
                attributes={"bluegreen.state": record.to_state.value},
            )  # fmt: skip

    def event(self, record: EventRecord) -> None:
        if record.source is not EventSource.AWS:
            return
        with self._lock:
            span = self._states.get(record.run_id) or self._roots.get(record.run_id)
        if span is not None:
            span.add_event("aws.retry", {"message": record.message}, _nanos(record.at))

    def finished(self, outcome: Outcome) -> None:
        with self._lock:
            state = self._states.pop(outcome.run.id, None)
            root = self._roots.pop(outcome.run.id, None)
        if state is not None:
            state.end()
        if root is None:
            return
        root.set_attribute("bluegreen.outcome", outcome.run.state.value)
        root.set_attribute("bluegreen.exit_code", int(outcome.exit_code))
        if outcome.run.state in FAILED:
            root.set_status(Status(StatusCode.ERROR, outcome.summary))
        root.end()


def otlp_tracer() -> tuple[Tracer, Any]:
    """A tracer exporting over OTLP/HTTP as the OTEL_* variables configure it; its provider's
    shutdown (flushes what is left)."""
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": "bluegreen"}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider.get_tracer("beanstalk-bluegreen"), provider.shutdown
