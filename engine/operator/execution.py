"""How a release command runs: settings, validation, wiring, signals, output, exit code.

Validation happens before anything is opened (no database file, no AWS call), so bad input
exits 2 with one line and nothing created. Refusals become their documented exit codes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any, NoReturn, TextIO, TypeVar

import click

from engine.domain.errors import (
    BlueGreenError,
    ConfigurationError,
    RunNotFoundError,
    StoreError,
    TargetBusyError,
)
from engine.domain.exit_codes import ExitCode
from engine.domain.health_urls import secrets_of
from engine.domain.model import Run
from engine.domain.text_checks import printable
from engine.operator.fleet_release import FleetPlan, FleetRelease, FleetReport
from engine.operator.observer_guard import FanOutObserver
from engine.operator.option_table import BY_NAME
from engine.operator.settings import Settings, load_settings
from engine.release.interrupt import Interrupt, Interrupted, install_signal_handlers
from engine.release.observer import NullObserver, Observer, Outcome
from engine.release.runner import NothingToDo, Runner

# What a command does once wired: given the runner and the observer, one drive.
Operation = Callable[[Runner, Observer], Outcome]
# What a command prepares from settings, before anything is opened.
Preparation = Callable[[Settings], Operation]
_Prepared = TypeVar("_Prepared")  # what a command prepares from its settings before wiring


class RunIdPrinter(NullObserver):
    """Prints `run <id>` first, so a caller (or a script) knows which run this is."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._printed: set[str] = set()

    def run_started(self, run: Run) -> None:
        if run.id not in self._printed:
            self._printed.add(run.id)
            self._stream.write(f"run {run.id}\n")
            self._stream.flush()


def overrides_of(options: Mapping[str, Any]) -> dict[str, object]:
    """Flags given, keyed by their settings' variable (the flags of settings only)."""
    given = ((BY_NAME[name], value) for name, value in options.items() if name in BY_NAME)
    return {o.variables[0]: value for o, value in given if o.setting and o.variables}


def fail(code: ExitCode, message: str) -> NoReturn:
    """One line on stderr: control characters in `message` (a hostile name) are escaped."""
    click.echo(f"bluegreen: {printable(message)}", err=True)
    sys.exit(int(code))


def execute(options: Mapping[str, Any], prepare: Preparation) -> NoReturn:
    """Run one release command and exit with its code."""
    _execute(click.get_current_context().info_name, options, prepare, _wired)


def execute_fleet(options: Mapping[str, Any], prepare: Callable[[Settings], FleetPlan]) -> NoReturn:
    """`submit --targets FILE`: check every line, then release the fleet wave by wave."""
    _execute("submit", options, prepare, _fleet_wired)


def _execute(
    command: str | None,
    options: Mapping[str, Any],
    prepare: Callable[[Settings], _Prepared],
    wired: Callable[[Settings, Interrupt, _Prepared], int],
) -> NoReturn:
    """Settings and the prepared work checked first (bad input: one line, exit 2, nothing
    opened), then the work wired and run with the signal handlers installed."""
    try:
        settings = load_settings(overrides_of(options), command)
        prepared = prepare(settings)
    except BlueGreenError as error:
        fail(ExitCode.USAGE, str(error))
    interrupt = Interrupt()
    restore_signals = install_signal_handlers(interrupt)
    try:
        sys.exit(wired(settings, interrupt, prepared))
    finally:
        restore_signals()


def _fleet_wired(settings: Settings, interrupt: Interrupt, plan: FleetPlan) -> int:
    """One runtime a region the fleet's targets are in (each reads and queues there), all
    wired before the first wave is queued."""
    from engine.operator.bootstrap import Runtime, bootstrap

    runtimes: dict[str, Runtime] = {}
    try:
        for region in dict.fromkeys(target.region for target, _ in plan.requests):
            try:
                regional = settings.model_copy(update={"region": region})
                runtimes[region] = bootstrap(regional, interrupt)
            except BlueGreenError as error:
                fail(ExitCode.USAGE, str(error))
        report = FleetReport(sys.stdout, settings.log_format == "json")
        fleet = FleetRelease(plan, lambda region: runtimes[region].runner, report)
        return _refusals_as_codes(fleet.run)
    finally:
        for runtime in runtimes.values():
            runtime.close()


def _wired(settings: Settings, interrupt: Interrupt, operation: Operation) -> int:
    from engine.operator.bootstrap import bootstrap  # the adapters load only for release commands

    try:
        runtime = bootstrap(settings, interrupt)
    except BlueGreenError as error:
        fail(ExitCode.USAGE, str(error))
    try:
        observer = _observer(settings, runtime.observers)
        return _refusals_as_codes(lambda: operation(runtime.runner, observer).exit_code)
    finally:
        runtime.close()


def _observer(settings: Settings, extra: list[Observer]) -> Observer:
    from engine.operator.notification_formats import notify_secrets
    from engine.operator.progress import make_observer

    as_json = settings.log_format == "json"
    secrets = [*notify_secrets(settings.notify_url), *secrets_of(settings.health_path)]
    progress = make_observer(sys.stdout, settings.log_format, secrets=secrets)
    return FanOutObserver(RunIdPrinter(sys.stderr if as_json else sys.stdout), progress, *extra)


def _refusals_as_codes(act: Callable[[], int]) -> int:
    try:
        return act()
    except NothingToDo as done:
        click.echo(f"bluegreen: {done}")
        return int(ExitCode.OK)
    except TargetBusyError as busy:
        fail(ExitCode.TARGET_BUSY, str(busy))
    except (ConfigurationError, RunNotFoundError) as error:
        fail(ExitCode.USAGE, str(error))
    except Interrupted as stop:
        fail(ExitCode.INTERRUPTED, f"{stop.reason}; nothing was started")
    except StoreError as error:
        fail(ExitCode.NEEDS_OPERATOR, f"the run store failed: {error}")
