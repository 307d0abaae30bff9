"""Cleaning up after a cutover: once the swap back has settled in DNS (clients that cached
the swapped answer still reach green until then), terminate green and wait until it is
Terminated, then delete this run's configuration template.
"""

from __future__ import annotations

from engine.domain.hooks import HookPoint
from engine.domain.model import Trigger
from engine.domain.step import StepContext
from states.shared.capacity import restore_sizes
from states.shared.hooks import run_hook
from states.shared.removal import remove_green, remove_template
from states.shared.resources import find_own_green, is_gone
from states.shared.settle import settle_after_swap_back


def run(ctx: StepContext) -> Trigger:
    run_hook(ctx, HookPoint.BEFORE_CLEANUP)
    if not is_gone(find_own_green(ctx)):
        settle_after_swap_back(ctx, "terminating green")
    remove_green(ctx)
    restore_sizes(ctx, "blue", ctx.run.facts.blue_env_id)  # the warm-up's raise, undone
    remove_template(ctx)
    return Trigger.CLEANED_UP
