"""Deploying: put the new version on blue (which serves no live traffic now) and wait until it
is Ready, runs that version and is healthy. Mode deploy then pauses for the cutover.
"""

from __future__ import annotations

from engine.domain.model import Mode, Trigger
from engine.domain.step import StepContext
from states.shared.blue_version import put_blue_on


def run(ctx: StepContext) -> Trigger:
    put_blue_on(ctx, ctx.run.version_label, "deploy")
    return Trigger.PAUSE if ctx.run.mode is Mode.DEPLOY else Trigger.DEPLOYED
