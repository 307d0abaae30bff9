"""The timed cutover gate (`deploy --cutover-timeout SECONDS --on-timeout rollback|cutover`).

A run entering a resting state of the lifecycle (`awaiting_cutover`) with a timeout gets its
deadline (`facts.gate_deadline`) in the same transaction as the transition. Past it, the run
is claimable by any worker (`storage.queue`), and the next drive of it, a worker's or a
`bluegreen resume`, records the timeout and moves it on as the run's inputs say.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from engine.domain.durations import utc
from engine.domain.hooks import OnTimeout
from engine.domain.lifecycle import STRATEGIES, Kind, states_where
from engine.domain.model import EventSource, Run, Trigger

if TYPE_CHECKING:
    from engine.release.drive import Drive

# Where a run rests for an operator at the gate: the lifecycle's resting states.
GATES = states_where(kind=Kind.RESTING)

WORDS = {OnTimeout.ROLLBACK: "rolling back", OnTimeout.CUTOVER: "cutting over"}


def with_gate_deadline(run: Run, now: datetime) -> None:
    """A run that just entered the gate with a timeout: its deadline, counted from `now`."""
    timeout = run.guards.cutover_timeout_seconds
    if run.state in GATES and timeout is not None:
        run.facts.gate_deadline = now + timedelta(seconds=timeout)


def gate_expired(run: Run, now: datetime) -> bool:
    deadline = run.facts.gate_deadline
    return run.state in GATES and deadline is not None and utc(deadline) <= utc(now)


def open_expired_gate(drive: Drive, now: datetime) -> None:
    """Move a run whose gate timed out as its `--on-timeout` says (nothing otherwise)."""
    run = drive.run
    if not gate_expired(run, now):
        return
    policy = run.guards.on_timeout
    message = (
        f"cutover gate timed out after {run.guards.cutover_timeout_seconds or 0:g} s: "
        f"{WORDS[policy]}"
    )
    drive.journal.event(EventSource.ENGINE, message, gate="timed_out", on_timeout=policy.value)
    if policy is OnTimeout.ROLLBACK:
        run.rollback_reason = message
    cutover = STRATEGIES[run.strategy].cutover or Trigger.ROLLBACK  # its strategy's cutover
    drive.move(Trigger.ROLLBACK if policy is OnTimeout.ROLLBACK else cutover, message)
