"""Removing what a run created: its green (terminated, waited for) and its template.

Shared by cleaning up and rolling back; each part is done only when still needed, and only to
resources that carry this run's id (recorded green id, run tag, run's template name).
"""

from __future__ import annotations

from collections.abc import Callable

from engine.domain.errors import NotFoundError, StepFailed
from engine.domain.ports.cloud import Environment
from engine.domain.ports.runtime import Condition, Snapshot
from engine.domain.step import StepContext
from states.shared.conditions import Started, present, ready
from states.shared.outcome_unknown import request
from states.shared.resources import (
    describe_by_id,
    find_own_green,
    note,
    require,
    template_name,
)

TERMINATE_ATTEMPTS = 2


class TerminateFailed(StepFailed):
    """Green came back to Ready after a TerminateEnvironment: EB could not delete it."""


Find = Callable[[StepContext], Environment | None]


def remove_green(ctx: StepContext) -> None:
    """Terminate this run's green if it still lives; wait until it is Terminated. A terminate
    that fails is tried once more before giving up."""
    _remove(ctx, "green", find_own_green)


def remove_old_blue(ctx: StepContext) -> None:
    """swap-and-keep: terminate the old environment (this run's blue) once green holds the
    live CNAME; never while it holds it."""
    blue_id = require(ctx.run.facts.blue_env_id, "blue environment id")
    _remove(ctx, "the old environment", lambda c: describe_by_id(c, blue_id))


def _remove(ctx: StepContext, role: str, find: Find) -> None:
    for attempt in range(1, TERMINATE_ATTEMPTS + 1):
        try:
            _terminate_and_wait(ctx, role, find)
            return
        except TerminateFailed as failure:
            if attempt == TERMINATE_ATTEMPTS:
                raise StepFailed(f"{failure}; gave up after {attempt} attempts") from failure
            note(ctx, f"{failure}; trying again")


def remove_template(ctx: StepContext) -> None:
    app = ctx.run.target.app
    name = ctx.run.facts.template_name or template_name(ctx.run)
    if not ctx.beanstalk.template_exists(app, name):
        return
    request(  # NotFound: deleted meanwhile (or by a retry of a lost response): what we want
        ctx,
        f"DeleteConfigurationTemplate {name}",
        lambda: ctx.beanstalk.delete_template(app, name),
        lambda: not ctx.beanstalk.template_exists(app, name),
        also_unknown=(NotFoundError,),
    )
    note(ctx, f"deleted configuration template {name}", template=name)


def _terminate_and_wait(ctx: StepContext, role: str, find: Find) -> None:
    green = find(ctx)
    if green is None or green.is_terminated:
        return
    if green.status != "Terminating":
        green = _ready_to_terminate(ctx, green, role)
        if green.cname and green.cname == ctx.run.facts.blue_cname:
            raise StepFailed(f"{role} {green.name} holds the live CNAME; it is not terminated")
        _request_terminate(ctx, green, role, find)
        note(ctx, f"terminating {role} {green.name}", environment=green.id)
    ctx.waiter.wait_for(
        f"{role} {green.name} Terminated",
        ctx.run.target.app,
        [green.id],
        _terminated(green, role),
        ctx.deadlines.terminate,
    )


def _request_terminate(ctx: StepContext, green: Environment, role: str, find: Find) -> None:
    """TerminateEnvironment; a lost response (its retry refused as "invalid state", or "not
    found" once it is Terminated) is settled by looking at green."""

    def took_effect() -> bool:
        now = find(ctx)
        return now is None or now.status in ("Terminating", "Terminated")

    request(
        ctx,
        f"TerminateEnvironment {green.name}",
        lambda: ctx.beanstalk.terminate_environment(green.id),
        took_effect,
        also_unknown=(NotFoundError,),
    )


def _ready_to_terminate(ctx: StepContext, green: Environment, role: str) -> Environment:
    """EB terminates only a Ready environment: let a launch or swap under way finish first."""
    if green.is_ready:
        return green
    snapshot = ctx.waiter.wait_for(
        f"{role} {green.name} Ready to be terminated",
        ctx.run.target.app,
        [green.id],
        ready({green.id: role}),
        ctx.deadlines.launch,
    )
    return present(role, green.id, snapshot)


def _terminated(before: Environment, role: str) -> Condition:
    started = Started(before.date_updated)

    def condition(snapshot: Snapshot) -> bool:
        env = snapshot.get(before.id)
        if env is None or env.is_terminated:
            return True
        if started.seen(env) and env.is_ready:
            raise TerminateFailed(f"terminating {role} {env.name} failed: it is Ready again")
        return False

    return condition
