"""Going live (swap-and-keep): swap the CNAMEs, so green, verified on the new version, takes
the live traffic; custom domains in Route 53 follow. Blue keeps running the old version,
unchanged, to swap back to. Skipped when an earlier attempt already swapped them.
"""

from __future__ import annotations

from engine.domain.hooks import HookPoint
from engine.domain.model import Trigger
from engine.domain.step import StepContext
from states.shared.alarm_gates import check_alarms
from states.shared.capacity import warm_up
from states.shared.cnames import put_cnames
from states.shared.drift import check_drift
from states.shared.hooks import run_hook
from states.shared.instance_verdict import require_instances_on
from states.shared.records import point_records
from states.shared.resources import find_own_green, require
from states.shared.steady import current_green


def run(ctx: StepContext) -> Trigger:
    check_alarms(ctx, "before going live")
    green = find_own_green(ctx)
    if green is None or green.cname != ctx.run.facts.blue_cname:  # not live yet (issue 19)
        green_id = require(ctx.run.facts.green_env_id, "green environment id")
        blue_id = require(ctx.run.facts.blue_env_id, "blue environment id")
        check_drift(ctx)
        require_instances_on(ctx, "green", green_id, ctx.run.version_label, "before going live")
        warm_up(ctx, ("green", green_id), ("blue", blue_id), ctx.run.version_label)
    run_hook(ctx, HookPoint.BEFORE_SWAP, current_green(ctx))
    put_cnames(ctx, swapped=True, what="go live")
    point_records(ctx, "green", "go live")
    return Trigger.WENT_LIVE
