"""Cutting over: swap the CNAMEs back, so blue serves live traffic with the new version;
skipped when blue already holds its original CNAME again.
"""

from __future__ import annotations

from engine.model import Trigger
from states.cnames import put_cnames
from states.context import StepContext


def run(ctx: StepContext) -> Trigger:
    put_cnames(ctx, swapped=False, what="cutover")
    return Trigger.CUT_OVER
