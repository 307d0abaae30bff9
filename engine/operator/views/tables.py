"""Rich renderings of the history documents (`engine.operator.views.history`): the tables
of `runs list`, `runs show` and `status`. They show the same data as `--json`, for people.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from engine.domain.durations import human_duration, utc
from engine.domain.lifecycle import LIFECYCLE
from engine.operator.views.history import health_check_text

STATE_STYLES = {info.state.value: info.style for info in LIFECYCLE}  # the lifecycle's own
SOURCE_STYLES = {
    "eb": "cyan",
    "probe": "green",
    "engine": "white",
    "aws": "yellow",
    "operator": "magenta",
    "notify": "blue",
}


def _when(at: str | None) -> str:
    """An ISO time from a document, to the second (the JSON keeps the microseconds)."""
    if at is None:
        return "-"
    return utc(datetime.fromisoformat(at)).strftime("%Y-%m-%d %H:%M:%S")


def _state(state: str) -> Text:
    return Text(state, style=STATE_STYLES.get(state, "bold"))


RUN_COLUMNS = ("id", "state", "version", "target", "created (UTC)", "duration", "error")
ALWAYS_SHOWN = 4  # id, state, version, target; the others only when the width allows
ERROR_MIN_WIDTH = 20


class RunsTable:
    """`runs list` as a table that fits the width it gets: no column is cut; the rightmost
    ones (error, duration, created) are left out when there is no room (`runs show` has all)."""

    def __init__(self, rows: Sequence[dict[str, Any]]) -> None:
        self.rows = rows
        self.cells = [_run_cells(row) for row in rows]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.rows:
            yield Text("no runs match")
            return
        widths = [
            max(len(RUN_COLUMNS[index]), *(len(cells[index]) for cells in self.cells))
            for index in range(len(RUN_COLUMNS))
        ]
        widths[-1] = min(widths[-1], ERROR_MIN_WIDTH)
        shown = len(RUN_COLUMNS)
        while shown > ALWAYS_SHOWN and sum(widths[:shown]) + 3 * shown + 1 > options.max_width:
            shown -= 1
        yield self._table(widths, shown)

    def _table(self, widths: list[int], shown: int) -> Table:
        table = Table(*RUN_COLUMNS[:shown])
        for column, width in zip(table.columns, widths, strict=False):
            column.no_wrap, column.min_width = True, width
        table.columns[-1].overflow = "ellipsis"
        for row, cells in zip(self.rows, self.cells, strict=True):
            texts: list[Text] = [Text(cell) for cell in cells[:shown]]
            texts[1] = _state(row["state"])
            table.add_row(*texts)
        return table


def runs_table(rows: Sequence[dict[str, Any]]) -> RenderableType:
    return RunsTable(rows)


def _run_cells(row: dict[str, Any]) -> list[str]:
    return [
        row["id"],
        row["state"],
        f"{row['previous_version_label'] or '?'} -> {row['version_label']}",
        f"{row['app']}/{row['blue']}",
        _when(row["created_at"]),
        human_duration(row["duration_seconds"]),
        _short(row["error"]),
    ]


def _short(text: str | None, length: int = 40) -> str:
    if not text:
        return ""
    return text if len(text) <= length else text[: length - 1] + "…"


def _fields(title: str, values: dict[str, Any]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    table.title = title
    table.title_justify = "left"
    table.title_style = "bold underline"
    for name, value in values.items():
        table.add_row(name, Text("-" if value in (None, "") else str(value)))
    return table


def run_view(detail: dict[str, Any]) -> RenderableType:
    """`runs show`: inputs, facts, steps, events, error and rollback of one run."""
    outcome = detail["outcome"]
    header = Text.assemble(
        ("run ", "bold"),
        (detail["id"], "bold"),
        "  ",
        _state(detail["state"]),
        f"  {outcome['meaning']}",
        f" (exit {outcome['exit_code']})" if outcome["exit_code"] is not None else "",
    )
    parts: list[RenderableType] = [header, _fields("Inputs", _inputs(detail))]
    parts += [_fields("Facts", detail["facts"]), steps_table(detail), events_table(detail)]
    parts.append(_ending(detail))
    return Group(*parts)


def _inputs(detail: dict[str, Any]) -> dict[str, Any]:
    inputs = dict(detail["inputs"])
    health = inputs.pop("health_check")
    bundle = inputs.pop("bundle")
    inputs["bundle"] = None if bundle is None else f"{bundle['path']} -> s3://{bundle['bucket']}"
    inputs["health check"] = health_check_text(health)
    inputs["created"] = _when(detail["created_at"])
    inputs["finished"] = _when(detail["finished_at"])
    return inputs


def steps_table(detail: dict[str, Any]) -> Table:
    table = Table("step", "started (UTC)", "ended (UTC)", "duration", title="Timeline")
    table.title_justify, table.title_style = "left", "bold underline"
    for step in detail["steps"]:
        duration = step["duration_seconds"]
        table.add_row(
            _state(step["state"]),
            _when(step["started_at"]),
            _when(step["ended_at"]) if step["ended_at"] else "(now)",
            human_duration(duration) if duration is not None else "running",
        )
    for window in detail.get("windows", []):
        duration = window["duration_seconds"]
        table.add_row(
            Text(f"  {window['label']} window", style="italic"),
            _when(window["started_at"]),
            _when(window["ended_at"]) if window["ended_at"] else "(cut short)",
            human_duration(duration) if duration is not None else "-",
        )
    table.add_section()
    table.add_row(Text("total", style="bold"), "", "", human_duration(detail["duration_seconds"]))
    return table


def events_table(detail: dict[str, Any], title: str = "Events") -> Table:
    table = Table("time (UTC)", "+", "source", "message", title=title)
    table.title_justify, table.title_style = "left", "bold underline"
    for event in detail["events"]:
        style = "bold red" if event["failed"] else SOURCE_STYLES.get(event["source"], "")
        table.add_row(
            _when(event["at"]),
            "+" + human_duration(event["offset_seconds"]),
            Text(_source(event), style=style),
            Text(event["message"] + (" (FAILED)" if event["failed"] else ""), style=style)
            + _output_tail(event),
        )
    return table


def _output_tail(event: dict[str, Any]) -> Text:
    """A hook's last output lines (already redacted and escaped when recorded), under it."""
    tail = event["data"].get("output_tail") or []
    return Text("".join(f"\n  | {line}" for line in tail), style="dim")


