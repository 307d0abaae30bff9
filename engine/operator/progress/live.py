"""Live progress on a terminal: a Rich panel with the current step, elapsed times, what the
step waits for and how each environment looks; transitions, EB events and probe results
scroll above it as they arrive. Used only when the output is a terminal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TextIO

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from engine.domain.durations import human_duration, seconds_between, utc
from engine.domain.lifecycle import STRATEGIES, TRANSITIONS
from engine.domain.model import (
    EventRecord,
    EventSource,
    Mode,
    Run,
    State,
    TransitionRecord,
    Trigger,
)
from engine.domain.ports.cloud import Environment
from engine.domain.text_checks import printable
from engine.operator.progress.lines import Clock, text_line, utc_now
from engine.operator.progress.records import (
    environment_record,
    event_record,
    finished_record,
    health_text,
    transition_record,
)
from engine.operator.views.tables import SOURCE_STYLES
from engine.release.observer import Outcome
from engine.release.redact import Redactor

REFRESHES_PER_SECOND = 2


@dataclass
class _LiveStep:
    state: State
    started_at: datetime
    ended_at: datetime | None = None


@dataclass(frozen=True)
class _Window:
    """A window the step waits out (bake, keep, DNS settle), from its progress event: the
    panel counts it down from the clock at each refresh, not from the last event's message
    (a window's events come every PROGRESS_EVERY_SECONDS, so that message lags)."""

    name: str
    ends_at: datetime
    total_seconds: float

    def shown(self, now: datetime) -> str:
        left = min(max(seconds_between(now, self.ends_at), 0.0), self.total_seconds)
        label = WINDOW_LABELS.get(self.name, self.name)
        elapsed, total = self.total_seconds - left, self.total_seconds
        return (
            f"{label}: {human_duration(elapsed)} of {human_duration(total)}, "
            f"{human_duration(left)} left"
        )


WINDOW_LABELS = {"bake": "bake window", "keep_old": "keep window", "dns_settle": "DNS settle"}


def window_of(data: dict[str, Any]) -> _Window | None:
    """The window a progress event describes (states.shared.windows), None once it ended
    or when its data does not say where it ends."""
    if data.get("phase") == "ended":
        return None
    try:
        ends_at = utc(datetime.fromisoformat(str(data["ends_at"])))
        return _Window(str(data["window"]), ends_at, float(data["total_seconds"]))
    except (KeyError, TypeError, ValueError):
        return None


@dataclass
class _Watch:
    """What the panel shows about the run being driven."""

    run: Run
    drive_started_at: datetime
    steps: list[_LiveStep] = field(default_factory=list)
    waiting_for: str | None = None
    window: _Window | None = None
    environments: list[dict[str, Any]] = field(default_factory=list)
    last_probe: str | None = None
    last_probe_failed: bool = False
    # Every environment seen in this drive, by name: who holds the live CNAME is read from
    # what EB reported, never assumed from a name.
    seen: dict[str, dict[str, Any]] = field(default_factory=dict)


class LiveObserver:
    """An Observer drawing a Rich live panel; never raises."""

    def __init__(self, stream: TextIO, redactor: Redactor, clock: Clock = utc_now) -> None:
        self._console = Console(file=stream, force_terminal=True, highlight=False)
        self._redactor = redactor
        self._clock = clock
        self._lock = threading.RLock()
        self._watch: _Watch | None = None
        self._live: Live | None = None

    def _shown(self, text: str) -> str:
        """Redacted, and control characters escaped: rich writes an escape sequence raw."""
        return printable(self._redactor.text(text))

    def run_started(self, run: Run) -> None:
        self._safely(self._start, run)

    def transitioned(self, run: Run, record: TransitionRecord) -> None:
        self._safely(self._transition, run, record)

    def event(self, record: EventRecord) -> None:
        self._safely(self._event, record)

    def waiting(self, run: Run, what: str, environments: Sequence[Environment]) -> None:
        self._safely(self._waiting, run, what, environments)

    def finished(self, outcome: Outcome) -> None:
        self._safely(self._finish, outcome)

    def _safely(self, action: Callable[..., None], *args: Any) -> None:
        try:
            with self._lock:
                action(*args)
        except Exception:  # observers never raise: progress must not stop a release
            return

    def _start(self, run: Run) -> None:
        self._stop_live()
        now = self._clock()
        self._watch = _Watch(run, now, [_LiveStep(run.state, now)])
        self._live = Live(
            console=self._console,
            refresh_per_second=REFRESHES_PER_SECOND,
            get_renderable=self._live_view,
            redirect_stdout=False,
            redirect_stderr=False,
            transient=True,  # erased when stopped; `_stop_live` prints the final panel once
        )
        self._live.start()

    def _transition(self, run: Run, record: TransitionRecord) -> None:
        watch = self._watch
        started = None
        if watch is not None and watch.run.id == run.id:
            watch.run = run
            if watch.steps:
                started = watch.steps[-1].started_at
                watch.steps[-1].ended_at = record.at
            watch.steps.append(_LiveStep(record.to_state, record.at))
            watch.waiting_for, watch.window, watch.environments = None, None, []
        self._print_line(transition_record(run, record, started), "bold")

    def _event(self, record: EventRecord) -> None:
        watch = self._watch
        expected = watch.run.health.expected_status if watch is not None else ()
        line = event_record(record, expected)
        if record.source is EventSource.PROBE and watch is not None:
            watch.last_probe = self._shown(record.message)
            watch.last_probe_failed = bool(line["failed"])
        if record.data.get("window") and watch is not None:  # a settle or bake window
            watch.waiting_for = self._redactor.text(record.message)
            watch.window = window_of(record.data)
        style = "bold red" if line["failed"] else SOURCE_STYLES.get(line["source"], "white")
        self._print_line(line, style)

    def _waiting(self, run: Run, what: str, environments: Sequence[Environment]) -> None:
        watch = self._watch
        if watch is None or watch.run.id != run.id:
            return
        watch.run = run
        watch.waiting_for, watch.window = self._shown(what), None
        watch.environments = [self._redactor.data(environment_record(e)) for e in environments]
        watch.seen.update({env["name"]: env for env in watch.environments})

    def _finish(self, outcome: Outcome) -> None:
        self._stop_live()
        record = finished_record(outcome, self._clock())
        style = "bold green" if outcome.exit_code == 0 else "bold red"
        self._print_line(record, style)
        self._watch = None

    def _stop_live(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None
            if self._watch is not None:
                self._console.print(self._render_safely())

    def _print_line(self, record: dict[str, Any], style: str) -> None:
        line = self._shown(text_line(self._redactor.data(record)))
        self._console.print(Text(line, style=style), soft_wrap=True)

    def _render_safely(self) -> RenderableType:
        try:
            with self._lock:
                return self._render()
        except Exception:
            return Text("")

    def _live_view(self) -> RenderableType:
        """The panel and an empty line under it, where the cursor rests between refreshes:
        what the tty echoes there (`^C` when Ctrl-C is pressed) is erased by the next refresh.
        Resting at the end of the panel's last line, which fills the width, the echo wrapped
        to a line of its own, and each later refresh left the panel's top border behind."""
        return Group(self._render_safely(), Text(""))

    def _render(self) -> RenderableType:
        watch = self._watch
        if watch is None:
            return Text("")
        now = self._clock()
        parts: list[RenderableType] = [_steps_table(watch, now)]
        ahead = steps_ahead(watch.run)
        if ahead:
            parts.append(Text(f"ahead: {' -> '.join(s.value for s in ahead)}", style="dim"))
        live = live_holder(watch)
        if live:
            parts.append(Text(self._shown(live), style="bold"))
        if watch.window is not None:
            parts.append(Text(f"waiting for {watch.window.shown(now)}", style="italic"))
        elif watch.waiting_for:
            parts.append(Text(f"waiting for {watch.waiting_for}", style="italic"))
        if watch.environments:
            parts.append(_environments_table(watch.environments))
        if watch.last_probe:
            style = "red" if watch.last_probe_failed else "green"
            parts.append(Text(watch.last_probe, style=style))
        elapsed = human_duration(seconds_between(watch.drive_started_at, now))
        parts.append(Text(f"elapsed {elapsed}", style="dim"))
        title = Text(self._shown(_title(watch.run)))
        return Panel(Group(*parts), title=title, title_align="left")


def steps_ahead(run: Run) -> list[State]:
    """The states the run still goes through if nothing fails: its strategy's path in the
    lifecycle table (`STRATEGIES`), with the `deploy` pause where the table puts it (a
    `deploy` run not yet cut over stops there); a rollback ends rolled back."""
    if run.state is State.ROLLING_BACK:
        return [State.ROLLED_BACK]
    strategy = STRATEGIES[run.strategy]
    path = list(strategy.path)
    if run.mode is Mode.DEPLOY and strategy.cutover is not None:
        pause = next(t for t in TRANSITIONS if t.trigger is Trigger.PAUSE)
        after = next(t.dest for t in TRANSITIONS if t.trigger is strategy.cutover)
        paused_at = next((s for s in path if s in pause.sources), None)
        if paused_at is not None and after in path:
            before = path[: path.index(paused_at) + 1]
            rest = path[path.index(after) :]
            if run.state in before:
                return [*before[before.index(run.state) + 1 :], State.AWAITING_CUTOVER]
            path = [*before, State.AWAITING_CUTOVER, *rest]
    if run.state not in path:
        return []
    return path[path.index(run.state) + 1 :]


def live_holder(watch: _Watch) -> str | None:
    """`live traffic (shop-blue.eba-....com) goes to shop-green`, from the environments EB
    last reported: whichever holds the live CNAME that preflight recorded."""
    live = watch.run.facts.blue_cname
    holder = next((e["name"] for e in watch.seen.values() if live and e["cname"] == live), None)
    return f"live traffic ({live}) goes to {holder}" if holder else None


def _title(run: Run) -> str:
    return (
        f"bluegreen run {run.id[:8]}: {run.mode.value} release of {run.version_label} "
        f"to {run.target.app}/{run.target.blue} ({run.target.region})"
    )


def _steps_table(watch: _Watch, now: datetime) -> Table:
    table = Table.grid(padding=(0, 2))
    for step in watch.steps:
        done = step.ended_at is not None
        end = step.ended_at or now
        mark = "done" if done else (">>" if step.state.is_working else "rests")
        style = "green" if done else "bold yellow"
        duration = human_duration(seconds_between(step.started_at, end))
        table.add_row(Text(mark, style=style), Text(step.state.value, style=style), duration)
    return table


def _environments_table(environments: Sequence[dict[str, Any]]) -> Table:
    table = Table("environment", "status", "health", "version", "cname", box=None)
    for env in environments:
        style = "green" if env["status"] == "Ready" else "yellow"
        table.add_row(
            Text(env["name"]),
            Text(env["status"], style=style),
            Text(health_text(env)),
            Text(env["version_label"] or "-"),
            Text(env["cname"] or "-"),
        )
    return table
