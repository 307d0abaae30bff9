"""Which span an AWS call belongs to: the state of the run its thread drives; else the only
run in flight (the poller's thread); a poll shared by several runs links to each of them."""

from __future__ import annotations

import threading

from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from engine.domain.exit_codes import ExitCode
from engine.domain.model import State, TransitionRecord
from engine.operator.tracing.observer import TracingObserver
from engine.release.observer import Outcome
from tests.unit.storage.builders import T0, make_run

EB = "Elastic Beanstalk"


def observer() -> tuple[TracingObserver, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return TracingObserver(provider.get_tracer("test")), exporter


def on_thread(action: object) -> None:
    assert callable(action)
    thread = threading.Thread(target=action)
    thread.start()
    thread.join()


def call(tracing: TracingObserver, operation: str, error: str | None = None) -> None:
    token = tracing.call_started(EB, operation)
    tracing.call_ended(token, 400 if error else 200, error)


def spans(exporter: InMemorySpanExporter, name: str) -> list[ReadableSpan]:
    return [span for span in exporter.get_finished_spans() if span.name == name]


def test_a_call_belongs_to_the_state_of_the_run_its_thread_drives() -> None:
    tracing, exporter = observer()
    first, second = make_run(), make_run()
    on_thread(lambda: tracing.run_started(first))
    tracing.run_started(second)
    tracing.transitioned(second, TransitionRecord(second.id, State.PREFLIGHT, State.CLONING,
                                                  "clone", T0))  # fmt: skip
    call(tracing, "CreateEnvironment")
    tracing.finished(Outcome(second, ExitCode.OK, "done"))
    [create] = spans(exporter, f"{EB}.CreateEnvironment")
    [cloning] = spans(exporter, "cloning")
    assert create.parent is not None and create.parent.span_id == cloning.context.span_id


def test_a_poll_for_the_only_run_in_flight_is_a_child_of_its_state() -> None:
    tracing, exporter = observer()
    run = make_run()
    tracing.run_started(run)
    on_thread(lambda: call(tracing, "DescribeEnvironments"))
    tracing.finished(Outcome(run, ExitCode.OK, "done"))
    [poll] = spans(exporter, f"{EB}.DescribeEnvironments")
    [preflight] = spans(exporter, "preflight")
    assert poll.parent is not None and poll.parent.span_id == preflight.context.span_id


def test_a_poll_shared_by_several_runs_links_to_each() -> None:
    tracing, exporter = observer()
    runs = [make_run(), make_run()]
    for run in runs:
        on_thread(lambda run=run: tracing.run_started(run))
    on_thread(lambda: call(tracing, "DescribeEnvironments", error="Throttling"))
    for run in runs:
        tracing.finished(Outcome(run, ExitCode.OK, "done"))
    [poll] = spans(exporter, f"{EB}.DescribeEnvironments")
    assert poll.parent is None
    states = {span.context.span_id for span in spans(exporter, "preflight")}
    assert {link.context.span_id for link in poll.links} == states and len(states) == 2
    assert poll.status.status_code is StatusCode.ERROR
    assert (poll.attributes or {})["error.type"] == "Throttling"


def test_no_span_for_a_call_while_no_run_is_in_flight() -> None:
    tracing, exporter = observer()
    assert tracing.call_started(EB, "DescribeApplications") is None
    tracing.call_ended(None, 200, None)
    assert exporter.get_finished_spans() == ()
