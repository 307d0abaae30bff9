"""Cleaning up after a cutover: terminate green and wait until it is Terminated, then delete
this run's configuration template.
"""

from __future__ import annotations

from engine.model import Trigger
from states.context import StepContext
from states.teardown import remove_green, remove_template


def run(ctx: StepContext) -> Trigger:
    remove_green(ctx)
    remove_template(ctx)
    return Trigger.CLEANED_UP
