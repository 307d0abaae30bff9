"""Launching (swap-and-keep): save blue's configuration as this run's template and create
green from it directly on the new version; wait until green is Ready and healthy. Blue is not
touched: it keeps serving live traffic, on the old version, until the swap.

A run adopting the environment an earlier run kept (`--keep-old forever`, see
engine.release.pairs) creates nothing: the new version is deployed to the kept environment
(one UpdateEnvironment, none when an earlier attempt's deployment got it there).
"""

from __future__ import annotations

from engine.domain.model import Trigger
from engine.domain.step import StepContext
from states.shared.green_launch import adopt_kept_green, launch_green


def run(ctx: StepContext) -> Trigger:
    if ctx.run.facts.adopted_from_run:
        adopt_kept_green(ctx, ctx.run.version_label)
    else:
        launch_green(ctx, ctx.run.version_label)
    return Trigger.LAUNCHED
