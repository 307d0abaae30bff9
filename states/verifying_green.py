"""Verifying green (swap-and-keep): probe green, already on the new version, at its own load
balancer with the live name as Host (what the app sees once it is live), until it answers as
expected several times in a row, while EB's health of green stays Green and no alarm is in
ALARM. Live traffic is still on blue, untouched. Mode deploy rests here for the cutover.
"""

from __future__ import annotations

from engine.domain.hooks import HookPoint
from engine.domain.model import Mode, Trigger
from engine.domain.step import StepContext
from states.shared.hooks import run_hook
from states.shared.resources import note
from states.shared.steady import current_green, verify


def run(ctx: StepContext) -> Trigger:
    verify(ctx, "green", current_green)
    run_hook(ctx, HookPoint.AFTER_VERIFY, current_green(ctx))
    if ctx.run.mode is Mode.DEPLOY:
        green = current_green(ctx)
        note(ctx, f"the new version can be tried at green's own address: "
             f"http://{green.cname or green.endpoint_url}", environment=green.id)  # fmt: skip
        return Trigger.PAUSE
    return Trigger.GREEN_VERIFIED
