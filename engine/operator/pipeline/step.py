"""`bluegreen ci-step [MODE]`: the release as a pipeline step.

Runs `bluegreen MODE` with the step's inputs applied (its lines go to the job's log), then
reads the run back from the history (`runs show --json`, redacted), writes the HTML report,
the outputs and the Markdown summary where the platform looks for them, and exits with the
release's exit code. The same entry point serves the GitHub Action, the GitLab component and
the Bitbucket pipe.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from engine.operator.pipeline.inputs import MODES, step_environment
from engine.operator.pipeline.outputs import (
    append_github_outputs,
    outputs_of,
    summary_markdown,
    write_dotenv,
)

RUN_LINE = re.compile(r"^run ([0-9a-f]{6,})$")
DEFAULT_REPORT = "bluegreen-report.html"


def bluegreen(*args: str) -> list[str]:
    """The same installation's CLI (a wheel, the image, a checkout)."""
    return [sys.executable, "-m", "engine.operator.cli", *args]


@click.command("ci-step")
@click.argument("mode", required=False, type=click.Choice(MODES))
def ci_step_command(mode: str | None) -> None:
    """Release as a CI step: INPUT_* in; outputs, summary and HTML report out."""
    env = step_environment(os.environ)
    mode = mode or env.get("BLUEGREEN_MODE") or "full"
    if mode not in MODES:
        click.echo(f"bluegreen: mode must be one of {', '.join(MODES)}, not {mode!r}", err=True)
        sys.exit(2)
    exit_code, run_id, tail = _release(mode, env)
    detail = _detail(run_id, env) if run_id else None
    report = _report(run_id, env) if run_id and detail else ""
    outputs = outputs_of(detail, exit_code, report)
    _hand_back(env, outputs, summary_markdown(detail, outputs, tail))
    sys.exit(exit_code)


def _release(mode: str, env: Mapping[str, str]) -> tuple[int, str | None, str]:
    """Run the release, echoing its lines; its exit code, run id and last line."""
    args = [mode] + ([env["BLUEGREEN_RUN_ID"]] if env.get("BLUEGREEN_RUN_ID") and
                     mode in ("cutover", "rollback") else [])  # fmt: skip
    process = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
        bluegreen(*args), env=dict(env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, bufsize=1,
    )  # fmt: skip
    forward = _forward_signals(process)
    run_id, last = None, ""
    assert process.stdout is not None
    try:
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            match = RUN_LINE.match(line.strip())
            run_id = run_id or (match[1] if match else None)
            last = line.strip() or last
        return process.wait(), run_id, last
    finally:
        forward()


def _forward_signals(process: subprocess.Popen[str]) -> Any:
    """A cancelled job (SIGINT, SIGTERM) stops the release the way a user's Ctrl-C would."""
    previous = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        previous[signum] = signal.signal(signum, lambda s, _f: process.send_signal(s))

    def restore() -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    return restore


def _detail(run_id: str, env: Mapping[str, str]) -> dict[str, Any] | None:
    done = subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        bluegreen("runs", "show", run_id, "--json"), env=dict(env),
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    if done.returncode != 0:
        click.echo(f"bluegreen: cannot read run {run_id} back: {done.stderr.strip()}", err=True)
        return None
    document: dict[str, Any] = json.loads(done.stdout)
    return document


def _report(run_id: str, env: Mapping[str, str]) -> str:
    path = Path(env.get("BLUEGREEN_REPORT_PATH") or DEFAULT_REPORT)
    done = subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        bluegreen("runs", "report", run_id, "--output", str(path)),
                          env=dict(env), capture_output=True, text=True, timeout=120)  # fmt: skip
    if done.returncode != 0:
        click.echo(f"bluegreen: no report: {done.stderr.strip()}", err=True)
        return ""
    return str(path)


def _hand_back(env: Mapping[str, str], outputs: Mapping[str, str], summary: str) -> None:
    """GitHub: $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY. Elsewhere (GitLab, Bitbucket): a
    dotenv file and a Markdown file (BLUEGREEN_OUTPUTS_FILE, BLUEGREEN_SUMMARY_FILE)."""
    if env.get("GITHUB_OUTPUT"):
        append_github_outputs(Path(env["GITHUB_OUTPUT"]), outputs)
    if env.get("GITHUB_STEP_SUMMARY"):
        with Path(env["GITHUB_STEP_SUMMARY"]).open("a", encoding="utf-8") as file:
            file.write(summary)
    on_github = env.get("GITHUB_ACTIONS") == "true"
    dotenv = env.get("BLUEGREEN_OUTPUTS_FILE") or ("" if on_github else "bluegreen.env")
    markdown = env.get("BLUEGREEN_SUMMARY_FILE") or ("" if on_github else "bluegreen-summary.md")
    if dotenv:
        write_dotenv(Path(dotenv), outputs)
    if markdown:
        Path(markdown).write_text(summary, encoding="utf-8")
    for name, value in outputs.items():
        click.echo(f"bluegreen output {name}={value}")
