"""Retiring the old environment (swap-and-keep): once the swap has settled in DNS (clients
that cached the old answer still reach it until then), terminate the old environment (this
run's blue, on the old version) and wait until it is Terminated, then delete the template.
With `--keep-old forever` it is left running, unchanged, as the next release's green.
"""

from __future__ import annotations

from engine.domain.hooks import HookPoint
from engine.domain.model import Trigger
from engine.domain.step import StepContext
from states.shared.capacity import restore_sizes
from states.shared.hooks import run_hook
from states.shared.removal import remove_old_blue, remove_template
from states.shared.resources import note
from states.shared.settle import settle_after_swap
from states.shared.steady import current_green


def run(ctx: StepContext) -> Trigger:
    run_hook(ctx, HookPoint.BEFORE_CLEANUP, current_green(ctx))
    if ctx.run.guards.keep_old_forever:
        note(ctx, f"keeping the old environment {ctx.run.target.blue} running (--keep-old "
             "forever): the next release with these names replaces it")  # fmt: skip
    else:
        settle_after_swap(ctx, "terminating the old environment")
        remove_old_blue(ctx)
    restore_sizes(ctx, "green", ctx.run.facts.green_env_id)  # the warm-up's raise, undone
    remove_template(ctx)
    return Trigger.RETIRED
