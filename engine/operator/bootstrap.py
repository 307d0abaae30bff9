"""The composition root: the one place that turns settings into adapters and a Runner.

Only this module of engine/ imports the adapter modules of cloud/ and storage/.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, cast

from cloud.aws import AwsConfig, make_session
from cloud.aws_calls import listen_to_calls
from cloud.beanstalk import Boto3Beanstalk
from cloud.cloudwatch import Boto3Alarms
from cloud.hook_process import SubprocessHookRunner
from cloud.http_probe import HttpxHealthProbe
from cloud.notify import WebhookNotifier
from cloud.route53 import Boto3Dns, Boto3ParameterStore
from cloud.s3 import Boto3ArtifactStore
from engine.domain.errors import ConfigurationError
from engine.domain.notification_events import parse_events
from engine.domain.ports.dns import Dns
from engine.domain.ports.queue import RunQueue
from engine.domain.ports.store import RunStore
from engine.operator.inputs import deadlines_of
from engine.operator.notification_formats import format_for, notify_urls
from engine.operator.notifications import NotifyingObserver
from engine.operator.settings import Settings
from engine.release.clock import SystemClock
from engine.release.drive import Services
from engine.release.expectations import Expectations, recorded_samples
from engine.release.fresh_reads import FRESH_SECONDS, ForgettingHookRunner, FreshReads
from engine.release.hooks import CRASH_ENV_VAR, CRASH_HOOKS_MODULE, DriveHooks, NoHooks
from engine.release.interrupt import Interrupt
from engine.release.journal import RetryRelay
from engine.release.leases import new_owner_id
from engine.release.observer import Observer
from engine.release.poller import SharedPoller
from engine.release.runner import Runner
from engine.release.secrets_at_rest import HealthSecrets, SecretFreeStore
from states.preflight import judge_inputs
from states.registry import ACTIONS
from storage.queue import SqlRunQueue
from storage.sql import open_store

NOTIFY_FLUSH_SECONDS = 10.0
# At most one DescribeEvents per application this often while waits go on (and one whenever a
# wait finishes): events reach the history late by at most this, and cost few API calls.
EVENTS_SECONDS = 90.0
# A finished wait fetches its events only when the last fetch is this old (or the wait failed):
# the short waits of a step (instances on the version, warm-up) would each cost one. What they
# owe comes with the next fetch, or at the end of the drive (engine.release.poller).
EVENTS_GAP_SECONDS = 30.0


@dataclass
class Runtime:
    """A wired runner, the observers it adds (notifications), and what to close at exit."""

    runner: Runner
    store: RunStore
    queue: RunQueue | None = None  # the worker pool's view of the same database
    observers: list[Observer] = field(default_factory=list)
    closers: list[Callable[[], object]] = field(default_factory=list)

    def close(self) -> None:
        for close in reversed(self.closers):
            with contextlib.suppress(Exception):
                close()


def aws_config_of(settings: Settings) -> AwsConfig:
    sso = settings.auth_method.strip().upper() == "SSO"
    return AwsConfig(
        region=settings.region,
        auth_method="SSO" if sso else "default",
        sso_profile=settings.sso_profile,
        retry_mode="adaptive" if settings.retry_mode == "adaptive" else "standard",
        max_attempts=settings.max_attempts,
    )


def bootstrap(settings: Settings, interrupt: Interrupt, tracer: Any = None) -> Runtime:
    """Everything a release needs, from settings; raises ConfigurationError or StoreError.

    `tracer`: an OpenTelemetry Tracer to trace with (tests); None: as OTEL_* variables say."""
    aws = aws_config_of(settings)
    session = make_session(aws)
    tracing = _tracing(tracer)
    if tracing is not None:  # before any client is made: each copies the session's hooks
        listen_to_calls(session, tracing[0])
    retries = RetryRelay()
    clock = SystemClock(interrupt)
    # One answer serves the reads of a burst (the poller's, then the step's): engine.release.
    # fresh_reads says when an answer may be reused.
    beanstalk = FreshReads(
        Boto3Beanstalk(session, aws, on_retry=retries),
        clock.monotonic,
        FRESH_SECONDS * settings.time_scale,
    )
    probe = HttpxHealthProbe()
    secrets = HealthSecrets.of(settings.health_path)
    sql_store = open_store(settings.database_url)
    store = SecretFreeStore(sql_store, secrets)
    runtime = Runtime(Runner(Services(
        store=store,
        beanstalk=beanstalk,
        artifacts=Boto3ArtifactStore(session, aws, on_retry=retries),
        probe=probe,
        poller=_poller(settings, beanstalk, interrupt, store),
        clock=clock,
        interrupt=interrupt,
        actions=ACTIONS,
        deadlines=deadlines_of(settings),
        lease_seconds=settings.lease_seconds,
        owner=new_owner_id(),
        hooks=_drive_hooks(),
        retries=retries,
        alarms=Boto3Alarms(session, aws, on_retry=retries),
        dns=_dns(Boto3Dns(session, aws, on_retry=retries)),
        parameters=Boto3ParameterStore(session, aws, on_retry=retries),
        judge_inputs=judge_inputs,
        hook_runner=ForgettingHookRunner(SubprocessHookRunner(), beanstalk),
    )), store, queue=SqlRunQueue(sql_store.engine), closers=[store.close, probe.close])  # fmt: skip
    _add_notifier(runtime, settings, secrets)
    if tracing is not None:
        observer, shutdown = tracing
        runtime.observers.append(observer)
        if shutdown is not None:
            runtime.closers.append(shutdown)
    return runtime


def _tracing(tracer: Any = None) -> tuple[Any, Callable[[], object] | None] | None:
    """The tracing observer and its exporter's shutdown: for `tracer` if given, else only when
    an OTEL_* variable asks for traces (otherwise OpenTelemetry is never imported)."""
    from engine.operator.tracing import tracing_requested

    if tracer is None and not tracing_requested(os.environ):
        return None
    try:
        from engine.operator.tracing.observer import TracingObserver, otlp_tracer
    except ImportError as error:
        raise ConfigurationError(
            f"OTEL_* asks for traces, which need the otel extra: pip install "
            f"'beanstalk-bluegreen[otel]' ({error})"
        ) from None
    if tracer is not None:
        return TracingObserver(tracer), None
    exporter = os.environ.get("OTEL_TRACES_EXPORTER", "otlp").strip().lower() or "otlp"
    if exporter not in ("otlp", "console"):
        raise ConfigurationError(
            f"OTEL_TRACES_EXPORTER={exporter[:40]!r}: bluegreen exports 'otlp' or 'console'"
        )
    tracer, shutdown = otlp_tracer(exporter)
    return TracingObserver(tracer), shutdown


def _poller(
    settings: Settings, beanstalk: FreshReads, interrupt: Interrupt, store: RunStore
) -> SharedPoller:
    """The predictive shared poller, learning durations from this history."""
    return SharedPoller(
        beanstalk,
        SystemClock(interrupt),
        interrupt,
        base_interval=settings.poll_interval,
        max_interval=max(settings.max_poll_interval, settings.poll_interval),
        events_every=1,
        expectations=Expectations(settings.time_scale),
        history=lambda app: recorded_samples(store, app),
        events_seconds=EVENTS_SECONDS * settings.time_scale,
        fresh=beanstalk,
        events_gap=EVENTS_GAP_SECONDS * settings.time_scale,
    )


def _add_notifier(runtime: Runtime, settings: Settings, secrets: HealthSecrets) -> None:
    """The webhook, when one is set: the events asked for, in its format; each delivery's
    outcome recorded in the run's history from the notifier's thread (its own transaction)."""
    urls = notify_urls(settings.notify_url)
    if not urls:
        return
    notifiers = [WebhookNotifier(url) for url in urls]  # each URL checked before any is used
    store, events = runtime.store, parse_events(settings.notify_on)
    for url, notifier in zip(urls, notifiers, strict=True):
        runtime.observers.append(NotifyingObserver(
            notifier, scrub=secrets.data, events=events,
            fmt=format_for(settings.notify_format, url),
            record=lambda event: store.add_events([event]),
        ))  # fmt: skip
    runtime.closers.append(lambda: _close_within(notifiers, NOTIFY_FLUSH_SECONDS))


def _close_within(notifiers: list[WebhookNotifier], seconds: float) -> None:
    """Close every notifier within one bound in all (each delivers on a thread of its own)."""
    deadline = time.monotonic() + seconds
    for notifier in notifiers:
        notifier.close(max(deadline - time.monotonic(), 0.0))


def _dns(dns: Boto3Dns) -> Dns:
    """Route 53, wrapped by the crash tests' hook when they ask for it."""
    hooks = _crash_hooks()
    return dns if hooks is None else cast(Dns, hooks.wrap_dns(dns))


def _drive_hooks() -> DriveHooks:
    """The crash tests' SIGKILL hook when they ask for it (a test adapter), else none."""
    hooks = _crash_hooks()
    return NoHooks() if hooks is None else cast(DriveHooks, hooks.drive_hooks())


def _crash_hooks() -> ModuleType | None:
    """The crash tests' hook module when CRASH_ENV_VAR is set: test code, never installed."""
    if not os.environ.get(CRASH_ENV_VAR):
        return None
    try:
        return importlib.import_module(CRASH_HOOKS_MODULE)
    except ImportError:
        raise ConfigurationError(
            f"{CRASH_ENV_VAR} is set but the crash tests' hook ({CRASH_HOOKS_MODULE}) is not"
            " importable: it lives in tests/plugins (on PYTHONPATH); unset the variable"
        ) from None
