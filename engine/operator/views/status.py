"""Views for `bluegreen status` and the filters of `runs list`: what each unfinished run
waits for, who holds it, and how `--since` reads ("7d", "12h", an ISO date or time).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from engine.domain.durations import seconds_between, utc
from engine.domain.lifecycle import Kind, states_where
from engine.domain.model import Run, State, TransitionRecord
from engine.operator.views.document import iso, run_document

_RELATIVE = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$", re.IGNORECASE)
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
UNFINISHED_STATES: tuple[State, ...] = states_where(frees_target=False)
EARLIEST = datetime.min.replace(tzinfo=UTC)


def ago(now: datetime, **amount: float) -> datetime:
    """`now` minus an amount (`days=7`); the earliest time there is when that reaches further
    back than the calendar does (`--since 9999999d` means everything)."""
    try:
        return utc(now) - timedelta(**amount)
    except OverflowError:
        return EARLIEST


def parse_since(text: str, now: datetime) -> datetime:
    """ "7d", "12h", "30m", "2w", "90s", or an ISO date/time (UTC when no offset is given)."""
    relative = _RELATIVE.match(text)
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2).lower()
        return ago(now, **{_UNITS[unit]: amount})
    try:
        return utc(datetime.fromisoformat(text.strip()))
    except ValueError:
        raise ValueError(
            f"cannot read {text!r} as a time: use an ISO date/time (2026-11-26, "
            "2026-11-26T13:00:00Z) or an age like 7d, 12h, 30m"
        ) from None


def lease_status(run: Run, now: datetime) -> str:
    """ "live" while the owner's lease runs, "expired" after, "none" when nobody holds it."""
    if run.lease_owner is None or run.lease_expires_at is None:
        return "none"
    return "live" if utc(run.lease_expires_at) > utc(now) else "expired"


def waits_for(run: Run) -> str:
    """What a run in its state waits for, in an operator's words (the lifecycle table's)."""
    return run.state.info.waits_for.format(id=run.id)


def _moment(moment: datetime | None) -> str:
    return "-" if moment is None else utc(moment).strftime("%Y-%m-%d %H:%M:%SZ")


def holder_of(run: Run, now: datetime) -> str:
    """Who drives the run now, and what an operator can do when nobody does."""
    lease = lease_status(run, now)
    if lease == "live":
        return f"{run.lease_owner} (lease until {_moment(run.lease_expires_at)})"
    if lease == "expired":
        return (
            f"nobody: the lease of {run.lease_owner} expired at {_moment(run.lease_expires_at)}; "
            f"`bluegreen resume {run.id}` takes over"
        )
    if run.state.info.rests_for_operator:
        return "nobody (the run rests until an operator acts)"
    return f"nobody: `bluegreen resume {run.id}` drives it"


def status_row(run: Run, transitions: Sequence[TransitionRecord], now: datetime) -> dict[str, Any]:
    """One unfinished run in `bluegreen status`."""
    since = utc(transitions[-1].at) if transitions else utc(run.updated_at)
    return {
        **run_document(run),
        "state_since": iso(since),
        "in_state_seconds": max(0.0, seconds_between(since, now)),
        "waits_for": waits_for(run),
        "lease": {
            "owner": run.lease_owner,
            "expires_at": iso(run.lease_expires_at),
            "status": lease_status(run, now),
        },
        "held_by": holder_of(run, now),
        "gate": gate_of(run),
        "error": run.error,
    }


def gate_of(run: Run) -> dict[str, Any] | None:
    """The timed cutover gate of a run resting at it: its deadline and what happens then."""
    deadline = run.facts.gate_deadline
    if run.state.info.kind is not Kind.RESTING or deadline is None:
        return None
    return {"deadline": iso(deadline), "on_timeout": run.guards.on_timeout.value}
