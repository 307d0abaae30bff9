"""A worker: drives queued runs and runs whose driver went away, up to N at once, all on
this process's one shared poller.

It claims runs from the shared database (each run goes to exactly one worker), registers
itself with a heartbeat, and drains on SIGTERM: it takes no new runs, its drives stop at
their next wait or state boundary (every action is idempotent, so that is a safe point),
and it hands their leases over so another worker continues them at once.

A drive that stops mid-release for a reason that passes (the database failed, the lease ran
out while the process was starved or paused) is handed over the same way, never left
released: a released unfinished run is an operator's to resume, so no worker would take it
and the release would rest half-done. A hand-over the database refuses is retried.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from dataclasses import dataclass

from engine.domain.errors import StoreError
from engine.domain.model import Run, RunId, State
from engine.domain.ports.queue import RunQueue, WorkerInfo
from engine.release.drive import Drive, Services
from engine.release.observer import Observer

CLAIM_SECONDS = 1.0  # how often an idle worker looks for runs


@dataclass(frozen=True)
class WorkerOptions:
    region: str  # the region this worker's AWS clients talk to: it takes only its runs
    concurrency: int = 4
    claim_seconds: float = CLAIM_SECONDS


class Worker:
    """One worker process: claims, drives and hands over runs until interrupted."""

    def __init__(
        self,
        services: Services,
        queue: RunQueue,
        observer: Observer,
        options: WorkerOptions,
    ) -> None:
        self._s = services
        self._queue = queue
        self._observer = observer
        self._options = options
        self._drives: dict[RunId, threading.Thread] = {}
        self._lock = threading.Lock()
        self._hand_overs: set[RunId] = set()  # stopped runs whose hand-over is still to do
        self.driven: list[str] = []  # run ids, in the order this worker took them

    @property
    def id(self) -> str:
        return self._s.owner

    def run(self) -> int:
        """Work until interrupted, then drain; 0 once every run is handed over."""
        self._queue.register(self._info())
        try:
            self._work()
            with contextlib.suppress(StoreError):
                self._queue.beat(self.id, draining=True)
            for thread in list(self._drives.values()):
                thread.join()
            self._hand_over_stopped()
        finally:
            with contextlib.suppress(StoreError):
                self._queue.leave(self.id)
        return 0

    def _work(self) -> None:
        beat_every = self._s.lease_seconds / 3
        last_beat = self._s.clock.monotonic()
        while not self._s.interrupt.is_set():
            self._reap()
            self._hand_over_stopped()
            took = self._take() if len(self._drives) < self._options.concurrency else False
            if self._s.clock.monotonic() - last_beat >= beat_every:
                with contextlib.suppress(StoreError):
                    self._queue.beat(self.id)
                last_beat = self._s.clock.monotonic()
            if not took:
                self._s.interrupt.wait(self._options.claim_seconds)

    def _take(self) -> bool:
        """Claim one run and start driving it; False when there was none (or no database)."""
        try:
            driving = list(self._drives)  # alive, or not reaped yet
            run = self._queue.claim(self.id, self._s.lease_seconds, self._options.region, driving)
        except StoreError:
            return False
        if run is None:
            return False
        with self._lock:  # taken again (its lease ran out): a hand-over due is moot now
            self._hand_overs.discard(run.id)
        thread = threading.Thread(
            target=self._drive, args=(run,), name=f"bluegreen-run-{run.id}", daemon=True
        )
        self._drives[run.id] = thread
        self.driven.append(run.id)
        thread.start()
        return True

    def _drive(self, run: Run) -> None:
        drive = Drive(self._s, run, self._observer)
        was = run.state
        try:
            if was is State.QUEUED:
                drive.operator(f"taken by worker {self.id}")
            else:
                drive.operator(f"taken over by worker {self.id} in state {was}")
        except StoreError:
            return  # the lease expires and another worker (or this one) tries again
        outcome = drive.drive()
        state = drive.run.state
        if outcome.passing and state.is_working:  # stopped mid-way, not resting: hand it on
            with self._lock:
                self._hand_overs.add(run.id)
            self._hand_over_stopped()

    def _hand_over_stopped(self) -> None:
        """Hand over the runs whose drives stopped; the ones the database refused stay due."""
        with self._lock:
            due = sorted(self._hand_overs)
        for run_id in due:
            try:
                self._queue.hand_over(run_id, self.id)
            except StoreError:
                continue
            with self._lock:
                self._hand_overs.discard(run_id)

    def _reap(self) -> None:
        for run_id, thread in list(self._drives.items()):
            if not thread.is_alive():
                del self._drives[run_id]

    def _info(self) -> WorkerInfo:
        now = self._s.clock.now()
        return WorkerInfo(
            self.id, socket.gethostname(), os.getpid(), self._options.concurrency, now, now
        )
