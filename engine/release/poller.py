"""One poller per runner process: every wait of every run shares one DescribeEnvironments call.

Waits register their environment ids; a ticker thread makes one DescribeEnvironments call per
tick for the union of all ids (IncludeDeleted, so terminations are seen), evaluates each wait's
condition on the result, and streams DescribeEvents (one call per application) every few ticks.
The interval starts at `base` (about a second), doubles on throttling and decays back.
With `expectations`, ticks follow each wait's predicted schedule (engine.release.schedule)
instead: sparse while its operation cannot be done yet, every `base` around its expected end.

With `fresh` (engine.release.fresh_reads), ticks keep their answers for the steps that read
right after a wait, and a wait whose condition a fresh answer already meets ends without a
poll. With `events_gap`, a finished wait fetches its events only when the application's last
fetch is that old (or the wait failed); otherwise they come with the next fetch, and
`flush_events` fetches what a run's finished waits still owe at the end of its drive.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta

from engine.domain.errors import CloudError, DeadlineExceeded, ServiceError, ThrottledError
from engine.domain.model import Run
from engine.domain.ports.cloud import Beanstalk, Environment
from engine.domain.ports.runtime import Clock, Condition, Snapshot, Waiter
from engine.release.expectations import Expectations, Sample
from engine.release.fresh_reads import FreshReads
from engine.release.interrupt import Interrupt, Interrupted
from engine.release.journal import RunJournal
from engine.release.observer import Observer
from engine.release.schedule import Cadence, Plan
from engine.release.waits import AdaptiveInterval, RunWaiter, WaitSink, Watch

# How far back the first DescribeEvents of a wait looks: the step's own call just before it.
EVENTS_LOOKBACK = timedelta(seconds=30)
# The ticker sleeps in slices this long, so a new wait is polled soon after it registers.
WAKE_SLICE = 0.05
# The measurements of an application's past waits (from the run history), oldest first.
HistoryLoader = Callable[[str], Iterable[Sample]]


class SharedPoller:
    """Polls for every waiter of this process; `tick()` is one round (tests call it directly)."""

    def __init__(
        self,
        beanstalk: Beanstalk,
        clock: Clock,
        interrupt: Interrupt,
        base_interval: float = 1.0,
        max_interval: float = 20.0,
        events_every: int = 5,
        start_thread: bool = True,
        expectations: Expectations | None = None,
        history: HistoryLoader | None = None,
        events_seconds: float = 0.0,
        fresh: FreshReads | None = None,
        events_gap: float = 0.0,
    ) -> None:
        self._beanstalk = beanstalk
        self._clock = clock
        self._interrupt = interrupt
        self.interval = AdaptiveInterval(base_interval, max_interval)
        self._events_every = max(events_every, 1)
        self._start_thread = start_thread
        self._lock = threading.Lock()
        self._watches: list[Watch] = []
        self._thread: threading.Thread | None = None
        self._cursors: dict[str, datetime] = {}
        self.ticks = 0
        self.expectations = expectations
        self._history = history
        scale = expectations.time_scale if expectations else 1.0
        self._cadence = Cadence.for_base(base_interval, scale)
        self._events_seconds = events_seconds
        self._events_at: dict[str, float] = {}  # application -> its last DescribeEvents
        self._fresh = fresh
        self._events_gap = events_gap
        self._owed: dict[str, list[Watch]] = {}  # application -> finished waits not streamed
        self._wake = threading.Event()
        self._seen = (clock.now(), clock.monotonic())

    def waiter_for(self, run: Run, journal: RunJournal, observer: Observer) -> Waiter:
        """The per-run face of this poller that a drive hands to its steps."""
        return RunWaiter(self, run, journal, observer)

    def wait(
        self,
        what: str,
        application: str,
        environment_ids: Sequence[str],
        condition: Condition,
        deadline_seconds: float,
        sink: WaitSink,
        not_before: datetime | None = None,
    ) -> Snapshot:
        """Block until the condition holds; raise what the watch ended with. EB events are
        streamed from a little before the wait (the step's own call), never before
        `not_before` (the run's start)."""
        self._interrupt.check()
        self._load_history(application)
        since = self._clock.now() - EVENTS_LOOKBACK
        watch = Watch(
            what, application, tuple(dict.fromkeys(environment_ids)), condition,
            deadline_seconds, self._clock.monotonic() + deadline_seconds,
            max(since, not_before) if not_before else since, sink,
            plan=Plan(application, self._clock.monotonic()),
        )  # fmt: skip
        early = self._answered_already(watch)
        if early is not None:
            return early
        self._register(watch)
        try:
            while not watch.done.wait(0.5):
                self._ensure_ticker()
        finally:
            self._unregister(watch)
        if watch.error is not None:
            raise watch.error
        assert watch.result is not None
        return watch.result

    def _answered_already(self, watch: Watch) -> Snapshot | None:
        """The snapshot a fresh answer gives, when it already meets the condition (a wait
        that begins where another ended, or right after the step read the same environments).
        Anything else, a condition that raises included, is judged again on a poll."""
        known = None if self._fresh is None else self._fresh.recent_environments(watch.ids)
        if known is None:
            return None
        snapshot = {env_id: known.get(env_id) for env_id in watch.ids}
        try:
            if not watch.condition(dict(snapshot)):
                return None
        except Exception:
            return None
        watch.snapshot = dict(snapshot)
        watch.sink.polled(watch.what, [e for e in snapshot.values() if e is not None])
        with self._lock:
            self._owed.setdefault(watch.application, []).append(watch)
        return snapshot

    def _register(self, watch: Watch) -> None:
        with self._lock:
            self._events_at.setdefault(watch.application, self._clock.monotonic())
            self._watches.append(watch)
            cursor = self._cursors.get(watch.application)
            if cursor is None or watch.since < cursor:
                self._cursors[watch.application] = watch.since
        self._wake.set()
        self._ensure_ticker()

    def _load_history(self, application: str) -> None:
        known = self.expectations
        if known is None or self._history is None or not known.needs_history(application):
            return
        try:
            known.learn_history(application, list(self._history(application)))
        except Exception:  # an unreadable history only costs the learned schedule
            known.learn_history(application, [])

    def _unregister(self, watch: Watch) -> None:
        with self._lock:
            if watch in self._watches:
                self._watches.remove(watch)

    def _ensure_ticker(self) -> None:
        with self._lock:
            alive = self._thread is not None and self._thread.is_alive()
            if not self._start_thread or alive or not self._watches:
                return
            self._thread = threading.Thread(target=self._run, name="bluegreen-poller", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._watches:
                    self._thread = None
                    return
            try:
                pause = self.tick()
            except BaseException as error:  # never leave a waiter hanging
                self._finish_all(error)
                continue
            if self._pause(pause):
                self._finish_all(Interrupted(self._interrupt.reason or "interrupted"))

    def _pause(self, seconds: float) -> bool:
        """Sleep until the next tick is due or a new wait registers; True when interrupted."""
        if self.expectations is None:
            return self._interrupt.wait(seconds)
        self._wake.clear()
        deadline = self._clock.monotonic() + seconds
        while not self._wake.is_set():
            remaining = deadline - self._clock.monotonic()
            if remaining <= 0:
                break
            if self._interrupt.wait(min(remaining, WAKE_SLICE)):
                return True
        return self._interrupt.is_set()

    def _active(self) -> list[Watch]:
        with self._lock:
            return [w for w in self._watches if not w.done.is_set()]

    def _finish_all(self, error: BaseException) -> None:
        for watch in self._active():
            watch.finish(error=error)
            self._unregister(watch)

    def tick(self) -> float:
        """One DescribeEnvironments for every active watch; returns the pause before the next."""
        watches = self._active()
        if not watches:
            return self.interval.current
        ids = sorted({env_id for w in watches for env_id in w.ids})
        try:
            if self._fresh is not None:
                found = self._fresh.refresh_environments(ids)
            else:
                found = self._beanstalk.describe_environments(ids=ids, include_deleted=True)
        except (ThrottledError, ServiceError) as error:
            self._retry_later(watches, error)
            return self.interval.current
        except CloudError as error:
            self._finish_all(error)
            return self.interval.current
        self.interval.succeeded()
        self.ticks += 1
        # When this poll saw the environments: what detection lag and the schedule count from.
        self._seen = (self._clock.now(), self._clock.monotonic())
        by_id = {env.id: env for env in found}
        finished = [w for w in watches if self._evaluate(w, by_id)]
        streamed = self._events_due(watches, finished)
        for watch in finished:
            self._unregister(watch)  # never evaluated again, though not yet told
        for application in {w.application for w in streamed}:
            self._events_at[application] = self._clock.monotonic()  # not asked again meanwhile
        if self._start_thread and streamed:
            # The ticker's own thread polls on: another wait due now is not delayed by these
            # DescribeEvents (one per application; a fleet's waits often end in one tick).
            threading.Thread(
                target=self._stream_then_finish, args=(streamed, finished),
                name="bluegreen-events", daemon=True,
            ).start()  # fmt: skip
        else:
            self._stream_then_finish(streamed, finished)
        return self._next_pause([w for w in watches if w not in finished])

    def _stream_then_finish(self, streamed: list[Watch], finished: list[Watch]) -> None:
        """The events due, then the finished waits told (their events journaled first)."""
        try:
            if streamed:
                self.stream_events(streamed)
        finally:
            for watch in finished:
                watch.done.set()

    def _events_due(self, watches: list[Watch], finished: list[Watch]) -> list[Watch]:
        """The watches whose application's events to fetch now: where a wait finished (with
        `events_gap`: failed, or the last fetch is that old; else they are owed), and, every
        few ticks, where the last fetch is `events_seconds` old."""
        now = self._clock.monotonic()
        apps: set[str] = set()
        for watch in finished:
            last = self._events_at.get(watch.application, -1e18)
            if watch.error is not None or now - last >= self._events_gap:
                apps.add(watch.application)
            else:
                with self._lock:
                    self._owed.setdefault(watch.application, []).append(watch)
        if self.ticks % self._events_every == 0:
            stale = now - self._events_seconds
            apps |= {
                w.application for w in watches if self._events_at.get(w.application, -1e18) <= stale
            }
        return [w for w in watches if w.application in apps]

    def _next_pause(self, waiting: list[Watch]) -> float:
        """The throttle-aware interval; with expectations, until the soonest wait is due."""
        if self.expectations is None or not waiting:
            return self.interval.current
        soonest = min(w.plan.due for w in waiting if w.plan is not None)
        throttled = self.interval.current > self.interval.base
        return max(soonest - self._clock.monotonic(), self.interval.current if throttled else 0.0)

    def _retry_later(self, watches: list[Watch], error: CloudError) -> None:
        if isinstance(error, ThrottledError):
            self.interval.throttled()
        message = f"DescribeEnvironments failed ({error}); retrying in {self.interval.current:g}s"
        for watch in watches:
            watch.sink.aws_error(message)
            self._check_deadline(watch)

    def _evaluate(self, watch: Watch, by_id: dict[str, Environment]) -> bool:
        """Update the watch's snapshot; True when it has finished (either way)."""
        watch.snapshot = {env_id: by_id.get(env_id) for env_id in watch.ids}
        watch.sink.polled(watch.what, [e for e in watch.snapshot.values() if e is not None])
        try:
            if watch.condition(dict(watch.snapshot)):
                watch.result = dict(watch.snapshot)
                self._completed(watch)
                return True
        except Exception as error:  # the condition says the wait can never succeed
            watch.error = error
            return True
        if self.expectations is not None and watch.plan is not None:
            envs = list(watch.snapshot.values())
            now, mono = self._seen
            watch.plan.observe(envs, now, mono, self.expectations, self._cadence)
        return self._check_deadline(watch)

    def _completed(self, watch: Watch) -> None:
        """Learn how long the wait's operation took, and tell the run."""
        if self.expectations is None or watch.plan is None:
            return
        envs, scale = list(watch.snapshot.values()), self.expectations.time_scale
        completion = watch.plan.completed(envs, *self._seen, scale)
        if completion is not None:
            self.expectations.learn(completion.sample)
            watch.sink.waited(watch.what, completion, watch.plan.window)

    def _check_deadline(self, watch: Watch) -> bool:
        if self._clock.monotonic() < watch.deadline_at:
            return False
        watch.error = DeadlineExceeded(
            f"gave up waiting for {watch.what} after {watch.deadline_seconds:g}s; "
            f"last seen: {watch.last_seen()}"
        )
        watch.done.set()
        self._unregister(watch)
        return True

    def stream_events(self, watches: Sequence[Watch]) -> None:
        """One DescribeEvents per application since its last seen event, fanned out by name
        (to the finished waits it still owes events too)."""
        for application in sorted({w.application for w in watches}):
            self._events_at[application] = self._clock.monotonic()
            with self._lock:
                owed = self._owed.pop(application, [])
            mine = [w for w in [*watches, *owed] if w.application == application and w.names]
            if mine:
                self._stream_application(application, list(dict.fromkeys(mine)))

    def flush_events(self, sink: WaitSink) -> None:
        """Fetch the events owed to `sink`'s finished waits (a drive's end): one DescribeEvents
        per application, none when nothing is owed."""
        with self._lock:
            apps = sorted({
                app for app, owed in self._owed.items() if any(w.sink is sink for w in owed)
            })  # fmt: skip
        for application in apps:  # every wait owed there: the cursor is the application's
            self._events_at[application] = self._clock.monotonic()
            with self._lock:
                mine = [w for w in self._owed.pop(application, []) if w.names]
            if mine:
                self._stream_application(application, mine)

    def _stream_application(self, application: str, watches: list[Watch]) -> None:
        with self._lock:
            since = self._cursors.get(application) or min(w.since for w in watches)
        names = sorted(set().union(*(w.names for w in watches)))
        try:
            events = self._beanstalk.events(application, since, names)
        except CloudError as error:
            for watch in watches:
                watch.sink.aws_error(f"DescribeEvents failed ({error}); will retry")
            return
        for event in events:
            for watch in watches:
                if event.environment_name in watch.names:
                    watch.sink.eb_event(event)
        if events:
            with self._lock:
                self._cursors[application] = max(e.at for e in events)