def _source(event: dict[str, Any]) -> str:
    """The source, and for an EB event the environment it is about."""
    environment = event["data"].get("environment") if event["source"] == "eb" else None
    return f"eb {environment}" if environment else event["source"]


def _reason(reason: str | None, error: str | None) -> str:
    if reason is None:
        return "asked by an operator; "
    return "" if reason == error else f"{reason}; "


def _ending(detail: dict[str, Any]) -> RenderableType:
    parts: list[RenderableType] = []
    if detail["error"]:
        parts.append(Text.assemble(("Error: ", "bold red"), detail["error"]))
    rollback = detail["rollback"]
    if rollback is not None:
        parts.append(
            Text.assemble(
                ("Rollback: ", "bold yellow"),
                _reason(rollback["reason"], detail["error"]),
                f"from {_when(rollback['started_at'])} to {_when(rollback['ended_at'])} "
                f"({human_duration(rollback['duration_seconds'])})",
            )
        )
        parts.append(events_table({"events": rollback["events"]}, "What the rollback did"))
    return Group(*parts)


def _gate_text(gate: dict[str, Any] | None) -> str:
    if not gate:
        return ""
    return f"\ngate times out at {_when(gate['deadline'])}: then {gate['on_timeout']}"


def status_table(rows: Sequence[dict[str, Any]]) -> RenderableType:
    if not rows:
        return Text("no unfinished runs: every target is free")
    table = Table("run", "target", "state", "waits for / held by")
    for row in rows:
        state = _state(row["state"])
        state.append(f"\nfor {human_duration(row['in_state_seconds'])}", style="")
        table.add_row(
            Text(row["id"]),
            Text(f"{row['app']}/{row['blue']} ({row['region']})\nversion {row['version_label']}"),
            state,
            Text(f"{row['waits_for']}\nheld by {row['held_by']}" + _gate_text(row.get("gate"))),
        )
    return table
