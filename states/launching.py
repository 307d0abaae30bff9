"""Launching (swap-and-keep): save blue's configuration as this run's template and create
green from it directly on the new version; wait until green is Ready and healthy. Blue is not
touched: it keeps serving live traffic, on the old version, until the swap.
"""

from __future__ import annotations

from engine.domain.model import Trigger
from engine.domain.step import StepContext
from states.shared.green_launch import launch_green


def run(ctx: StepContext) -> Trigger:
    launch_green(ctx, ctx.run.version_label)
    return Trigger.LAUNCHED
