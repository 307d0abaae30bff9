"""OpenTelemetry: the tracing observer fed a real release's drive (its records read back from
the history) gives one trace, one span per state; with no OTEL_* variable nothing loads."""

from __future__ import annotations

import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from engine.domain.exit_codes import ExitCode
from engine.operator.tracing import tracing_requested
from engine.operator.tracing.observer import TracingObserver
from engine.release.observer import Outcome
from simulator.seed import ReleaseTarget
from tests.e2e.cli import Cli


@pytest.mark.slow
def test_a_release_is_one_trace_with_a_span_per_state(cli: Cli, target: ReleaseTarget) -> None:
    done = cli.run("full", "--version-label", "v2", **cli.replaced_tool_env())
    assert done.exit_code == 0, done
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    observer = TracingObserver(provider.get_tracer("test"))
    store = cli.store()
    try:
        run, transitions = store.get(done.run_id), store.transitions(done.run_id)
        observer.run_started(run)
        for record in transitions:
            observer.transitioned(run, record)
        observer.finished(Outcome(run, ExitCode.OK, "done"))
    finally:
        store.close()

    spans = exporter.get_finished_spans()
    [root] = [span for span in spans if span.parent is None]
    children = [span for span in spans if span.parent is not None]
    assert {span.context.trace_id for span in spans} == {root.context.trace_id}
    assert all(span.parent.span_id == root.context.span_id for span in children)
    states = [t.to_state.value for t in transitions if not t.to_state.is_final]
    assert [span.name for span in sorted(children, key=lambda s: s.start_time)] == states
    assert root.attributes["bluegreen.outcome"] == "succeeded"
    assert all(span.end_time >= span.start_time for span in children)


def test_traces_are_asked_for_by_otel_variables_only() -> None:
    assert not tracing_requested({})
    endpoint = "http://127.0.0.1:4318"
    assert not tracing_requested(
        {"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint}
    )
    assert tracing_requested({"OTEL_EXPORTER_OTLP_ENDPOINT": endpoint})
    assert tracing_requested({"OTEL_TRACES_EXPORTER": "otlp"})


def test_an_exporter_bluegreen_does_not_have_is_refused_in_one_line(
    cli: Cli, target: ReleaseTarget
) -> None:
    done = cli.run("full", "--version-label", "v2", OTEL_TRACES_EXPORTER="zipkin",
                   **cli.replaced_tool_env())  # fmt: skip
    assert done.exit_code == 2, done
    assert "OTEL_TRACES_EXPORTER='zipkin'" in done.stderr
    assert cli.history_is_empty()


@pytest.mark.slow
def test_a_release_exports_its_trace_over_otlp(cli: Cli, target: ReleaseTarget) -> None:
    """The real OTLP/HTTP exporter, to a collector stand-in on loopback: the protobuf it posts
    holds the release's spans, AWS calls among them."""
    received: list[bytes] = []

    class Collector(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_address[1]}"
        done = cli.run("full", "--version-label", "v2", OTEL_EXPORTER_OTLP_ENDPOINT=endpoint,
                       OTEL_SERVICE_NAME="shop-releases", **cli.replaced_tool_env())  # fmt: skip
    finally:
        server.shutdown()
    assert done.exit_code == 0, done
    names: list[str] = []
    services: set[str] = set()
    for body in received:
        request = ExportTraceServiceRequest.FromString(body)
        for resource_spans in request.resource_spans:
            for attribute in resource_spans.resource.attributes:
                if attribute.key == "service.name":
                    services.add(attribute.value.string_value)
            names += [span.name for scope in resource_spans.scope_spans for span in scope.spans]
    assert services == {"shop-releases"}
    assert f"release {done.run_id}" in names
    assert {"preflight", "cloning", "swapping", "verifying"} <= set(names)
    assert "Elastic Beanstalk.SwapEnvironmentCNAMEs" in names


def test_without_otel_variables_opentelemetry_is_never_imported() -> None:
    code = (
        "import sys\n"
        "from engine.operator import bootstrap\n"
        "assert bootstrap._tracing() is None\n"
        "print(sorted(m for m in sys.modules if m.startswith('opentelemetry')))\n"
    )
    env = {"PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
