"""Putting the live CNAME where a step wants it: on green (swapped) or back on blue.

SwapEnvironmentCNAMEs is called only when both environments are Ready and hold the CNAMEs the
other way round, and no swap asked for moments ago may still be about to show
(`states.shared.pending_swap`), so a step re-run after a crash never swaps twice.
"""

from __future__ import annotations

from engine.domain.errors import StepFailed
from engine.domain.ports.cloud import Environment
from engine.domain.ports.runtime import Snapshot
from engine.domain.step import StepContext
from states.shared.conditions import cnames_in_place, health_text, present, ready
from states.shared.pending_swap import request_swap, settle_recent_swap
from states.shared.resources import note, require
from states.shared.settle import record_moved


def put_cnames(ctx: StepContext, *, swapped: bool, what: str) -> None:
    """Make green hold blue's original CNAME (`swapped`) or blue hold it again, then wait
    until both are Ready with the CNAMEs really moved; record when they were seen moved."""
    facts = ctx.run.facts
    blue_id = require(facts.blue_env_id, "blue environment id")
    green_id = require(facts.green_env_id, "green environment id")
    live = require(facts.blue_cname, "blue CNAME")
    spare = require(facts.green_cname, "green CNAME")
    roles = {blue_id: "blue", green_id: "green"}
    wanted = {blue_id: spare, green_id: live} if swapped else {blue_id: live, green_id: spare}
    app, ids = ctx.run.target.app, list(roles)
    snapshot = ctx.waiter.wait_for(
        f"blue and green Ready for the {what}", app, ids, ready(roles), ctx.deadlines.swap
    )
    snapshot = settle_recent_swap(ctx, roles, snapshot)
    swapping = _holding(roles, snapshot) != wanted
    if swapping:
        _swap(ctx, roles, snapshot, wanted, what)
    else:
        note(ctx, f"{what}: the CNAMEs are already where they belong; not swapping")
    ctx.waiter.wait_for(
        f"{what}: CNAMEs moved", app, ids, cnames_in_place(roles, wanted), ctx.deadlines.swap
    )
    record_moved(ctx, swapped=swapped, swapped_now=swapping)


def _holding(roles: dict[str, str], snapshot: Snapshot) -> dict[str, str | None]:
    return {env_id: present(role, env_id, snapshot).cname for env_id, role in roles.items()}


def _swap(
    ctx: StepContext,
    roles: dict[str, str],
    snapshot: Snapshot,
    wanted: dict[str, str],
    what: str,
) -> None:
    blue_id, green_id = list(roles)
    holding = _holding(roles, snapshot)
    if holding != {blue_id: wanted[green_id], green_id: wanted[blue_id]}:
        raise StepFailed(
            f"cannot do the {what}: blue holds {holding[blue_id]}, green holds "
            f"{holding[green_id]}, neither the original nor the swapped CNAMEs"
        )
    live = require(ctx.run.facts.blue_cname, "blue CNAME")
    incoming = next(i for i in roles if wanted[i] == live)
    _refuse_unhealthy(roles[incoming], present(roles[incoming], incoming, snapshot), what)
    request_swap(ctx, roles, roles[incoming])
    note(ctx, f"{what}: swapping CNAMEs of blue and green", blue=blue_id, green=green_id)


def _refuse_unhealthy(role: str, env: Environment, what: str) -> None:
    """Live traffic is never moved onto an environment that is not healthy."""
    if not env.is_healthy:
        raise StepFailed(
            f"cannot do the {what}: {role} {env.name} would take the live CNAME "
            f"but its health is {health_text(env)}"
        )
