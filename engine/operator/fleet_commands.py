"""`bluegreen submit` and `bluegreen worker`: releases through a pool of workers that share
the run history's database.

`submit` records a queued run and prints its id (with `--wait` it follows the run to its end
and exits with the usual codes); `worker` drives queued and abandoned runs until SIGTERM.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from engine.domain.errors import BlueGreenError, ConfigurationError, StoreError
from engine.domain.exit_codes import ExitCode
from engine.domain.fleets import parse_targets
from engine.domain.lifecycle import Kind
from engine.domain.model import Mode, Run, State
from engine.operator.execution import Operation, execute, execute_fleet, fail, overrides_of
from engine.operator.fleet_release import FleetPlan, new_batch_id
from engine.operator.inputs import lock_policy_of, release_request
from engine.operator.observer_guard import FanOutObserver
from engine.operator.option_flags import flags_for, typed_flags
from engine.operator.settings import Settings, load_settings
from engine.release.interrupt import Interrupt, install_signal_handlers
from engine.release.observer import Observer, Outcome
from engine.release.outcomes import outcome_of
from engine.release.runner import Runner
from engine.release.worker import Worker, WorkerOptions

FOLLOW_SECONDS = 1.0  # how often `submit --wait` reads the run's progress from the history
# After this long still queued, `submit --wait` says that no worker has taken the run.
NO_WORKER_NOTICE_SECONDS = 30.0


def submit_command() -> click.Command:
    """`submit`: the flags of `full` and `deploy`, with --mode and --wait; --targets FILE
    (with --wave-size and --batch) releases a fleet in waves."""

    @click.command("submit")
    @flags_for("submit")
    def submit(
        mode: str,
        follow: bool,
        targets: str | None,
        wave_size: int,
        batch: str | None,
        **options: Any,
    ) -> None:
        """Queue a release for the workers; print its run id at once. With --targets FILE:
        a fleet release in waves, followed to its end."""
        ctx = click.get_current_context()
        if targets is None:
            if typed := typed_flags(ctx, "submit", ("wave_size", "batch")):
                verb = "goes" if len(typed) == 1 else "go"
                fail(ExitCode.USAGE, f"{' and '.join(typed)} {verb} only with --targets FILE")
            execute(options, lambda s: _submit(s, Mode(mode), follow))
        if typed := typed_flags(ctx, "submit", ("app", "blue", "green")):
            fail(ExitCode.USAGE, f"--targets {targets} names the targets: drop "
                 f"{' and '.join(typed)}")  # fmt: skip
        fleet = (targets, wave_size, batch or new_batch_id())
        execute_fleet(options, lambda s: fleet_plan(s, Mode(mode), *fleet))

    return submit


def fleet_plan(settings: Settings, mode: Mode, path: str, wave_size: int, batch: str) -> FleetPlan:
    """Every line checked and every target's request built (ConfigurationError: exit 2)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigurationError(f"cannot read the targets file {path}: {error}") from None
    requests = []
    for target in parse_targets(text, path, settings.region):
        names = {"app": target.app, "blue": target.blue, "green": target.green,
                 "region": target.region}  # fmt: skip
        # The names were checked with the line; what is left to refuse holds for every line.
        request = release_request(settings.model_copy(update=names), mode)
        if request.custom_domains is not None:
            raise ConfigurationError(
                "Route 53 records name one target's domains: --route53-record (and "
                "BLUEGREEN_ROUTE53_FROM_SSM) do not go with --targets"
            )
        requests.append((target, replace(request, batch=batch)))
    return FleetPlan(batch, tuple(requests), wave_size, lock_policy_of(settings))


def _submit(settings: Settings, mode: Mode, follow: bool) -> Operation:
    request, lock = release_request(settings, mode), lock_policy_of(settings)

    def operation(runner: Runner, observer: Observer) -> Outcome:
        run = runner.submit(request, lock)
        observer.run_started(run)
        if not follow:
            return Outcome(run, ExitCode.OK, f"run {run.id} queued")
        return follow_run(runner, run, observer)

    return operation


