"""What a step hands back: its outputs (GitHub's `$GITHUB_OUTPUT`, a dotenv file for GitLab
and Bitbucket) and a Markdown summary of the run's timeline (`$GITHUB_STEP_SUMMARY`)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from engine.domain.durations import human_duration

OUTPUT_NAMES = (
    "run-id", "outcome", "exit-code", "live-url", "version-label", "previous-version-label",
    "report-path",
)  # fmt: skip


def outputs_of(detail: Mapping[str, Any] | None, exit_code: int, report: str) -> dict[str, str]:
    """The step's outputs; without a run (bad input, exit 2) only the outcome and exit code."""
    if detail is None:
        values = {"outcome": "invalid" if exit_code == 2 else "error", "exit-code": str(exit_code)}
        return {name: values.get(name, "") for name in OUTPUT_NAMES}
    cname = detail["facts"].get("blue_cname")
    return {
        "run-id": detail["id"],
        "outcome": detail["state"],
        "exit-code": str(exit_code),
        "live-url": f"http://{cname}" if cname else "",
        "version-label": detail["version_label"] or "",
        "previous-version-label": detail["previous_version_label"] or "",
        "report-path": report,
    }


def append_github_outputs(path: Path, outputs: Mapping[str, str]) -> None:
    """GitHub's multi-line syntax with a random delimiter: no value can forge another output."""
    with path.open("a", encoding="utf-8") as file:
        for name, value in outputs.items():
            delimiter = f"ghadelimiter_{secrets.token_hex(8)}"
            file.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")


def write_dotenv(path: Path, outputs: Mapping[str, str]) -> None:
    """`BLUEGREEN_RUN_ID=...` lines: GitLab's `artifacts:reports:dotenv`, Bitbucket's artifacts."""
    lines = [f"BLUEGREEN_{name.upper().replace('-', '_')}={_one_line(value)}"
             for name, value in outputs.items()]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _one_line(value: str) -> str:
    return value.replace("\r", " ").replace("\n", " ")


def _md(value: object) -> str:
    """Text for a Markdown table cell: no HTML, no column break, no code span escape."""
    text = _one_line("" if value is None else str(value))
    for raw, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|"), ("`", "'")):
        text = text.replace(raw, escaped)
    return text


def summary_markdown(
    detail: Mapping[str, Any] | None, outputs: Mapping[str, str], log_tail: str
) -> str:
    """The run's timeline as Markdown: a heading with the outcome, a table of its steps with
    start offsets and durations, the error, and the last EB events."""
    if detail is None:
        return f"### bluegreen: no run started (exit {outputs['exit-code']})\n\n> {_md(log_tail)}\n"
    lines = [
        f"### bluegreen: {_md(detail['version_label'])} to {_md(detail['app'])}/"
        f"{_md(detail['blue'])} ({_md(detail['region'])}): **{_md(detail['state'])}**",
        "",
        f"Run `{_md(detail['id'])}` · {_md(detail['outcome']['meaning'])} · exit "
        f"{outputs['exit-code']} · took {human_duration(detail['duration_seconds'])}"
        + (f" · live {outputs['live-url']}" if outputs["live-url"] else ""),
        "",
        "| step | started (+s) | took |",
        "| --- | ---: | ---: |",
    ]
    for step in detail["steps"]:
        took = human_duration(step["duration_seconds"]) if step["ended_at"] else "running"
        lines.append(f"| {_md(step['state'])} | +{step['offset_seconds']:.1f} | {took} |")
    if detail.get("error"):
        lines += ["", f"**Error:** {_md(detail['error'])}"]
    events = [e for e in detail["events"] if e.get("source") == "eb"][-5:]
    if events:
        lines += ["", "Last Elastic Beanstalk events:", ""]
        lines += [f"- {_md(event.get('message'))}" for event in events]
    return "\n".join(lines) + "\n"
