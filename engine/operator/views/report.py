"""`bluegreen runs report`: a self-contained HTML post-mortem of one run (inline CSS and SVG,
no scripts, fonts or anything fetched), built from the `run_detail` document.
Every value from the history is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from html import escape
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import Any

from engine.domain.durations import human_duration
from engine.operator.views.document import iso
from engine.operator.views.history import health_check_text
from engine.operator.views.report_chart import timeline_svg

TEMPLATE_NAME = "report_template.html"


def render_report(detail: dict[str, Any], generated_at: datetime) -> str:
    """The page for a `run_detail` document (already redacted by the caller)."""
    template = Template(
        files("engine.operator.views").joinpath(TEMPLATE_NAME).read_text(encoding="utf-8")
    )
    outcome = detail["outcome"]
    inputs = detail["inputs"]
    return template.substitute(
        title=escape(f"bluegreen run {detail['id']} ({detail['state']})"),
        heading=escape(
            f"{inputs['version_label']} to {inputs['app']}/{inputs['blue']} "
            f"({inputs['region']}), run {detail['id']}"
        ),
        state=escape(detail["state"]),
        state_class=escape(detail["state"]),
        meaning=escape(_meaning(outcome, detail)),
        inputs=_fields(_input_fields(detail)),
        facts=_fields(detail["facts"]),
        chart=timeline_svg(detail),
        steps=_steps_table(detail),
        ending=_ending(detail),
        event_count=str(len(detail["events"])),
        events=_events_table(detail["events"]),
        generated=escape(iso(generated_at) or ""),
    )


def write_report(detail: dict[str, Any], path: Path, generated_at: datetime) -> None:
    path.write_text(render_report(detail, generated_at), encoding="utf-8")


def _meaning(outcome: Mapping[str, Any], detail: Mapping[str, Any]) -> str:
    code = "" if outcome["exit_code"] is None else f" (exit {outcome['exit_code']})"
    return (
        f"{outcome['meaning']}{code}; started {detail['created_at']}, "
        f"took {human_duration(detail['duration_seconds'])}"
    )


def _input_fields(detail: Mapping[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in detail["inputs"].items() if k not in ("health_check", "bundle")}
    bundle = detail["inputs"]["bundle"]
    fields["bundle"] = None if bundle is None else f"{bundle['path']} (s3://{bundle['bucket']})"
    fields["health check"] = health_check_text(detail["inputs"]["health_check"])
    fields["created at"] = detail["created_at"]
    fields["finished at"] = detail["finished_at"]
    fields["lease"] = detail["lease"]["owner"]
    return fields


def _fields(values: Mapping[str, Any]) -> str:
    rows = "".join(
        f"<tr><th>{escape(str(name))}</th><td class='mono'>{_text(value)}</td></tr>"
        for name, value in values.items()
    )
    return f"<table class='fields'>{rows}</table>"


def _text(value: Any) -> str:
    return "&#8212;" if value in (None, "") else escape(str(value))


def _table(headers: Iterable[str], rows: Iterable[str], css: str) -> str:
    head = "".join(f"<th>{escape(header)}</th>" for header in headers)
    return (
        f"<table class='{css}'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _steps_table(detail: Mapping[str, Any]) -> str:
    rows = [
        f"<tr data-state='{escape(step['state'])}'><td>{escape(step['state'])}</td>"
        f"<td class='time'>{_text(step['started_at'])}</td>"
        f"<td class='time'>{_text(step['ended_at'] or 'running')}</td>"
        f"<td class='num'>{escape(human_duration(step['duration_seconds']))}</td></tr>"
        for step in detail["steps"]
    ]
    rows += [
        f"<tr data-window='{escape(window['window'])}'><td><i>{escape(window['label'])} "
        f"window</i></td><td class='time'>{_text(window['started_at'])}</td>"
        f"<td class='time'>{_text(window['ended_at'] or 'cut short')}</td>"
        f"<td class='num'>{escape(human_duration(window['duration_seconds']))}</td></tr>"
        for window in detail.get("windows", [])
    ]
    rows.append(
        "<tr><th>total</th><th></th><th></th>"
        f"<th class='num'>{escape(human_duration(detail['duration_seconds']))}</th></tr>"
    )
    return _table(("step", "started (UTC)", "ended (UTC)", "duration"), rows, "steps")


def _events_table(events: Iterable[Mapping[str, Any]]) -> str:
    rows = [
        f"<tr class='{'failed' if event['failed'] else ''}' "
        f"data-source='{escape(event['source'])}'>"
        f"<td class='time'>{_text(event['at'])}</td>"
        f"<td class='num'>+{escape(human_duration(event['offset_seconds']))}</td>"
        f"<td>{escape(event['source'])}</td>"
        f"<td>{escape(event['message'])}{' (failed)' if event['failed'] else ''}"
        f"{_hook_result(event['data'])}</td></tr>"
        for event in events
    ]
    return _table(("time (UTC)", "+", "source", "message"), rows, "events")


def _hook_result(data: Mapping[str, Any]) -> str:
    """A hook's exit code, duration and last output lines, under its event (what `runs show`
    prints). The lines are the command's own output: escaped like every history value."""
    if "hook" not in data or "output_tail" not in data:
        return ""  # not a hook's result (its "started" event, or another event)
    exit_code = data.get("exit_code")
    duration = data.get("duration_seconds")
    facts = [
        f"hook {data['hook']}",
        "timed out" if data.get("timed_out") else f"exit {'-' if exit_code is None else exit_code}",
        f"{float(duration):.1f} s" if isinstance(duration, int | float) else None,
    ]
    summary = ", ".join(escape(str(fact)) for fact in facts if fact)
    tail = [str(line) for line in data.get("output_tail") or []]
    output = (
        f"<pre class='tail'>{escape(chr(10).join(tail))}</pre>"
        if tail
        else "<div class='hook'>(no output)</div>"
    )
    return f"<div class='hook' data-hook='{escape(str(data['hook']))}'>{summary}</div>{output}"


def _ending(detail: Mapping[str, Any]) -> str:
    parts = []
    if detail["error"]:
        parts.append(f"<h2>Error</h2><div class='error'>{escape(detail['error'])}</div>")
    rollback = detail["rollback"]
    if rollback is not None:
        parts.append(
            "<h2>Rollback</h2><div class='rollback'>"
            f"<p><b>Why:</b> {_text(rollback['reason'] or 'asked by an operator')}<br>"
            f"<b>When:</b> {_text(rollback['started_at'])} to {_text(rollback['ended_at'])} "
            f"({escape(human_duration(rollback['duration_seconds']))})</p>"
            f"{_events_table(rollback['events'])}</div>"
        )
    return "".join(parts)
