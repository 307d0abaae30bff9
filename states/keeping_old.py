"""Keeping the old environment (swap-and-keep): after the swap, green serves live traffic on
the new version while blue, untouched on the old one, stays up for the keep window (at least
the DNS settle: clients with a cached answer still reach blue until then). Green is watched
(HTTP probe of its own load balancer, EB health, alarms); a regression swaps the CNAMEs back
at once, with no deploy, and fails the step (the rollback then terminates green).
"""

from __future__ import annotations

from engine.domain.errors import StepFailed
from engine.domain.model import Trigger
from engine.domain.step import StepContext
from states.shared.cnames import put_cnames
from states.shared.probing import ProbeTarget, probe_target
from states.shared.resources import note
from states.shared.steady import current_green
from states.shared.window_watch import WindowWatch
from states.shared.windows import wait_window


def run(ctx: StepContext) -> Trigger:
    seconds = ctx.run.guards.keep_window_seconds
    since = ctx.run.facts.swapped_at
    if seconds <= 0:
        return Trigger.KEPT
    watch = _KeepWatch(ctx, probe_target(ctx, current_green(ctx), "green"))
    try:
        wait_window(ctx, "keep_old", since if since is not None else ctx.clock.now(), seconds,
                    watch.describe, watch.check,
                    interval=ctx.run.health.interval_seconds)  # fmt: skip
    except StepFailed as regression:
        note(ctx, f"keep window: {regression}; swapping the live CNAME back to blue (old "
             "version, never changed)")  # fmt: skip
        put_cnames(ctx, swapped=False, what="keep-window swap-back")
        raise
    return Trigger.KEPT


class _KeepWatch(WindowWatch):
    """One look at green per slice of the window; raises StepFailed on a regression."""

    def __init__(self, ctx: StepContext, target: ProbeTarget) -> None:
        super().__init__(ctx, target, "green", current_green, "keep window", "keep window")

    def describe(self, elapsed: float, total: float) -> str:
        blue = self._ctx.run.target.blue
        return (
            f"keep old: {elapsed:.0f} s of {total:.0f} s with {blue} (old version) up to swap "
            f"back to, {self.probes} probes of the new live environment"
        )
