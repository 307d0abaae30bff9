"""Swapping: move the live CNAME to green (which runs blue's previous version), so blue can be
deployed to while green serves; skipped when an earlier attempt already swapped them.

Before the swap (issue 19): green's settings are checked for drift from blue's, every
instance of green must run blue's version, and green is warmed up to blue's in-service
capacity. Any of them failing fails the step before the swap.
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


def run(ctx: StepContext) -> Trigger:
    check_alarms(ctx, "before the first swap")
    if not _swapped_already(ctx):
        _green_as_strong_as_blue(ctx)
    run_hook(ctx, HookPoint.BEFORE_SWAP)
    put_cnames(ctx, swapped=True, what="swap")
    point_records(ctx, "green", "swap")
    return Trigger.SWAPPED


def _swapped_already(ctx: StepContext) -> bool:
    green = find_own_green(ctx)
    return green is not None and green.cname == ctx.run.facts.blue_cname


def _green_as_strong_as_blue(ctx: StepContext) -> None:
    facts = ctx.run.facts
    blue_id = require(facts.blue_env_id, "blue environment id")
    green_id = require(facts.green_env_id, "green environment id")
    label = require(facts.previous_version_label, "previous version label")
    check_drift(ctx)
    require_instances_on(ctx, "green", green_id, label, "before the swap")
    warm_up(ctx, ("green", green_id), ("blue", blue_id), label)
