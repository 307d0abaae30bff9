"""Cutting over: swap the CNAMEs back, so blue serves live traffic with the new version;
skipped when blue already holds its original CNAME again. Before it, every instance of blue
must run the new version and blue is warmed up to green's in-service capacity (blue served
nothing while it was deployed to, and its auto scaling may have scaled it in).
"""

from __future__ import annotations

from engine.domain.model import Trigger
from engine.domain.step import StepContext
from states.shared.capacity import warm_up
from states.shared.cnames import put_cnames
from states.shared.instance_verdict import require_instances_on
from states.shared.records import point_records
from states.shared.resources import current_blue, require


def run(ctx: StepContext) -> Trigger:
    blue = current_blue(ctx)
    if blue.cname != ctx.run.facts.blue_cname:  # not cut over yet
        label, green_id = ctx.run.version_label, require(ctx.run.facts.green_env_id, "green id")
        require_instances_on(ctx, "blue", blue.id, label, "before the cutover")
        warm_up(ctx, ("blue", blue.id), ("green", green_id), label)
    put_cnames(ctx, swapped=False, what="cutover")
    point_records(ctx, "blue", "cutover")
    return Trigger.CUT_OVER
