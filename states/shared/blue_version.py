"""Putting blue on a version: deploy only when it runs another one, then wait until it is Ready,
runs that version and is healthy. Shared by deploying (new version) and rolling back (previous).
"""

from __future__ import annotations

from engine.domain.errors import StepFailed
from engine.domain.ports.cloud import Environment
from engine.domain.ports.runtime import Condition, Snapshot
from engine.domain.step import StepContext
from states.shared.conditions import Grace, Started, present, ready, ready_and_healthy
from states.shared.outcome_unknown import request
from states.shared.resources import current_blue, note


def put_blue_on(ctx: StepContext, label: str, what: str) -> Environment:
    """Blue Ready on `label` and healthy; one UpdateEnvironment at most, and none when an
    earlier attempt's deployment already got it there."""
    blue = current_blue(ctx)
    if not blue.is_ready:  # e.g. a deployment from an earlier attempt still under way
        blue = wait_until_ready(ctx, blue, f"blue Ready before the {what}")
    condition = ready_and_healthy("blue", blue.id, ctx.clock, ctx.deadlines.health_grace)
    if blue.version_label != label:
        request(
            ctx,
            f"UpdateEnvironment {blue.name} to {label}",
            lambda: ctx.beanstalk.deploy_version(blue.id, label),
            lambda: deploy_seen(ctx, blue, label),
        )
        note(ctx, f"{what}: deploying {label} to blue", environment=blue.id, version=label)
        condition = deployed(ctx, blue, label)
    else:
        note(ctx, f"{what}: blue runs {label} already; not deploying", environment=blue.id)
    snapshot = ctx.waiter.wait_for(
        f"{what}: blue Ready on {label} and healthy",
        ctx.run.target.app,
        [blue.id],
        _on_version(blue.id, label, condition),
        ctx.deadlines.update,
    )
    return present("blue", blue.id, snapshot)


def deploy_seen(ctx: StepContext, before: Environment, label: str) -> bool:
    """After a failed UpdateEnvironment: blue runs `label`, or EB is updating it (or touched it
    since we last looked). A second deploy of the same label would be refused while the first
    runs, and harmless after it, so no visibility window is waited for here."""
    blue = current_blue(ctx)
    touched = (
        before.date_updated is not None
        and blue.date_updated is not None
        and blue.date_updated > before.date_updated
    )
    return blue.version_label == label or not blue.is_ready or touched


def wait_until_ready(ctx: StepContext, env: Environment, what: str) -> Environment:
    snapshot = ctx.waiter.wait_for(
        what, ctx.run.target.app, [env.id], ready({env.id: "blue"}), ctx.deadlines.update
    )
    return present("blue", env.id, snapshot)


def deployed(ctx: StepContext, before: Environment, label: str) -> Condition:
    """After our UpdateEnvironment: Ready on `label` and healthy. Ready on another version
    once the deployment has visibly started means EB failed it and kept the old one."""
    started = Started(before.date_updated)
    watch = Grace(ctx.clock, ctx.deadlines.health_grace)

    def condition(snapshot: Snapshot) -> bool:
        env = present("blue", before.id, snapshot)
        has_started = started.seen(env)
        watch.check("blue", env)
        if env.version_label == label:
            return env.is_ready and env.is_healthy
        if has_started and env.is_ready:
            raise StepFailed(
                f"deploy failed: blue {env.name} is Ready on version {env.version_label}, "
                f"not {label} (EB could not deploy it)"
            )
        return False

    return condition


def _on_version(env_id: str, label: str, healthy: Condition) -> Condition:
    def condition(snapshot: Snapshot) -> bool:
        env = present("blue", env_id, snapshot)
        return healthy(snapshot) and env.version_label == label

    return condition
