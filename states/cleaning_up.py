"""Cleaning up after a cutover: terminate green and wait until it is Terminated, then delete
this run's configuration template.
"""

from __future__ import annotations

from engine.domain.model import Trigger
from engine.domain.step import StepContext
from states.shared.removal import remove_green, remove_template


def run(ctx: StepContext) -> Trigger:
    remove_green(ctx)
    remove_template(ctx)
    return Trigger.CLEANED_UP
