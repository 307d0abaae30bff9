"""Driving one leased run to a resting point: persist the transition, then act.

Each loop: run the state's action; turn its result (or its failure) into a trigger; commit the
new state, the transition and the events in one transaction; only then start the next action.
A drive runs while the run is in a working state (the lifecycle table says which) and stops
when it rests or ends, or when it is interrupted or out of lease.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from engine.domain import lifecycle
from engine.domain.errors import BlueGreenError, LeaseLostError, StoreError
from engine.domain.exit_codes import ExitCode
from engine.domain.health_urls import SecretNotStored
from engine.domain.model import EventSource, Run, State, TransitionRecord, Trigger
from engine.domain.ports.alarms import Alarms, NoAlarms
from engine.domain.ports.cloud import ArtifactStore, Beanstalk, HealthProbe
from engine.domain.ports.dns import Dns, ParameterStore
from engine.domain.ports.hooks import HookRunner
from engine.domain.ports.runtime import Clock, Deadlines, Waiter
from engine.domain.ports.store import RunStore
from engine.domain.step import Action, StepContext
from engine.release.clock import SystemClock
from engine.release.fence import (
    Fence,
    FencedArtifacts,
    FencedBeanstalk,
    FencedDns,
    LeaseExpiredError,
    LeaseTerm,
)
from engine.release.gate import open_expired_gate, with_gate_deadline
from engine.release.hook_commands import GuardedHookRunner
from engine.release.hooks import DriveHooks, NoHooks
from engine.release.interrupt import Interrupt, Interrupted
from engine.release.journal import RetryRelay, RunJournal
from engine.release.leases import DEFAULT_LEASE_SECONDS, Heartbeat, new_owner_id
from engine.release.machine import next_state
from engine.release.observer import Observer, Outcome
from engine.release.outcomes import outcome_of
from engine.release.preflight_failures import (
    PreflightStopped,
    is_refusal,
    stopped_message,
    with_retries,
)


class Waiters(Protocol):
    """Hands each drive a Waiter (the shared poller in production)."""

    def waiter_for(self, run: Run, journal: RunJournal, observer: Observer) -> Waiter: ...


@dataclass(frozen=True)
class Services:
    """What drives share in one runner process: adapters, poller, clock, lease and hooks."""

    store: RunStore
    beanstalk: Beanstalk
    artifacts: ArtifactStore
    probe: HealthProbe
    poller: Waiters
    clock: Clock
    interrupt: Interrupt
    actions: Mapping[State, Action]
    deadlines: Deadlines = field(default_factory=Deadlines)
    lease_seconds: float = DEFAULT_LEASE_SECONDS
    owner: str = field(default_factory=new_owner_id)
    hooks: DriveHooks = field(default_factory=NoHooks)
    retries: RetryRelay = field(default_factory=RetryRelay)
    alarms: Alarms = field(default_factory=NoAlarms)
    dns: Dns | None = None
    parameters: ParameterStore | None = None
    # Preflight's read-only checks, for a release with nothing to do (engine.release.input_check)
    judge_inputs: Action | None = None
    hook_runner: HookRunner | None = None  # the operator's lifecycle hooks


def describe_failure(state: State, error: BaseException) -> str:
    detail = str(error) or type(error).__name__
    if not isinstance(error, BlueGreenError):
        detail = f"{type(error).__name__}: {detail}"
    return f"{state} failed: {detail}"


class Drive:
    """One run being driven by this runner, which holds its lease."""

    def __init__(self, services: Services, run: Run, observer: Observer) -> None:
        self._s = services
        self.run = run
        self._observer = observer
        self._started = False
        self.journal = RunJournal(run, services.store, services.owner, services.clock, observer)
        waiter = services.poller.waiter_for(run, self.journal, observer)
        self._waiter = waiter
        # The heartbeat beats in real seconds, so the lease's term is kept on the real clock.
        term = LeaseTerm(SystemClock(), services.lease_seconds)
        self._fence = Fence(services.store, run.id, services.owner, services.lease_seconds, term)
        self.journal.before_facts = lambda: self._fence.check_term("before recording facts")
        fenced = FencedBeanstalk(services.beanstalk, self._fence)
        beanstalk = services.hooks.wrap(fenced, lambda: run.state)
        artifacts = FencedArtifacts(services.artifacts, self._fence)
        dns = None if services.dns is None else FencedDns(services.dns, self._fence)
        hook_runner = services.hook_runner and GuardedHookRunner(
            services.hook_runner, self._fence, services.interrupt
        )
        self._ctx = StepContext(
            run, beanstalk, artifacts, services.probe, waiter, self.journal,
            services.clock, services.deadlines, services.alarms, dns, services.parameters,
            hook_runner,
        )  # fmt: skip

    def start(self) -> None:
        """Tell the observer once, before the first transition or action of this drive."""
        if not self._started:
            self._started = True
            self._observer.run_started(self.run)

    def operator(self, message: str, trigger: Trigger | None = None) -> None:
        """Record what an operator asked for and, with a trigger, the move it makes."""
        self.start()
        self.journal.event(EventSource.OPERATOR, message, owner=self._s.owner)
        if trigger is not None:
            self.move(trigger, message)

    def move(self, trigger: Trigger, detail: str | None = None) -> None:
        """Commit the transition `trigger` makes (with buffered events); then tell observers."""
        run, now = self.run, self._s.clock.now()
        target = next_state(run.state, trigger)
        record = TransitionRecord(run.id, run.state, target, trigger.value, now, detail)
        run.state, run.updated_at = target, now
        run.finished_at = now if target.is_final else None
        with_gate_deadline(run, now)
        self.journal.save(record)
        self._observer.transitioned(run, record)

    def drive(self) -> Outcome:
        """Act and move until the run rests; the lease is given up when the drive ends."""
        self.start()
        self._s.retries.attach(self.journal)
        try:
            s = self._s
            with Heartbeat(s.store, self.run.id, s.owner, s.lease_seconds, self._fence) as hb:
                open_expired_gate(self, s.clock.now())
                self._advance(hb)
        except (Interrupted, KeyboardInterrupt) as stop:
            return self._finish(self._stopped(stop))
        except PreflightStopped as stop:
            return self._finish(self._preflight_stopped(stop))
        except SecretNotStored as missing:
            message = (
                f"{missing}: the run stays in {self.run.state}; "
                f"`bluegreen resume {self.run.id} --health-path URL` continues it"
            )
            return self._finish(Outcome(self.run, ExitCode.USAGE, message))
        except LeaseLostError as lost:
            # Out of its own term, the lease may be free for the next drive; held by another
            # runner, the run is that runner's.
            passing = isinstance(lost, LeaseExpiredError)
            outcome = Outcome(self.run, ExitCode.NEEDS_OPERATOR, f"stopped: {lost}", passing)
            return self._finish(outcome)
        except StoreError as error:
            return self._finish(self._store_failed(error))
        return self._finish(outcome_of(self.run, self._s.store.transitions(self.run.id)))

    def _advance(self, heartbeat: Heartbeat) -> None:
        while self.run.state.is_working:  # resting and final states end the drive
            heartbeat.check()
            self._s.interrupt.check()
            state = self.run.state
            self._s.hooks.at_boundary(state)
            trigger, detail = self._act(state)
            self._s.hooks.before_commit(state)
            self.move(trigger, detail)

    def _act(self, state: State) -> tuple[Trigger, str | None]:
        try:
            action = self._s.actions[state]
            trigger = (
                with_retries(action, self._ctx) if state is State.PREFLIGHT else action(self._ctx)
            )
            next_state(state, trigger)
        except (StoreError, SecretNotStored):
            raise  # the database, or an input to give again: nothing to roll back, stop
        except Exception as error:
            return self._failed(state, error)
        return trigger, None

    def _failed(self, state: State, error: Exception) -> tuple[Trigger, str | None]:
        reason = describe_failure(state, error)
        if state is State.PREFLIGHT:
            return self._preflight_failed(reason, error)
        self.journal.event(EventSource.ENGINE, reason, error=type(error).__name__)
        if state.info.on_failure is Trigger.FAIL:  # a forward step: roll the release back
            self.run.rollback_reason = reason
            return Trigger.FAIL, reason
        self.run.error = reason
        return Trigger.GIVE_UP, reason

    def _preflight_failed(self, reason: str, error: Exception) -> tuple[Trigger, None]:
        """A refusal is one transition, its error said once (the run's error, not an event)."""
        if not is_refusal(error):
            raise PreflightStopped(reason) from error
        self.run.error = str(error)
        return Trigger.REFUSE, None

    def _preflight_stopped(self, stop: PreflightStopped) -> Outcome:
        message = stopped_message(str(stop), self.run.id)
        self.journal.event(EventSource.ENGINE, message, error=type(stop.__cause__).__name__)
        with contextlib.suppress(StoreError):
            self.journal.save()
        return Outcome(self.run, ExitCode.NEEDS_OPERATOR, message)

    def _stopped(self, stop: BaseException) -> Outcome:
        reason = stop.reason if isinstance(stop, Interrupted) else "interrupted by SIGINT"
        message = (
            f"{reason}: the run stays in {self.run.state}; "
            f"`bluegreen resume {self.run.id}` continues it"
        )
        self.journal.event(EventSource.ENGINE, message)
        with contextlib.suppress(StoreError):  # unwritten, the run is resumable all the same
            self.journal.save()
        return Outcome(self.run, ExitCode.INTERRUPTED, message, True, lifecycle.INTERRUPTED)

    def _store_failed(self, error: StoreError) -> Outcome:
        message = (
            f"stopped: {error}; the run stays in {self.run.state}; "
            f"`bluegreen resume {self.run.id}` continues it once the database is back"
        )
        return Outcome(self.run, ExitCode.NEEDS_OPERATOR, message, passing=True)

    def _finish(self, outcome: Outcome) -> Outcome:
        flush = getattr(self._waiter, "flush_events", None)  # the shared poller's (RunWaiter)
        if flush is not None:
            with contextlib.suppress(Exception):  # events are history, never the outcome
                flush()
        self._s.retries.detach(self.journal)
        self.journal.flush()
        with contextlib.suppress(StoreError):  # the lease expires on its own
            self._s.store.release(self.run.id, self._s.owner)
        self._observer.finished(outcome)
        return outcome
