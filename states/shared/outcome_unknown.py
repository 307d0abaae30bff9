"""Mutating EB calls whose answer may not say what happened: the intent is recorded first, and
an error of the call itself that proves no refusal is read as "outcome unknown": the step looks
at what exists and decides whether the call took effect, is taking effect, or may be retried.

A 5xx, a timeout or a reset connection may come after EB carried the call out (the response was
lost); throttling and "invalid state / already exists" may be answers to botocore's retry of a
call that did happen. Only errors that prove a lasting refusal (validation, not found, access
denied) fail the step at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from engine.domain.errors import CloudError, ConflictError, ServiceError, ThrottledError
from engine.domain.step import StepContext
from states.shared.resources import note

T = TypeVar("T")

OUTCOME_UNKNOWN: tuple[type[CloudError], ...] = (ServiceError, ThrottledError, ConflictError)
# Pauses between attempts when what exists shows the call did not take effect: three attempts.
RETRY_PAUSES = (1.0, 3.0)


def intend(ctx: StepContext, intent: str) -> None:
    """Record what the run is about to ask EB for, and when, before the call is sent."""
    ctx.journal.record_facts(requested=intent, requested_at=ctx.clock.now().isoformat())


def seconds_since(ctx: StepContext, intent_prefix: str) -> tuple[str, float] | None:
    """(intent, age in seconds) when the run's last request starts with `intent_prefix`."""
    facts = ctx.run.facts
    if not facts.requested or not facts.requested_at:
        return None
    if not facts.requested.startswith(intent_prefix):
        return None
    try:
        at = datetime.fromisoformat(facts.requested_at)
    except ValueError:
        return None
    return facts.requested, (ctx.clock.now() - at).total_seconds()


def request(
    ctx: StepContext,
    intent: str,
    call: Callable[[], T],
    took_effect: Callable[[], bool],
    also_unknown: tuple[type[CloudError], ...] = (),
) -> T | None:
    """`call()`'s result; None when it failed but what exists shows it took effect (or is
    under way). Retried (intent re-recorded) while what exists shows it did not; the last
    error is raised when attempts run out. Other errors are raised at once."""
    unknown = OUTCOME_UNKNOWN + also_unknown
    for pause in (*RETRY_PAUSES, None):
        intend(ctx, intent)
        try:
            return call()
        except unknown as error:
            note(ctx, f"{intent}: outcome unknown ({error}); reading what exists to decide")
            if took_effect():
                note(ctx, f"{intent}: it took effect (or is under way) despite the error")
                return None
            if pause is None:
                raise
            note(ctx, f"{intent}: it did not take effect; trying again in {pause:.0f} s")
            ctx.clock.sleep(pause)
    raise AssertionError("unreachable: the last attempt returns or raises")
