"""Swapping: move the live CNAME to green (which runs blue's previous version), so blue can be
deployed to while green serves; skipped when an earlier attempt already swapped them.
"""

from __future__ import annotations

from engine.domain.hooks import HookPoint
from engine.domain.model import Trigger
from engine.domain.step import StepContext
from states.shared.alarm_gates import check_alarms
from states.shared.cnames import put_cnames
from states.shared.hooks import run_hook
from states.shared.records import point_records


def run(ctx: StepContext) -> Trigger:
    check_alarms(ctx, "before the first swap")
    run_hook(ctx, HookPoint.BEFORE_SWAP)
    put_cnames(ctx, swapped=True, what="swap")
    point_records(ctx, "green", "swap")
    return Trigger.SWAPPED
