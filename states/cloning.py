"""Cloning: save blue's configuration as this run's template, create green from it running
blue's previous version, and wait until green is Ready and healthy.
"""

from __future__ import annotations

from engine.domain.model import Trigger
from engine.domain.step import StepContext
from states.shared.green_launch import launch_green
from states.shared.resources import require


def run(ctx: StepContext) -> Trigger:
    launch_green(ctx, require(ctx.run.facts.previous_version_label, "previous version label"))
    return Trigger.CLONED
