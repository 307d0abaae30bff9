"""A swap whose outcome is unknown, or that was asked for just before a crash: EB may take a
moment to show it, and swapping again would undo it. Within the visibility window after the
recorded request, a swap not visible yet is waited for; only after it is it taken as not done.
"""

from __future__ import annotations

from engine.domain.errors import DeadlineExceeded
from engine.domain.ports.runtime import Condition, Snapshot
from engine.domain.step import StepContext
from states.shared.conditions import present, ready
from states.shared.outcome_unknown import request, seconds_since
from states.shared.resources import note, require

SWAP_INTENT = "SwapEnvironmentCNAMEs: live CNAME to "


def request_swap(ctx: StepContext, roles: dict[str, str], incoming: str) -> None:
    """SwapEnvironmentCNAMEs so that `incoming` (a role: blue or green) takes the live CNAME;
    an error of unknown outcome is settled from what EB shows (see module docstring)."""
    blue_id, green_id = list(roles)
    request(
        ctx,
        SWAP_INTENT + incoming,
        lambda: ctx.beanstalk.swap_cnames(blue_id, green_id),
        lambda: _took_effect(ctx, roles, incoming),
    )


def settle_recent_swap(ctx: StepContext, roles: dict[str, str], snapshot: Snapshot) -> Snapshot:
    """`snapshot`, or a later one: when the run's last request was a swap made less than the
    visibility window ago and its effect is not visible, wait (up to the window) for it."""
    recent = seconds_since(ctx, SWAP_INTENT)
    if recent is None:
        return snapshot
    intent, age = recent
    incoming = intent.removeprefix(SWAP_INTENT)
    remaining = ctx.deadlines.visibility - max(age, 0.0)
    if remaining <= 0 or live_on(ctx, roles, snapshot) == incoming:
        return snapshot
    note(
        ctx,
        f"a swap (live CNAME to {incoming}) was asked for {max(age, 0.0):.1f} s ago and is not "
        f"visible yet: waiting up to {remaining:.1f} s for it instead of swapping again",
    )
    app, ids = ctx.run.target.app, list(roles)
    try:
        return ctx.waiter.wait_for(
            f"the swap to {incoming} to show", app, ids, _shows(ctx, roles, incoming), remaining
        )
    except DeadlineExceeded:
        note(ctx, f"the swap to {incoming} did not show within the window: it did not happen")
        return _all_ready(ctx, roles)


def live_on(ctx: StepContext, roles: dict[str, str], snapshot: Snapshot) -> str | None:
    """The role (blue or green) whose environment holds the live CNAME in `snapshot`."""
    live = require(ctx.run.facts.blue_cname, "blue CNAME")
    for env_id, role in roles.items():
        env = snapshot.get(env_id)
        if env is not None and env.cname == live:
            return role
    return None


def _took_effect(ctx: StepContext, roles: dict[str, str], incoming: str) -> bool:
    """After a failed swap call: let whatever is under way finish, wait out the window, then
    see whether the live CNAME moved."""
    snapshot = settle_recent_swap(ctx, roles, _all_ready(ctx, roles))
    return live_on(ctx, roles, snapshot) == incoming


def _all_ready(ctx: StepContext, roles: dict[str, str]) -> Snapshot:
    return ctx.waiter.wait_for(
        "blue and green Ready", ctx.run.target.app, list(roles), ready(roles), ctx.deadlines.swap
    )


def _shows(ctx: StepContext, roles: dict[str, str], incoming: str) -> Condition:
    def condition(snapshot: Snapshot) -> bool:
        envs = [present(role, env_id, snapshot) for env_id, role in roles.items()]
        return all(env.is_ready for env in envs) and live_on(ctx, roles, snapshot) == incoming

    return condition
