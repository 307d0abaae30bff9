"""OpenTelemetry on a real release: the engine wired by its bootstrap with the SDK's in-memory
exporter, boto3 against the simulator. One trace per drive, a span per state, and every AWS
call a child span of the state that made it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from engine.domain.model import Mode
from engine.operator.bootstrap import bootstrap
from engine.operator.inputs import release_request
from engine.operator.observer_guard import FanOutObserver
from engine.release.interrupt import Interrupt
from tests.integration.release.conftest import WiredFactory

EB = "Elastic Beanstalk"


@dataclass
class Traced:
    outcome: str
    states: list[str]  # the run's path, as the history recorded it
    spans: list[ReadableSpan]

    def named(self, name: str) -> list[ReadableSpan]:
        return [span for span in self.spans if span.name == name]

    def parent_of(self, span: ReadableSpan) -> ReadableSpan:
        assert span.parent is not None, span.name
        [parent] = [s for s in self.spans if s.context.span_id == span.parent.span_id]
        return parent


def traced_release(wired: WiredFactory, version: str) -> Traced:
    settings = wired().settings
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    runtime = bootstrap(settings, Interrupt(), tracer=provider.get_tracer("test"))
    try:
        update = {"version_label": version}
        request = release_request(settings.model_copy(update=update), Mode.FULL)
        outcome = runtime.runner.release(request, FanOutObserver(*runtime.observers))
        states = [t.to_state.value for t in runtime.store.transitions(outcome.run.id)]
    finally:
        runtime.close()
    return Traced(outcome.run.state.value, states, list(exporter.get_finished_spans()))


@pytest.mark.slow
def test_a_release_is_one_trace_with_a_span_per_state_and_aws_calls_inside(
    wired: WiredFactory,
) -> None:
    traced = traced_release(wired, "v2")
    assert traced.outcome == "succeeded"

    [root] = [span for span in traced.spans if span.parent is None]
    assert root.name.startswith("release ")
    assert root.attributes is not None and root.attributes["bluegreen.outcome"] == "succeeded"
    assert {span.context.trace_id for span in traced.spans} == {root.context.trace_id}

    state_spans = sorted(
        (s for s in traced.spans if s.parent and s.parent.span_id == root.context.span_id),
        key=lambda s: s.start_time or 0,
    )
    walked = [state for state in traced.states if state not in ("succeeded",)]
    assert [span.name for span in state_spans] == walked

    calls = [span for span in traced.spans if span.kind is SpanKind.CLIENT]
    assert calls, "no AWS call was traced"
    assert all(traced.parent_of(call) in state_spans for call in calls)
    for call in calls:
        attributes = call.attributes or {}
        assert attributes["rpc.system"] == "aws-api"
        assert call.name == f"{attributes['rpc.service']}.{attributes['rpc.method']}"
        status = attributes["http.response.status_code"]
        if status == 200:
            assert call.status.status_code is not StatusCode.ERROR
        else:  # an expected answer such as "no such template" is still a failed call
            assert call.status.status_code is StatusCode.ERROR and attributes["error.type"]
        assert call.start_time and call.end_time and call.start_time <= call.end_time

    # Each mutating call sits under the step that makes it.
    [swap] = traced.named(f"{EB}.SwapEnvironmentCNAMEs")[:1]
    assert traced.parent_of(swap).name == "swapping"
    [create] = traced.named(f"{EB}.CreateEnvironment")
    assert traced.parent_of(create).name == "cloning"
    [terminate] = traced.named(f"{EB}.TerminateEnvironment")
    assert traced.parent_of(terminate).name == "cleaning_up"
    # The shared poller's reads, made on its own thread, land under the waiting state.
    polls = traced.named(f"{EB}.DescribeEnvironments")
    assert {traced.parent_of(poll).name for poll in polls} >= {"cloning"}


def test_a_failed_aws_call_is_an_error_span(wired: WiredFactory) -> None:
    traced = traced_release(wired, "no-such-version")
    assert traced.outcome in ("refused", "failed", "rolled_back")
    errors = [
        span for span in traced.spans
        if span.kind is SpanKind.CLIENT and span.status.status_code is StatusCode.ERROR
    ]  # fmt: skip
    # Refused in preflight or at the first call: either way the root says it did not succeed.
    [root] = [span for span in traced.spans if span.parent is None]
    assert root.status.status_code is StatusCode.ERROR
    for span in errors:
        assert (span.attributes or {}).get("error.type")
