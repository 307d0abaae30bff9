"""Opt-in OpenTelemetry traces (the `otel` extra): on only when an OTEL_* variable asks for
traces; otherwise nothing of OpenTelemetry is imported."""

from __future__ import annotations

from collections.abc import Mapping

ASKING = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")


def tracing_requested(environ: Mapping[str, str]) -> bool:
    """OTEL_TRACES_EXPORTER set (and not `none`), or an OTLP endpoint given."""
    exporter = environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporter:
        return exporter != "none"
    return any(environ.get(name) for name in ASKING)
