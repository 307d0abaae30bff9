"""Verifying: probe blue itself (its own load balancer, which no swap moves) until it answers as
expected several times in a row, within the run's deadline, while EB's own health stays Green
and no alarm is in ALARM. N failed probes in a row fail the step at once (fail fast).
"""

from __future__ import annotations

from engine.domain.hooks import HookPoint
from engine.domain.model import Trigger
from engine.domain.step import StepContext
from states.shared.hooks import run_hook
from states.shared.instance_verdict import require_instances_on
from states.shared.resources import current_blue
from states.shared.steady import verify


def run(ctx: StepContext) -> Trigger:
    verify(ctx, "blue", current_blue)
    blue = current_blue(ctx)
    require_instances_on(ctx, "blue", blue.id, ctx.run.version_label, "verification")
    run_hook(ctx, HookPoint.AFTER_VERIFY, current_blue(ctx))
    return Trigger.VERIFIED
