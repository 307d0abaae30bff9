"""DNS settle times: a CNAME swap reaches clients late, so the environment the live name just
left keeps serving until every cached answer has expired. The times count from the recorded
moment each swap was seen done (`Facts.swapped_at` / `swapped_back_at`).
"""

from __future__ import annotations

from datetime import datetime

from engine.domain.model import Facts
from engine.domain.step import StepContext
from states.shared.resources import note
from states.shared.windows import wait_window


def record_moved(ctx: StepContext, *, swapped: bool, swapped_now: bool) -> None:
    """Record when the live CNAME was seen on green (`swapped`) or back on blue. A swap done
    just now is always recorded; one found already done (a re-run after a crash) only when
    this move was never recorded, so a resumed wait keeps its original start."""
    if swapped_now or not _recorded(ctx.run.facts, swapped):
        name = "swapped_at" if swapped else "swapped_back_at"
        ctx.journal.record_facts(**{name: ctx.clock.now()})


def _recorded(facts: Facts, swapped: bool) -> bool:
    """Whether the latest recorded move is this one. Nothing to record for a swap back when
    the run never swapped (the CNAMEs simply never left blue)."""
    to_green, to_blue = facts.swapped_at, facts.swapped_back_at
    if swapped:
        return to_green is not None and (to_blue is None or to_green > to_blue)
    return to_green is None or (to_blue is not None and to_blue > to_green)


def settle_after(ctx: StepContext, since: datetime | None, why: str) -> None:
    """Wait until the DNS settle time has passed since `since` (nothing to wait when the run
    never made that move)."""
    seconds = ctx.run.guards.dns_settle_seconds
    if since is None or seconds <= 0:
        return

    def describe(elapsed: float, total: float) -> str:
        left = max(total - elapsed, 0.0)
        if left <= 0:
            return f"DNS settle: done ({total:.0f} s since the swap); {why}"
        return f"DNS settle: {left:.0f} s left of {total:.0f} s before {why}"

    wait_window(ctx, "dns_settle", since, seconds, describe)


def settle_after_swap(ctx: StepContext, why: str) -> None:
    """Blue is not touched until the live CNAME's move to green has settled."""
    settle_after(ctx, ctx.run.facts.swapped_at, why)


def settle_after_swap_back(ctx: StepContext, why: str) -> None:
    """Green stays up until the live CNAME's move back to blue has settled."""
    facts = ctx.run.facts
    if facts.swapped_at is not None and facts.swapped_back_at is None:
        note(ctx, "DNS settle: the swap back was never recorded; waiting from now")
        record_moved(ctx, swapped=False, swapped_now=True)
    settle_after(ctx, facts.swapped_back_at, why)


def warn_if_no_settle(ctx: StepContext) -> None:
    if ctx.run.guards.dns_settle_seconds <= 0:
        note(
            ctx,
            "warning: DNS settle time is 0: clients whose resolvers cached the old answer "
            "reach an environment that is being changed or terminated",
        )
