"""Queued: a submitted run that a driver (a worker, or `resume`) starts; nothing to check yet."""

from __future__ import annotations

from engine.domain.model import Trigger
from engine.domain.step import StepContext


def run(ctx: StepContext) -> Trigger:
    """Preflight does every check; starting a queued run only moves it there."""
    return Trigger.START