def follow_run(
    runner: Runner, run: Run, observer: Observer, notice_after: float = NO_WORKER_NOTICE_SECONDS
) -> Outcome:
    """Show a run's transitions and events as workers record them, until it rests; say so
    once when no worker has taken it after `notice_after` seconds (none may be running)."""
    store, interrupt = runner.services.store, runner.services.interrupt
    shown_transitions, shown_events = 0, 0
    notice_at = time.monotonic() + notice_after
    while True:
        current = store.get(run.id)
        if current.state is State.QUEUED and time.monotonic() >= notice_at:
            notice_at = float("inf")
            click.echo(_no_worker_yet(current, notice_after), err=True)
        transitions, events = store.transitions(run.id), store.events(run.id)
        for record in transitions[shown_transitions:]:
            observer.transitioned(current, record)
        for event in events[shown_events:]:
            observer.event(event)
        shown_transitions, shown_events = len(transitions), len(events)
        if _rests(current):
            outcome = outcome_of(current, transitions)
            observer.finished(outcome)
            return outcome
        if interrupt.wait(FOLLOW_SECONDS):
            message = f"stopped following run {run.id}; the workers go on with it"
            return Outcome(current, ExitCode.INTERRUPTED, message)


def _no_worker_yet(run: Run, waited: float) -> str:
    return (
        f"bluegreen: run {run.id} is still queued after {waited:.0f} s: no worker has taken it. "
        f"Is one running? `bluegreen worker --region {run.target.region}` on the same history "
        "drives it; `bluegreen status` lists the workers (Ctrl-C stops following, the run stays "
        "queued)"
    )


def _rests(run: Run) -> bool:
    """Final, or resting (waiting for cutover) with nobody driving it any more."""
    kind = run.state.info.kind
    return kind is Kind.FINAL or (kind is Kind.RESTING and run.lease_owner is None)


@click.command("worker")
@flags_for("worker")
def worker_command(
    concurrency: int, metrics_port: int | None, metrics_address: str, **options: Any
) -> None:
    """Drive queued runs, and runs whose runner died, until SIGTERM (which hands them over)."""
    try:
        settings = load_settings(overrides_of(options), "worker")
        if not settings.region:
            raise BlueGreenError("missing the AWS region: set --region / AWS_DEFAULT_REGION")
    except BlueGreenError as error:
        fail(ExitCode.USAGE, str(error))
    interrupt = Interrupt()
    restore_signals = install_signal_handlers(interrupt)
    try:
        worker_options = WorkerOptions(settings.region, concurrency)
        metrics = (metrics_port, metrics_address) if metrics_port else None
        sys.exit(_work(settings, interrupt, worker_options, metrics))
    finally:
        restore_signals()


def _metrics_server() -> Any:
    """`metered_worker`, or exit 2 when the metrics extra is not installed."""
    try:
        from engine.operator.metrics.serve import metered_worker
    except ImportError as error:
        fail(ExitCode.USAGE, f"--metrics-port needs the metrics extra: pip install "
             f"'beanstalk-bluegreen[metrics]' ({error})")  # fmt: skip
    return metered_worker


def _worker_observer(settings: Settings, extra: list[Observer]) -> Observer:
    """Plain lines (or JSON): a live view cannot show many runs at once."""
    from engine.operator.notification_formats import notify_secrets
    from engine.operator.progress import make_observer

    log_format = "json" if settings.log_format == "json" else "text"
    secrets = notify_secrets(settings.notify_url)
    return FanOutObserver(make_observer(sys.stdout, log_format, secrets=secrets), *extra)


def _work(
    settings: Settings,
    interrupt: Interrupt,
    options: WorkerOptions,
    metrics: tuple[int, str] | None = None,
) -> int:
    from engine.operator.bootstrap import bootstrap

    serve = _metrics_server() if metrics else None
    try:
        runtime = bootstrap(settings, interrupt)
    except BlueGreenError as error:
        fail(ExitCode.USAGE, str(error))
    try:
        assert runtime.queue is not None
        services, queue, extra = runtime.runner.services, runtime.queue, list(runtime.observers)
        if serve is not None and metrics is not None:
            try:
                services, queue, metered, server = serve(services, queue, *metrics)
            except OSError as error:
                fail(ExitCode.USAGE, f"cannot serve metrics on {metrics[1]}:{metrics[0]}: {error}")
            runtime.closers.append(server.shutdown)
            extra.append(metered)
            click.echo(f"metrics: http://{metrics[1]}:{metrics[0]}/metrics")
        observer = _worker_observer(settings, extra)
        worker = Worker(services, queue, observer, options)
        click.echo(f"worker {worker.id}: taking runs of {options.region} "
                   f"({options.concurrency} at once)")  # fmt: skip
        try:
            code = worker.run()
        except StoreError as error:  # could not register: the database is unreachable
            fail(ExitCode.NEEDS_OPERATOR, f"the run store failed: {error}")
        click.echo(f"worker {worker.id}: stopped ({interrupt.reason or 'done'}); runs handed over")
        return code
    finally:
        runtime.close()
