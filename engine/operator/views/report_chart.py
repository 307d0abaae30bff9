"""The report's timeline chart: an inline SVG with one bar per step (labelled with its state
and duration) and lanes of markers for EB events, probes (failed ones red), engine and AWS
events, operator actions and errors, on a shared time axis. Every text is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from engine.domain.durations import human_duration
from engine.domain.lifecycle import LIFECYCLE

WIDTH = 1000
LEFT = 130  # room for lane labels
RIGHT = 20
TOP = 10
ROW = 26
BAR = 18
TICK_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400)
LANES = (
    ("eb", "EB events"),
    ("probe", "health probes"),
    ("engine", "engine"),
    ("aws", "AWS errors"),
    ("operator", "operator"),
    ("notify", "notifications"),
    ("error", "errors"),
)
FAILURE_TRIGGERS = ("fail", "give_up")
# The chart carries its own style, so the SVG stays readable when copied out of the page.
# Each state's colour is in the lifecycle table; the windows (settle, bake) drawn under the
# steps have their own.
WINDOW_COLOURS = {"dns_settle": "#c9b8e8", "bake": "#f2d49b", "keep_old": "#f5e1a4"}
STATE_COLOURS = {info.state.value: info.colour for info in LIFECYCLE} | WINDOW_COLOURS
MARKER_COLOURS = {
    "eb": "#1f6feb",
    "probe": "#1f8a4c",
    "probe-failed": "#d0021b",
    "engine": "#6b7280",
    "operator": "#8b5cf6",
    "aws": "#d97706",
    "notify": "#0e7490",
    "error": "#c62828",
}
CHART_STYLE = (
    "svg.timeline{background:#f5f7fa}"
    ".timeline .grid{stroke:#d9dde5;stroke-width:1}"
    ".timeline .tick,.timeline .lane-label{font:11px sans-serif;fill:#5b6475}"
    ".timeline .lane-line{stroke:#c3c9d4;stroke-dasharray:2 3}"
    ".timeline .bar{fill:#7a8aa6}"
    ".timeline .bar-label{font:12px sans-serif;fill:#1d2330}"
    ".timeline .step.running .bar{fill-opacity:.55;stroke:#7a8aa6;stroke-dasharray:4 2}"
    + "".join(
        f".timeline .state-{state}{{fill:{colour}}}" for state, colour in STATE_COLOURS.items()
    )
    + f".timeline .lane-eb .dot{{fill:{MARKER_COLOURS['eb']}}}"
    f".timeline .lane-probe .dot{{fill:{MARKER_COLOURS['probe']}}}"
    f".timeline .lane-notify .dot{{fill:{MARKER_COLOURS['notify']}}}"
    f".timeline .marker.failed .cross{{stroke:{MARKER_COLOURS['probe-failed']};stroke-width:3}}"
    f".timeline .marker.failed .dot{{fill:{MARKER_COLOURS['probe-failed']}}}"
    f".timeline .lane-engine .diamond{{fill:{MARKER_COLOURS['engine']}}}"
    f".timeline .lane-operator .diamond{{fill:{MARKER_COLOURS['operator']}}}"
    f".timeline .lane-aws .triangle{{fill:{MARKER_COLOURS['aws']}}}"
    f".timeline .lane-error .triangle{{fill:{MARKER_COLOURS['error']}}}"
)


@dataclass(frozen=True)
class Scale:
    """Maps seconds since the run's start to x pixels."""

    total_seconds: float

    def x(self, seconds: float) -> float:
        plot = WIDTH - LEFT - RIGHT
        clamped = min(max(seconds, 0.0), self.total_seconds)
        return round(LEFT + plot * clamped / self.total_seconds, 2)


def timeline_svg(detail: dict[str, Any]) -> str:
    """The whole chart for a `run_detail` document."""
    scale = Scale(_chart_seconds(detail))
    lanes = _lanes(detail)
    windows = [_as_step(window) for window in detail.get("windows", [])]
    steps_height = ROW * (len(detail["steps"]) + len(windows))
    lanes_top = TOP + steps_height + 8
    axis_y = lanes_top + ROW * len(lanes) + 6
    height = axis_y + 30
    parts = [_axis(scale, TOP, axis_y)]
    bars = [*detail["steps"], *windows]
    parts += [_step_bar(step, index, scale) for index, step in enumerate(bars)]
    for index, (key, label, markers) in enumerate(lanes):
        parts.append(_lane(key, label, markers, lanes_top + ROW * index, scale))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-label="timeline of run {escape(str(detail["id"]))}">'
        f"<style>{CHART_STYLE}</style>" + "".join(parts) + "</svg>"
    )


def _as_step(window: dict[str, Any]) -> dict[str, Any]:
    """A settle or bake window drawn like a step (its colour keyed by the window's name);
    one cut short (no end recorded) is drawn as a sliver at its start."""
    return {
        "state": window["window"],
        "started_at": window["started_at"],
        "ended_at": window["ended_at"],
        "offset_seconds": window["offset_seconds"],
        "duration_seconds": window["duration_seconds"] or 0.0,
    }


