"""Baking: after the cutover, blue serves live traffic with the new version while green, still
on the old one, stays up. For the bake window blue is watched (HTTP probe of its own load
balancer, EB health, alarms); a regression swaps the CNAMEs back at once, so green takes the
traffic again, and fails the step (the rollback then puts blue back on its previous version).
"""

from __future__ import annotations

from engine.domain.errors import StepFailed
from engine.domain.model import Trigger
from engine.domain.step import StepContext
from states.shared.cnames import put_cnames
from states.shared.probing import ProbeTarget, probe_target
from states.shared.resources import current_blue, note, require
from states.shared.window_watch import WindowWatch
from states.shared.windows import wait_window


def run(ctx: StepContext) -> Trigger:
    seconds = ctx.run.guards.bake_seconds
    if seconds <= 0:
        return Trigger.BAKED
    since = ctx.run.facts.swapped_back_at
    cut_over_at = since if since is not None else ctx.clock.now()
    watch = _BakeWatch(ctx, probe_target(ctx, current_blue(ctx)))
    try:
        wait_window(ctx, "bake", cut_over_at, seconds, watch.describe, watch.check,
                    interval=ctx.run.health.interval_seconds)  # fmt: skip
    except StepFailed as regression:
        _back_to_green(ctx, regression)
        raise
    return Trigger.BAKED


class _BakeWatch(WindowWatch):
    """One look at blue per slice of the window; raises StepFailed on a regression."""

    def __init__(self, ctx: StepContext, target: ProbeTarget) -> None:
        super().__init__(ctx, target, "blue", current_blue, "bake window", "bake")
        self._alarms = len(ctx.run.guards.alarms)

    def describe(self, elapsed: float, total: float) -> str:
        return (
            f"bake: {_span(elapsed, total)} of {_span(total, total)}, "
            f"{self._alarms} alarm{'s' if self._alarms != 1 else ''} watched (none in ALARM), "
            f"{self.probes} probes"
        )


def _span(seconds: float, scale: float) -> str:
    return f"{seconds / 60:.0f} min" if scale >= 120 else f"{seconds:.0f} s"


def _back_to_green(ctx: StepContext, regression: StepFailed) -> None:
    """Green still runs the previous version: give it the live CNAME again, now."""
    require(ctx.run.facts.green_env_id, "green environment id")
    note(ctx, f"bake: {regression}; swapping the live CNAME back to green")
    put_cnames(ctx, swapped=True, what="bake swap-back")
