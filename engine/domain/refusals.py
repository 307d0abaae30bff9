"""The store's refusals, worded once for every RunStore implementation (and the runner).

Each message names who holds what and until when, so an operator knows whom to wait for.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from engine.domain.errors import LeaseLostError, RunNotFoundError, TargetBusyError
from engine.domain.model import Run, RunId

MIN_PREFIX = 4  # shortest id prefix `get` accepts


def _time(at: datetime) -> str:
    return at.isoformat(timespec="seconds")


def readable_owner(owner: str) -> str:
    """`process 4242 on host1 (runner host1:4242:1a2b3c)`: who a runner id names, in words
    (ids are `<hostname>:<pid>:<random>[:<place>]`); any other id as it is."""
    parts = owner.split(":")
    if len(parts) not in (3, 4) or not parts[1].isdigit():
        return owner
    return f"process {parts[1]} on {parts[0]} (runner {owner})"


def _lease(run: Run, now: datetime) -> str:
    if run.lease_owner is None or run.lease_expires_at is None:
        return "no runner holds its lease (resume it, or roll it back)"
    holder = readable_owner(run.lease_owner)
    if run.lease_expires_at <= now:
        return (
            f"its lease by {holder} expired at {_time(run.lease_expires_at)} "
            "(resume it to take over)"
        )
    return f"it is leased to {holder} until {_time(run.lease_expires_at)}"


def target_busy(holder: Run, now: datetime) -> TargetBusyError:
    """A new run for a target that an unfinished run holds."""
    message = (
        f"target {holder.target.key} is busy: unfinished run {holder.id} ({holder.state}) "
        f"holds it; {_lease(holder, now)}"
    )
    return TargetBusyError(message, run_id=holder.id, owner=holder.lease_owner)


def lease_busy(run: Run, now: datetime) -> TargetBusyError:
    """Acquiring a run whose lease another runner holds and has not let expire."""
    message = f"run {run.id} ({run.target.key}) is busy: {_lease(run, now)}"
    return TargetBusyError(message, run_id=run.id, owner=run.lease_owner)


def lease_lost(run_id: RunId, owner: str, holder: str | None) -> LeaseLostError:
    now_held = f"it is now leased to {holder}" if holder else "it is no longer leased"
    return LeaseLostError(f"runner {owner} lost the lease of run {run_id}: {now_held}")


def run_not_found(run_id: str) -> RunNotFoundError:
    if len(run_id) < MIN_PREFIX:
        return RunNotFoundError(
            f"no run {run_id!r} (an id prefix needs at least {MIN_PREFIX} characters)"
        )
    return RunNotFoundError(f"no run {run_id!r}")


def ambiguous_prefix(prefix: str, matches: Sequence[str]) -> RunNotFoundError:
    shown = ", ".join(matches[:3]) + (", ..." if len(matches) > 3 else "")
    return RunNotFoundError(f"run id prefix {prefix!r} is ambiguous: it matches {shown}")