def _chart_seconds(detail: dict[str, Any]) -> float:
    offsets = [float(detail["duration_seconds"] or 0.0)]
    offsets += [float(event["offset_seconds"]) for event in detail["events"]]
    return max([*offsets, 1.0])


def _lanes(detail: dict[str, Any]) -> list[tuple[str, str, list[dict[str, Any]]]]:
    by_lane: dict[str, list[dict[str, Any]]] = {key: [] for key, _ in LANES}
    for event in detail["events"]:
        by_lane.setdefault(event["source"], []).append(event)
        if event["failed"] and event["source"] != "probe":
            by_lane["error"].append(event)
    for record in detail["transitions"]:
        if record["trigger"] in FAILURE_TRIGGERS:
            message = f"{record['from']} -> {record['to']}: {record['detail'] or record['trigger']}"
            by_lane["error"].append(
                {
                    "at": record["at"],
                    "offset_seconds": record["offset_seconds"],
                    "source": "error",
                    "message": message,
                    "failed": True,
                }
            )
    labels = dict(LANES)
    return [(key, labels.get(key, key), markers) for key, markers in by_lane.items() if markers]


def _axis(scale: Scale, top: float, bottom: float) -> str:
    step = _tick_step(scale.total_seconds)
    parts = []
    tick = 0.0
    while tick <= scale.total_seconds + 1e-9:
        x = scale.x(tick)
        parts.append(
            f'<line class="grid" x1="{x}" y1="{top}" x2="{x}" y2="{bottom}"/>'
            f'<text class="tick" x="{x}" y="{bottom + 16}" text-anchor="middle">'
            f"{'0' if tick == 0 else '+' + escape(human_duration(tick))}</text>"
        )
        tick += step
    return '<g class="axis">' + "".join(parts) + "</g>"


def _tick_step(total_seconds: float) -> float:
    for step in TICK_STEPS:
        if total_seconds / step <= 10:
            return float(step)
    return float(TICK_STEPS[-1])


def _step_bar(step: dict[str, Any], index: int, scale: Scale) -> str:
    start = float(step["offset_seconds"])
    running = step["duration_seconds"] is None
    duration = scale.total_seconds - start if running else float(step["duration_seconds"])
    x1, x2 = scale.x(start), scale.x(start + duration)
    width = max(x2 - x1, 2.0)
    y = TOP + ROW * index
    state = escape(step["state"])
    label = f"{state} {escape(human_duration(duration))}" + (" (running)" if running else "")
    label_x, anchor = (x1 + width + 6, "start") if x2 < WIDTH * 0.72 else (x1 - 6, "end")
    title = f"{state}: {escape(str(step['started_at']))} to {escape(str(step['ended_at']))}"
    return (
        f'<g class="step{" running" if running else ""}" data-state="{state}">'
        f"<title>{title}</title>"
        f'<rect class="bar state-{state}" x="{x1}" y="{y + (ROW - BAR) / 2}" '
        f'width="{round(width, 2)}" height="{BAR}" rx="3"/>'
        f'<text class="bar-label" x="{round(label_x, 2)}" y="{y + ROW / 2 + 4}" '
        f'text-anchor="{anchor}">{label}</text></g>'
    )


def _lane(key: str, label: str, markers: Sequence[dict[str, Any]], y: float, scale: Scale) -> str:
    middle = y + ROW / 2
    shapes = "".join(
        _marker(key, event, scale.x(float(event["offset_seconds"])), middle) for event in markers
    )
    return (
        f'<g class="lane lane-{escape(key)}">'
        f'<text class="lane-label" x="{LEFT - 8}" y="{middle + 4}" text-anchor="end">'
        f"{escape(label)}</text>"
        f'<line class="lane-line" x1="{LEFT}" y1="{middle}" x2="{WIDTH - RIGHT}" y2="{middle}"/>'
        f"{shapes}</g>"
    )


def _marker(lane: str, event: dict[str, Any], x: float, y: float) -> str:
    failed = bool(event["failed"])
    kind = f"{lane}-failed" if failed else lane
    title = f"{event['at']} {event['source']}: {event['message']}"
    return (
        f'<g class="marker {escape(kind)}{" failed" if failed else ""}">'
        f"<title>{escape(title)}</title>{_shape(lane, failed, x, y)}</g>"
    )


def _shape(lane: str, failed: bool, x: float, y: float) -> str:
    if lane == "probe" and failed:
        return (
            f'<path class="cross" d="M{x - 5} {y - 5} L{x + 5} {y + 5} '
            f'M{x - 5} {y + 5} L{x + 5} {y - 5}"/>'
        )
    if lane in ("error", "aws"):
        return f'<path class="triangle" d="M{x} {y - 6} L{x + 6} {y + 5} L{x - 6} {y + 5} Z"/>'
    if lane in ("engine", "operator"):
        return f'<path class="diamond" d="M{x} {y - 6} L{x + 6} {y} L{x} {y + 6} L{x - 6} {y} Z"/>'
    return f'<circle class="dot" cx="{x}" cy="{y}" r="5"/>'
