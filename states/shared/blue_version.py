"""Putting blue on a version: deploy only when it runs another one, then wait until it is Ready,
runs that version and is healthy. Shared by deploying (new version) and rolling back (previous);
`put_on` does the same to green for swap-and-keep adopting a kept environment.
"""

from __future__ import annotations

from collections.abc import Callable

from engine.domain.errors import StepFailed
from engine.domain.ports.cloud import Environment
from engine.domain.ports.runtime import Condition, Snapshot
from engine.domain.step import StepContext
from states.shared.conditions import Grace, Started, present, ready, ready_and_healthy
from states.shared.outcome_unknown import request
from states.shared.resources import current_blue, note

Current = Callable[[StepContext], Environment]


def put_blue_on(ctx: StepContext, label: str, what: str) -> Environment:
    """Blue Ready on `label` and healthy; one UpdateEnvironment at most, and none when an
    earlier attempt's deployment already got it there."""
    return put_on(ctx, "blue", current_blue, label, what)


def put_on(ctx: StepContext, role: str, current: Current, label: str, what: str) -> Environment:
    """`role` (as `current` finds it now) Ready on `label` and healthy, as put_blue_on."""
    env = current(ctx)
    if not env.is_ready:  # e.g. a deployment from an earlier attempt still under way
        env = wait_until_ready(ctx, env, f"{role} Ready before the {what}", role)
    condition = ready_and_healthy(role, env.id, ctx.clock, ctx.deadlines.health_grace)
    if env.version_label != label:
        request(
            ctx,
            f"UpdateEnvironment {env.name} to {label}",
            lambda: ctx.beanstalk.deploy_version(env.id, label),
            lambda: deploy_seen(ctx, env, label, current),
        )
        note(ctx, f"{what}: deploying {label} to {role}", environment=env.id, version=label)
        condition = deployed(ctx, env, label, role)
    else:
        note(ctx, f"{what}: {role} runs {label} already; not deploying", environment=env.id)
    snapshot = ctx.waiter.wait_for(
        f"{what}: {role} Ready on {label} and healthy",
        ctx.run.target.app,
        [env.id],
        _on_version(env.id, label, condition, role),
        ctx.deadlines.update,
    )
    return present(role, env.id, snapshot)


def deploy_seen(
    ctx: StepContext, before: Environment, label: str, current: Current = current_blue
) -> bool:
    """After a failed UpdateEnvironment: the environment (blue unless `current` says) runs
    `label`, or EB is updating it (or touched it since we last looked). A second deploy of the
    same label would be refused while the first runs, and harmless after it, so no visibility
    window is waited for here."""
    now = current(ctx)
    touched = (
        before.date_updated is not None
        and now.date_updated is not None
        and now.date_updated > before.date_updated
    )
    return now.version_label == label or not now.is_ready or touched


def wait_until_ready(
    ctx: StepContext, env: Environment, what: str, role: str = "blue"
) -> Environment:
    snapshot = ctx.waiter.wait_for(
        what, ctx.run.target.app, [env.id], ready({env.id: role}), ctx.deadlines.update
    )
    return present(role, env.id, snapshot)


def deployed(ctx: StepContext, before: Environment, label: str, role: str = "blue") -> Condition:
    """After our UpdateEnvironment: Ready on `label` and healthy. Ready on another version
    once the deployment has visibly started means EB failed it and kept the old one."""
    started = Started(before.date_updated)
    watch = Grace(ctx.clock, ctx.deadlines.health_grace)

    def condition(snapshot: Snapshot) -> bool:
        env = present(role, before.id, snapshot)
        has_started = started.seen(env)
        watch.check(role, env)
        if env.version_label == label:
            return env.is_ready and env.is_healthy
        if has_started and env.is_ready:
            raise StepFailed(
                f"deploy failed: {role} {env.name} is Ready on version {env.version_label}, "
                f"not {label} (EB could not deploy it)"
            )
        return False

    return condition


def _on_version(env_id: str, label: str, healthy: Condition, role: str) -> Condition:
    def condition(snapshot: Snapshot) -> bool:
        env = present(role, env_id, snapshot)
        return healthy(snapshot) and env.version_label == label

    return condition
