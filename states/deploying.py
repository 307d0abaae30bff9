"""Deploying: once the swap has settled in DNS (clients that cached the old answer still reach
blue until then), put the new version on blue and wait until it is Ready, runs that version
and is healthy. Mode deploy then pauses for the cutover.
"""

from __future__ import annotations

from engine.domain.model import Mode, Trigger
from engine.domain.step import StepContext
from states.shared.blue_version import put_blue_on
from states.shared.instance_verdict import require_instances_on
from states.shared.settle import settle_after_swap


def run(ctx: StepContext) -> Trigger:
    settle_after_swap(ctx, "deploying to blue")
    blue = put_blue_on(ctx, ctx.run.version_label, "deploy")
    # EB may say Ready on the new version with instances left behind (issue 19)
    require_instances_on(ctx, "blue", blue.id, ctx.run.version_label, "deploy")
    return Trigger.PAUSE if ctx.run.mode is Mode.DEPLOY else Trigger.DEPLOYED
