"""The events a notification can be sent for (`--notify-on`), named from the lifecycle's verdicts.

A finished drive's event is its verdict (`engine.domain.lifecycle.VERDICTS`) under the name a
release engineer subscribes to; `started` is a drive beginning a run in one of the lifecycle's
`ENTRY_STATES`. No state rule lives here: a new verdict is a new event by itself.
"""

from __future__ import annotations

from engine.domain import lifecycle
from engine.domain.lifecycle import Verdict

STARTED = "started"
# The verdict `awaiting_cutover` is the event `waiting_for_cutover` (issue 21's name for it);
# every other verdict is its own event under its own name: `rolled_back_by_operator` (exit 0,
# production on the previous version as asked) is not `rolled_back` (a failure undone), and
# `interrupted` (the run holds its target until `bluegreen resume`) is not `failed`.
_RENAMED = {lifecycle.AWAITING_CUTOVER.name: "waiting_for_cutover"}


def event_of(verdict: Verdict) -> str:
    """The notification event of a drive that ended with `verdict`."""
    return _RENAMED.get(verdict.name, verdict.name)


EVENTS: tuple[str, ...] = (STARTED, *(event_of(verdict) for verdict in lifecycle.VERDICTS))
# By default every drive's end is sent (as before events could be chosen), not its start.
DEFAULT_EVENTS: tuple[str, ...] = tuple(event for event in EVENTS if event != STARTED)


def events_problem(text: str) -> str | None:
    """Why a comma-separated list of event names is refused (`all` names every event)."""
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    if not names:
        return f"must name events: {', '.join(EVENTS)} (or all)"
    unknown = [name for name in names if name not in (*EVENTS, "all")]
    if unknown:
        return f"unknown event {unknown[0]!r}: choose from {', '.join(EVENTS)} (or all)"
    return None


def parse_events(text: str) -> frozenset[str]:
    """The events a valid `--notify-on` value names."""
    names = {name.strip().lower() for name in text.split(",") if name.strip()}
    return frozenset(EVENTS) if "all" in names else frozenset(names)
