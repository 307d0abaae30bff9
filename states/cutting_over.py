"""Cutting over: swap the CNAMEs back, so blue serves live traffic with the new version;
skipped when blue already holds its original CNAME again.
"""

from __future__ import annotations

from engine.domain.model import Trigger
from engine.domain.step import StepContext
from states.shared.cnames import put_cnames
from states.shared.records import point_records


def run(ctx: StepContext) -> Trigger:
    put_cnames(ctx, swapped=False, what="cutover")
    point_records(ctx, "blue", "cutover")
    return Trigger.CUT_OVER
