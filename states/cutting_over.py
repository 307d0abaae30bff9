"""Cutting over: swap the CNAMEs back, so blue serves live traffic with the new version;
skipped when blue already holds its original CNAME again.
"""

from __future__ import annotations

from engine.domain.model import Trigger
from engine.domain.step import StepContext
from states.shared.cnames import put_cnames


def run(ctx: StepContext) -> Trigger:
    put_cnames(ctx, swapped=False, what="cutover")
    return Trigger.CUT_OVER
