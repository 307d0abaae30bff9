"""One trace per drive of a run: a root span `release <run id>`, a child span per state
(opened on the transition into it, closed on the one out of it), each AWS call a child span of
the state that made it (AWS retries as span events).

Which run made a call: the run this thread drives (the drive calls the observer on its own
thread), else the only run in flight (the shared poller's thread polls for it). A poll shared
by several runs becomes a span of its own, linked to each of their states.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import Link, Span, SpanKind, Status, StatusCode, Tracer
from opentelemetry.util.types import AttributeValue

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
        self._driving = threading.local()  # .run_id: the run this thread drives

    def run_started(self, run: Run) -> None:
        self._driving.run_id = run.id
        attributes: dict[str, Any] = {
            "bluegreen.run_id": run.id, "bluegreen.app": run.target.app,
            "bluegreen.blue": run.target.blue, "bluegreen.green": run.green,
            "bluegreen.version_label": run.version_label, "cloud.region": run.target.region,
        }  # fmt: skip
        with self._lock:
            if run.id not in self._roots:
                root = self._tracer.start_span(f"release {run.id}", attributes=attributes)
                self._roots[run.id] = root
                if not run.state.is_final:  # the state the drive starts in (preflight, or
                    # where a resumed run stopped) has its span too
                    self._states[run.id] = self._tracer.start_span(
                        run.state.value, context=trace.set_span_in_context(root),
                        attributes={"bluegreen.state": run.state.value},
                    )  # fmt: skip

    def transitioned(self, run: Run, record: TransitionRecord) -> None:
        self._driving.run_id = run.id
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

    def call_started(self, service: str, operation: str) -> object:
        """An AWS call begins (cloud.aws_calls.CallListener): its span, or None if no run is
        in flight. Named `Service.Operation` with the rpc.* attributes of OpenTelemetry's
        semantic conventions for the AWS SDK (rpc.system `aws-api`)."""
        attributes: dict[str, AttributeValue] = {
            "rpc.system": "aws-api", "rpc.service": service, "rpc.method": operation,
        }  # fmt: skip
        name = f"{service}.{operation}"
        with self._lock:
            mine = self._states.get(getattr(self._driving, "run_id", None) or "")
            active = list(self._states.values())
        if mine is None and len(active) == 1:
            mine = active[0]
        if mine is not None:
            context = trace.set_span_in_context(mine)
            return self._tracer.start_span(name, context=context, kind=SpanKind.CLIENT,
                                           attributes=attributes)  # fmt: skip
        if not active:
            return None
        links = [Link(span.get_span_context()) for span in active]
        shared: dict[str, AttributeValue] = {**attributes, "bluegreen.shared": True}
        return self._tracer.start_span(name, kind=SpanKind.CLIENT, links=links, attributes=shared)

    def call_ended(self, token: object, status: int | None, error: str | None) -> None:
        if not isinstance(token, Span):
            return
        if status is not None:
            token.set_attribute("http.response.status_code", status)
        if error is not None:
            token.set_attribute("error.type", error)
            token.set_status(Status(StatusCode.ERROR, error))
        token.end()

    def finished(self, outcome: Outcome) -> None:
        if getattr(self._driving, "run_id", None) == outcome.run.id:
            self._driving.run_id = None
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


def otlp_tracer(exporter_name: str = "otlp") -> tuple[Tracer, Any]:
    """A tracer exporting as the OTEL_* variables configure it (OTEL_TRACES_EXPORTER `otlp`,
    the default, over OTLP/HTTP; or `console`); its provider's shutdown (flushes what is left).
    OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES are read by the SDK's Resource.create."""
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import (
        BatchSpanProcessor,
        ConsoleSpanExporter,
        SpanExporter,
    )

    exporter: SpanExporter
    if exporter_name == "console":
        exporter = ConsoleSpanExporter()
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter()
    resource = Resource.create()  # OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES
    if str(resource.attributes.get("service.name", "")).startswith("unknown_service"):
        resource = resource.merge(Resource({"service.name": "bluegreen"}))
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider.get_tracer("beanstalk-bluegreen"), provider.shutdown
