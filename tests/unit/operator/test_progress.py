"""Progress output: plain lines and JSON lines for logs, a live view for terminals."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import timedelta

import pytest
from rich.console import Console

from engine.domain.model import EventRecord, EventSource, State
from engine.domain.ports.cloud import Environment
from engine.operator.progress import make_observer
from engine.operator.progress.lines import LinesObserver
from engine.operator.progress.live import LiveObserver
from engine.release.observer import Outcome
from engine.release.redact import Redactor
from tests.unit.operator.releases import T0, rolled_back_release

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzDUMMYKEY"


class Ticking:
    """A clock that moves one second per reading."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self):
        self.now += timedelta(seconds=1)
        return self.now


def env(name: str, status: str, health: str = "Grey", version: str = "v1") -> Environment:
    return Environment(f"e-{name}", name, "shop", status, health, version, f"{name}.example")


def replay(observer, polls_per_wait: int = 5) -> None:
    """Drive an observer through a rolled-back release, polling each wait several times."""
    history = rolled_back_release()
    run = replace(history.run, state=State.PREFLIGHT, finished_at=None)
    observer.run_started(run)
    for record in history.transitions[1:]:
        run = replace(run, state=record.from_state)
        for _ in range(polls_per_wait):
            observer.waiting(run, "green Ready", [env("shop-blue-green", "Launching")])
        observer.waiting(run, "green Ready", [env("shop-blue-green", "Ready", "Green")])
        run = replace(run, state=record.to_state)
        observer.transitioned(run, record)
    for event in history.events:
        observer.event(event)
    observer.finished(Outcome(history.run, 1, "release failed and was rolled back"))


def json_observer(stream, **kwargs):
    return make_observer(stream, "json", False, clock=Ticking(), **kwargs)


def test_every_json_log_line_parses_as_one_object_with_a_type() -> None:
    stream = io.StringIO()
    replay(json_observer(stream))
    lines = stream.getvalue().splitlines()
    records = [json.loads(line) for line in lines]
    assert all(isinstance(record, dict) for record in records)
    types = {record["type"] for record in records}
    assert types == {"started", "transition", "event", "waiting", "finished"}
    assert all(record["run_id"] == "f00dfeed12345678" for record in records)


def test_the_finished_json_line_carries_outcome_exit_code_and_duration() -> None:
    stream = io.StringIO()
    replay(json_observer(stream))
    finished = json.loads(stream.getvalue().splitlines()[-1])
    assert finished["type"] == "finished"
    assert finished["outcome"] == "rolled_back" and finished["exit_code"] == 1
    assert finished["state"] == "rolled_back"
    assert finished["duration_seconds"] > 0
    assert finished["error"].startswith("health check failed")


def test_json_transitions_say_from_to_and_how_long_the_step_took() -> None:
    stream = io.StringIO()
    replay(json_observer(stream))
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    transitions = [r for r in records if r["type"] == "transition"]
    cloned = next(r for r in transitions if r["trigger"] == "cloned")
    assert (cloned["from"], cloned["to"]) == ("cloning", "swapping")
    assert cloned["step_seconds"] == pytest.approx(180)


def test_a_waiting_line_is_printed_only_when_something_changed() -> None:
    stream = io.StringIO()
    replay(make_observer(stream, "text", False, clock=Ticking()), polls_per_wait=50)
    waiting = [line for line in stream.getvalue().splitlines() if " waiting for " in line]
    # Two distinct looks per step (Launching, then Ready), six steps: no flood from 50 polls.
    assert len(waiting) == 12


def test_plain_lines_are_timestamped_and_name_the_run_and_the_move() -> None:
    stream = io.StringIO()
    replay(make_observer(stream, "auto", False, clock=Ticking()))
    lines = stream.getvalue().splitlines()
    assert "2026-11-26T13:03:04Z run f00dfeed cloning -> swapping (cloned) after 3m00s" in lines
    assert any(" run f00dfeed probe FAILED: probe http" in line for line in lines)
    assert lines[-1].split(" ", 1)[1].startswith("run f00dfeed finished: rolled_back")


def test_no_credential_value_from_the_environment_reaches_the_output() -> None:
    stream = io.StringIO()
    observer = json_observer(stream, environ={"AWS_SECRET_ACCESS_KEY": "dummy-sekrit-4711"})
    observer.event(
        EventRecord("r1", T0, EventSource.AWS, "signed with dummy-sekrit-4711", {"key": SECRET})
    )
    output = stream.getvalue()
    assert "dummy-sekrit-4711" not in output and SECRET not in output
    assert json.loads(output)["message"] == "signed with ***"


def test_an_eb_message_with_a_newline_or_an_escape_is_one_escaped_line() -> None:
    stream = io.StringIO()
    observer = make_observer(stream, "text", False, clock=Ticking())
    observer.event(EventRecord("r1", T0, EventSource.EB, "ok\n2026 run x succeeded\x1b[2J", {}))

    assert stream.getvalue().count("\n") == 1
    assert "\x1b" not in stream.getvalue()
    assert "ok\\n2026 run x succeeded\\x1b[2J" in stream.getvalue()


def test_a_broken_output_never_stops_the_release() -> None:
    stream = io.StringIO()
    stream.close()
    replay(make_observer(stream, "json", False))


def test_auto_picks_live_on_a_terminal_and_lines_elsewhere() -> None:
    assert isinstance(make_observer(io.StringIO(), "auto", True), LiveObserver)
    assert isinstance(make_observer(io.StringIO(), "auto", False), LinesObserver)
    assert isinstance(make_observer(io.StringIO(), "text", True), LinesObserver)
    assert isinstance(make_observer(io.StringIO(), "json", True), LinesObserver)
    assert isinstance(make_observer(io.StringIO(), "auto"), LinesObserver)


def test_an_unknown_log_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown log format"):
        make_observer(io.StringIO(), "xml", False)


def test_the_live_view_shows_steps_events_and_the_outcome() -> None:
    stream = io.StringIO()
    observer = make_observer(stream, "auto", True, clock=Ticking())
    replay(observer)
    output = stream.getvalue()
    for text in ("cloning -> swapping", "probe FAILED", "finished: rolled_back"):
        assert text in output


def test_the_live_view_writes_an_escape_sequence_from_aws_escaped() -> None:
    stream = io.StringIO()
    observer = make_observer(stream, "auto", True, clock=Ticking())
    observer.event(EventRecord("r1", T0, EventSource.EB, "ok\x1b[2Jcleared", {}))

    assert "\x1b[2Jcleared" not in stream.getvalue()
    assert "ok\\x1b[2Jcleared" in stream.getvalue()


def test_the_live_view_panel_shows_the_current_step_and_the_environments() -> None:
    stream = io.StringIO()
    observer = LiveObserver(stream, Redactor(), clock=Ticking())
    run = rolled_back_release().run
    observer.run_started(replace(run, state=State.CLONING))
    observer.waiting(run, "green to be Ready", [env("shop-blue-green", "Launching")])
    rendered = io.StringIO()
    Console(file=rendered, width=120).print(observer._render())
    panel = rendered.getvalue()
    assert "cloning" in panel and "waiting for green to be Ready" in panel
    assert "shop-blue-green" in panel and "Launching" in panel
    observer.finished(Outcome(run, 1, "rolled back"))
