"""Preflight's look at what else is happening to blue: an operation that is not this run's (a
console change, `eb deploy`, a managed update) and managed actions (EB guide, "Managed
platform updates": they run in a weekly maintenance window, always as immutable updates).

Blue busy is waited for up to `Guards.wait_for_blue_seconds` (beanstalk-deploy#66 asks for a
bounded wait), then refused; a managed action running, or scheduled to start within the
release's expected duration, is refused. Refusals are ConfigurationError (exit 2) and come
before any mutating call.
"""

from __future__ import annotations

from datetime import timedelta

from engine.domain.errors import ConfigurationError, DeadlineExceeded
from engine.domain.ports.cloud import Environment, ManagedAction
from engine.domain.ports.runtime import Snapshot
from engine.domain.step import StepContext
from states.shared.conditions import present
from states.shared.resources import note

RUNNING = ("Running", "Pending")


def wait_for_blue(ctx: StepContext, blue: Environment) -> Environment:
    """Blue Ready with no managed action running, waited for within the bound."""
    running = _running(ctx, blue)
    if blue.is_ready and not running:
        return blue
    busy = _busy_text(blue, running)
    seconds = ctx.run.guards.wait_for_blue_seconds
    if seconds <= 0:
        raise ConfigurationError(
            f"blue {blue.name} is busy ({busy}), in an operation that is not this run's; "
            "nothing was changed (--wait-for-blue SECONDS waits for it)"
        )
    note(ctx, f"blue {blue.name} is busy ({busy}): waiting up to {seconds:.0f} s for it",
         environment=blue.id)  # fmt: skip

    def condition(snapshot: Snapshot) -> bool:
        env = present("blue", blue.id, snapshot)
        return env.is_ready and not _running(ctx, env)

    try:
        snapshot = ctx.waiter.wait_for(
            f"blue {blue.name} free of an operation not this run's",
            ctx.run.target.app,
            [blue.id],
            condition,
            seconds,
        )
    except DeadlineExceeded:
        raise ConfigurationError(
            f"blue {blue.name} was still busy ({busy}) after {seconds:.0f} s; nothing was changed"
        ) from None
    return present("blue", blue.id, snapshot)


def check_managed_actions(ctx: StepContext, blue: Environment) -> None:
    """Refuse a managed action scheduled inside the release's expected duration."""
    horizon = ctx.clock.now() + timedelta(seconds=expected_seconds(ctx))
    for action in ctx.beanstalk.managed_actions(blue.id):
        if action.status != "Scheduled":
            continue
        when = action.window_start.isoformat() if action.window_start else "an unknown time"
        if action.window_start is None or action.window_start <= horizon:
            raise ConfigurationError(
                f"blue {blue.name} has a managed action {action.action_type} ({action.id}) "
                f"scheduled at {when}, within this release's expected "
                f"{expected_seconds(ctx) / 60:.0f} min; apply or postpone it first. Nothing "
                "was changed"
            )
        note(ctx, f"blue {blue.name} has a managed action {action.action_type} scheduled at "
             f"{when}, after this release", environment=blue.id)  # fmt: skip


def expected_seconds(ctx: StepContext) -> float:
    """How long a release may take: the launch, a deployment, two DNS settles, the bake and
    the warm-up, at their deadlines (the longest it can run before a step gives up)."""
    deadlines, guards = ctx.deadlines, ctx.run.guards
    return (
        deadlines.launch
        + deadlines.update
        + 2 * guards.dns_settle_seconds
        + guards.bake_seconds
        + (guards.warm_up_seconds if guards.warm_up else 0.0)
    )


def _running(ctx: StepContext, blue: Environment) -> list[ManagedAction]:
    return [a for a in ctx.beanstalk.managed_actions(blue.id) if a.status in RUNNING]


def _busy_text(blue: Environment, running: list[ManagedAction]) -> str:
    status = blue.status if blue.is_ready else f"{blue.status}, not Ready"
    if running:
        return f"{status}, managed action {running[0].action_type} {running[0].status}"
    return status
