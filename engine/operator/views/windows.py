"""The waits a run spent on purpose, read from its history: DNS settle and bake windows
(engine events whose data names a `window` and its `phase`), as spans of the timeline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from engine.domain.durations import utc
from engine.domain.model import EventRecord, Run
from engine.operator.views.document import iso

LABELS = {"dns_settle": "DNS settle", "bake": "bake", "keep_old": "keep old"}


def windows_of(run: Run, events: Sequence[EventRecord]) -> list[dict[str, Any]]:
    """One span per window wait, oldest first; `ended_at` None when it was cut short (a
    regression ended a bake, or the runner stopped) or is still under way."""
    spans: list[dict[str, Any]] = []
    open_spans: dict[str, dict[str, Any]] = {}
    for event in sorted(events, key=lambda record: utc(record.at)):
        window, phase = event.data.get("window"), event.data.get("phase")
        if not isinstance(window, str):
            continue
        if phase == "started" or window not in open_spans:
            open_spans[window] = _span(run, window, event)
            spans.append(open_spans[window])
        if phase == "ended":
            _close(open_spans.pop(window), event.at)
        else:
            open_spans[window]["last"] = event.message
    return spans


def _span(run: Run, window: str, event: EventRecord) -> dict[str, Any]:
    return {
        "window": window,
        "label": LABELS.get(window, window),
        "started_at": iso(event.at),
        "ended_at": None,
        "duration_seconds": None,
        "offset_seconds": (utc(event.at) - utc(run.created_at)).total_seconds(),
        "last": event.message,
    }


def _close(span: dict[str, Any], at: datetime) -> None:
    span["ended_at"] = iso(at)
    started = datetime.fromisoformat(str(span["started_at"]))
    span["duration_seconds"] = (utc(at) - utc(started)).total_seconds()
