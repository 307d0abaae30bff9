"""The runner's operations: start a release, resume, cut over, roll back (each one drive).

Every operation first takes the run's lease (a new run is created leased), records what the
operator asked for, then drives. Refusals raise: TargetBusyError (exit 3), UsageError (exit 2),
NothingToDo (exit 0, nothing created).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from engine.domain import refusals
from engine.domain.errors import CloudError, ConfigurationError, TargetBusyError
from engine.domain.lifecycle import STRATEGIES, TRANSITIONS
from engine.domain.model import EventRecord, EventSource, Run, RunId, State, Target, Trigger
from engine.release.drive import Drive, Services
from engine.release.gate import gate_expired
from engine.release.input_check import judge_inputs
from engine.release.observer import Observer, Outcome
from engine.release.outcomes import outcome_of
from engine.release.owners import acquire_or_take_over, owner_is_gone
from engine.release.pairs import Resolved, live_first, unfinished_of_pair
from engine.release.requests import LockPolicy, OnUnfinished, ReleaseRequest
from engine.release.stamp import require_compatible

T = TypeVar("T")
LOCK_POLL_SECONDS = 1.0
NO_WAIT = LockPolicy()


class UsageError(ConfigurationError):
    """The operation does not apply to that run or target (exit 2, nothing touched)."""


class NothingToDo(Exception):
    """Nothing needed doing (exit 0); no run was created or changed."""


def target_busy(holder: Run, now: datetime) -> TargetBusyError:
    """Refusing a new run while `holder` is unfinished; a waiting holder is ended by cutover
    or rollback (resume refuses it), so the message says those."""
    if holder.state is not State.AWAITING_CUTOVER:
        busy = refusals.target_busy(holder, now)
        if holder.lease_owner is None or not owner_is_gone(holder.lease_owner):
            return busy
        return TargetBusyError(
            f"{busy}; that runner's process is gone from this host: `bluegreen resume "
            f"{holder.id}` (or --on-unfinished resume) takes the run over at once",
            run_id=holder.id,
            owner=holder.lease_owner,
        )
    return TargetBusyError(
        f"target {holder.target.key} is busy: run {holder.id} waits for cutover; "
        f"`bluegreen cutover {holder.id}` or `bluegreen rollback {holder.id}` ends it",
        run_id=holder.id,
    )


# What `rollback` without a run says: the command that puts blue on a version instead.
NO_RUN_TO_ROLL_BACK = (
    "is unfinished, so there is nothing to roll back; to put blue on a version: "
    "`bluegreen rollback --to-version LABEL` (or VERSION_LABEL=LABEL bluegreen rollback)"
)


class Runner:
    """Starts and continues runs for one runner process (one owner id, one poller)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._store = services.store

    def release(
        self, request: ReleaseRequest, observer: Observer, lock: LockPolicy = NO_WAIT
    ) -> Outcome:
        """`full` / `deploy`: a new run, unless blue already runs the version (NothingToDo)."""
        return self._waiting_for_lock(lock, lambda: self._release_once(request, observer, lock))

    def resume(self, run_id: str, observer: Observer, lock: LockPolicy = NO_WAIT) -> Outcome:
        """Continue a run from its stored state (a failed one retries what failed)."""
        return self._waiting_for_lock(
            lock, lambda: self._resume(self._store.get(RunId(run_id)), observer, "resumed")
        )

    def cutover(
        self,
        run_id: str | None,
        target: Target | None,
        observer: Observer,
        lock: LockPolicy = NO_WAIT,
    ) -> Outcome:
        """Continue a run that waits for cutover: verify, swap back, clean up."""
        return self._waiting_for_lock(lock, lambda: self._cutover(run_id, target, observer))

    def rollback(
        self,
        run_id: str | None,
        target: Target | None,
        observer: Observer,
        lock: LockPolicy = NO_WAIT,
    ) -> Outcome:
        """Undo a waiting, failed or unfinished run from its recorded facts."""
        return self._waiting_for_lock(lock, lambda: self._rollback(run_id, target, observer))

    def submit(self, request: ReleaseRequest, lock: LockPolicy = NO_WAIT) -> Run:
        """`submit`: record a queued run for the workers and return it at once. With
        `--on-unfinished resume`, a run the workers can continue is returned instead."""
        return self._waiting_for_lock(lock, lambda: self._submit_once(request, lock))

    def _submit_once(self, request: ReleaseRequest, lock: LockPolicy) -> Run:
        resolved = self._live_first(request)
        request = resolved.request
        holder = self._store.find_unfinished(request.target)
        if holder is not None:
            parked = holder.state.info.rests_for_operator  # awaiting cutover, or failed
            if lock.on_unfinished is OnUnfinished.RESUME and not parked:
                return holder
            raise target_busy(holder, self.services.clock.now())
        if self._blue_runs(request):
            judge_inputs(self.services, request, self.services.judge_inputs)
            raise NothingToDo(
                f"blue {request.target.blue} already runs {request.version_label} and no run is "
                "unfinished: nothing to release"
            )
        run = request.new_run(self.services.clock.now(), State.QUEUED)
        self._store.create(run, self.services.owner, self.services.lease_seconds)
        events = [self._pair_event(run, resolved.reason)] if resolved.reason else []
        if resolved.adoption:
            adopted = {"adopted_from_run": run.facts.adopted_from_run}
            events.append(self._pair_event(run, resolved.adoption, adopted))
        if events:
            self._store.add_events(events)
        self._store.release(run.id, self.services.owner)  # queued: free for any worker
        run.lease_owner = run.lease_expires_at = None
        return run

    def _cutover(self, run_id: str | None, target: Target | None, observer: Observer) -> Outcome:
        run = self._chosen(run_id, target, "waits for cutover")
        if run.state is not State.AWAITING_CUTOVER:
            raise UsageError(
                f"run {run.id} is {run.state}; only a run in awaiting_cutover can be cut over"
            )
        trigger = STRATEGIES[run.strategy].cutover
        if trigger is None:  # no strategy that never waits can rest here; say so if it does
            raise UsageError(f"run {run.id} ({run.strategy}) has no cutover")
        drive = self._acquired(run, observer)
        drive.operator("cutover requested", trigger)
        return drive.drive()

    def _rollback(self, run_id: str | None, target: Target | None, observer: Observer) -> Outcome:
        run = self._chosen(run_id, target, NO_RUN_TO_ROLL_BACK)
        if not run.state.is_unfinished:
            raise UsageError(
                f"run {run.id} already finished ({run.state}); to put blue on an earlier "
                "version use `bluegreen rollback --to-version LABEL`"
            )
        drive = self._acquired(run, observer)
        drive.run.rollback_reason = drive.run.rollback_reason or "the operator asked for a rollback"
        drive.run.error = None
        drive.operator(f"rollback requested (run was {run.state})", Trigger.ROLLBACK)
        return drive.drive()

    def _release_once(
        self, request: ReleaseRequest, observer: Observer, lock: LockPolicy
    ) -> Outcome:
        self.services.interrupt.check()  # stopped while waiting for the lock: start nothing
        resolved = self._live_first(request)
        request = resolved.request
        holder = self._store.find_unfinished(request.target)
        if holder is not None:
            takeover = lock.on_unfinished is OnUnfinished.RESUME
            if takeover and holder.state is not State.AWAITING_CUTOVER:
                return self._resume(holder, observer, "taken over by a new trigger")
            raise target_busy(holder, self.services.clock.now())
        if self._blue_runs(request):
            judge_inputs(self.services, request, self.services.judge_inputs)
            raise NothingToDo(
                f"blue {request.target.blue} already runs {request.version_label} and no run is "
                "unfinished: nothing to release"
            )
        run = request.new_run(self.services.clock.now())
        self._store.create(run, self.services.owner, self.services.lease_seconds)
        drive = Drive(self.services, run, observer)
        if resolved.reason or resolved.adoption:
            drive.start()
        if resolved.reason:
            drive.journal.event(EventSource.ENGINE, resolved.reason)
        if resolved.adoption:
            drive.journal.event(EventSource.ENGINE, resolved.adoption,
                                adopted_from_run=run.facts.adopted_from_run)  # fmt: skip
        return drive.drive()

    def _live_first(self, request: ReleaseRequest) -> Resolved:
        """The pair the right way round (swap-and-keep alternates the live name); when EB
        cannot be asked, as given: preflight then says what is wrong, with a run to show."""
        try:
            return live_first(self._store, self.services.beanstalk, request)
        except CloudError:
            return Resolved(request, None)

    def _pair_event(
        self, run: Run, reason: str, data: dict[str, str | None] | None = None
    ) -> EventRecord:
        now = self.services.clock.now()
        return EventRecord(run.id, now, EventSource.ENGINE, reason, dict(data or {}))

    def _blue_runs(self, request: ReleaseRequest) -> bool:
        """Whether blue is live and already on the requested version (cron's no-op case)."""
        try:
            found = self.services.beanstalk.describe_environments(
                application=request.target.app, names=[request.target.blue]
            )
        except Exception:  # preflight will say what is wrong, with a run to show for it
            return False
        return any(
            env.name == request.target.blue
            and not env.is_terminated
            and env.version_label == request.version_label
            for env in found
        )

    def _resume(self, run: Run, observer: Observer, why: str) -> Outcome:
        if not run.state.is_unfinished:
            return self._already_finished(run, observer)
        if run.state is State.AWAITING_CUTOVER and not gate_expired(run, self.services.clock.now()):
            raise UsageError(
                f"run {run.id} waits for cutover: `bluegreen cutover {run.id}` continues it, "
                f"`bluegreen rollback {run.id}` undoes it"
            )
        was = run.state
        drive = self._acquired(run, observer)
        drive.operator(f"{why} in state {was}")
        if was is State.FAILED:
            drive.run.error = None
            drive.move(self._retry_trigger(run), f"{why}: retrying")
        return drive.drive()

    def _retry_trigger(self, run: Run) -> Trigger:
        """A failed run retries what failed: the step that gave up when the lifecycle has a
        retry into it (the clean-up after a cutover, retiring the old environment), else the
        rollback."""
        into_failed = [t for t in self._store.transitions(run.id) if t.to_state is State.FAILED]
        failed_in = into_failed[-1].from_state if into_failed else None
        retries = (t for t in TRANSITIONS if t.sources == (State.FAILED,))  # not ROLLBACK's
        return next((t.trigger for t in retries if t.dest is failed_in), Trigger.RETRY_ROLLBACK)

    def _already_finished(self, run: Run, observer: Observer) -> Outcome:
        outcome = outcome_of(run, self._store.transitions(run.id))
        observer.run_started(run)
        observer.finished(outcome)
        return outcome

    def _acquired(self, run: Run, observer: Observer) -> Drive:
        """The run leased to this runner, as it was when the operation looked at it."""
        require_compatible(run)
        owner = self.services.owner
        leased, dead = acquire_or_take_over(self._store, run.id, owner, self.services.lease_seconds)
        if leased.state is not run.state:  # another runner drove it in between
            self._store.release(run.id, owner)
            raise TargetBusyError(
                f"run {run.id} moved from {run.state} to {leased.state} meanwhile: another "
                f"runner drove it; `bluegreen runs show {run.id}` says where it is now",
                run_id=run.id,
            )
        drive = Drive(self.services, leased, observer)
        if dead is not None:
            drive.start()  # the observer hears of the run before any of its events
            drive.journal.event(
                EventSource.ENGINE,
                f"took the lease over from {dead}: that process no longer exists on this host",
                owner=owner,
            )
        return drive

    def _chosen(self, run_id: str | None, target: Target | None, what: str) -> Run:
        if run_id:
            return self._store.get(RunId(run_id))
        if target is None:
            raise UsageError("give a RUN_ID, or the target (--app, --blue, --region)")
        run = unfinished_of_pair(self._store, target)
        if run is None:
            raise UsageError(f"no run of {target.key} {what}")
        return run

    def _waiting_for_lock(self, lock: LockPolicy, attempt: Callable[[], T]) -> T:
        """Retry `attempt` while the target is busy, up to `lock.wait_seconds`."""
        clock = self.services.clock
        deadline = clock.monotonic() + lock.wait_seconds
        while True:
            try:
                return attempt()
            except TargetBusyError:
                remaining = deadline - clock.monotonic()
                if remaining <= 0:
                    raise
                clock.sleep(min(LOCK_POLL_SECONDS, remaining))
