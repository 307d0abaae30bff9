"""Capacity warm-up: before an environment takes the live CNAME, its Auto Scaling group is
raised to the in-service instance count of the one serving it now (within that one's MaxSize),
its MinSize pinned there (so it cannot scale in while the CNAMEs move), and waited for (that
many instances in service, healthy, deployed); afterwards its sizes go back to the saved
configuration's (this run's template, saved from blue).

A clone starts at the template's MinSize, not at blue's autoscaled size (issue 19: blue at 10
instances under load, green at 2, one swap). An environment that cannot reach the capacity
within `Guards.warm_up_seconds` fails the step: before the swap, so the rollback has no swap
to undo. Every decision is read from what exists (sizes and instances), so a re-run after a
crash or a lost response raises nothing twice.
"""

from __future__ import annotations

from engine.domain.errors import DeadlineExceeded, StepFailed
from engine.domain.model import EventSource
from engine.domain.ports.cloud import Environment, Instance, OptionKey
from engine.domain.ports.runtime import Snapshot
from engine.domain.step import StepContext
from states.shared.conditions import present, ready
from states.shared.outcome_unknown import request
from states.shared.resources import describe_by_id, is_gone, note

ASG = "aws:autoscaling:asg"
MIN_SIZE: OptionKey = (ASG, "MinSize")
MAX_SIZE: OptionKey = (ASG, "MaxSize")
DEFAULT_SIZES = {MIN_SIZE: "1", MAX_SIZE: "4"}  # EB's defaults (EB guide, aws:autoscaling:asg)


def serving(instances: list[Instance]) -> list[Instance]:
    """Instances that take requests: in service and not left broken by a deployment."""
    return [each for each in instances if each.in_service and each.deployment_status != "Failed"]


def size(settings: dict[OptionKey, str], key: OptionKey) -> int:
    try:
        return int(settings.get(key, DEFAULT_SIZES[key]))
    except ValueError:
        return int(DEFAULT_SIZES[key])


def warm_up(
    ctx: StepContext, incoming: tuple[str, str], outgoing: tuple[str, str], label: str
) -> None:
    """Give `incoming` (role, id) as many healthy instances on `label` as `outgoing` (role,
    id) has in service, before it takes the live CNAME."""
    (role, env_id), (source_role, source_id) = incoming, outgoing
    if not ctx.run.guards.warm_up:
        note(ctx, f"warm-up switched off: {role} takes the live CNAME at the size it has")
        return
    app = ctx.run.target.app
    env, source = _live(ctx, role, env_id), _live(ctx, source_role, source_id)
    source_count = len(serving(ctx.beanstalk.instances(source.id)))
    source_max = size(ctx.beanstalk.option_settings(app, environment_name=source.name), MAX_SIZE)
    target = min(source_count, source_max)
    instances = ctx.beanstalk.instances(env.id)
    have = [each for each in serving(instances) if each.version_label == label]
    _record(ctx, f"warm-up: {source_role} {source.name} serves with {source_count} in-service "
            f"instances (MaxSize {source_max}); {role} {env.name} has {len(have)} in service on "
            f"{label}; needs {target}", instances, env)  # fmt: skip
    pinned = size(ctx.beanstalk.option_settings(app, environment_name=env.name), MIN_SIZE)
    if len(have) >= target and pinned >= target:  # whether it is healthy: the swap's check
        return
    # MinSize pins the capacity through the swap: an environment that served nothing (blue
    # while deployed to) is otherwise free to scale in while the CNAMEs move.
    _raise_minimum(ctx, role, env, target)
    _wait_for(ctx, role, env, target, label)


def _live(ctx: StepContext, role: str, env_id: str) -> Environment:
    env = describe_by_id(ctx, env_id)
    if env is None or is_gone(env):
        raise StepFailed(f"{role} {env_id} is {env.status if env else 'gone'}")
    return env


def _healthy_on(instances: list[Instance], label: str) -> list[Instance]:
    return [each for each in instances if each.healthy and each.version_label == label]


def _raise_minimum(ctx: StepContext, role: str, env: Environment, target: int) -> None:
    app = ctx.run.target.app
    settings = ctx.beanstalk.option_settings(app, environment_name=env.name)
    if size(settings, MIN_SIZE) >= target:
        return
    wanted = {MIN_SIZE: str(target)}
    if size(settings, MAX_SIZE) < target:
        wanted[MAX_SIZE] = str(target)
    _ready(ctx, role, env.id, f"{role} Ready for the warm-up")
    request(
        ctx,
        f"UpdateEnvironment {env.name} MinSize={target}",
        lambda: ctx.beanstalk.update_options(env.id, wanted),
        lambda: _min_size(ctx, env) >= target,
    )
    note(ctx, f"warm-up: raised {role} {env.name}'s MinSize to {target}", environment=env.id)


def _min_size(ctx: StepContext, env: Environment) -> int:
    settings = ctx.beanstalk.option_settings(ctx.run.target.app, environment_name=env.name)
    return size(settings, MIN_SIZE)


def _wait_for(ctx: StepContext, role: str, env: Environment, target: int, label: str) -> None:
    seen: list[Instance] = []

    def condition(snapshot: Snapshot) -> bool:
        now = present(role, env.id, snapshot)
        seen[:] = ctx.beanstalk.instances(env.id)
        return now.is_ready and len(_healthy_on(seen, label)) >= target

    seconds = ctx.run.guards.warm_up_seconds
    what = f"warm-up: {role} {env.name} with {target} healthy in-service instances"
    try:
        ctx.waiter.wait_for(what, ctx.run.target.app, [env.id], condition, seconds)
    except DeadlineExceeded:
        _record(ctx, f"warm-up failed: {role} {env.name}'s instances", seen, env)
        raise StepFailed(
            f"warm-up: {role} {env.name} has {len(_healthy_on(seen, label))} of {target} "
            f"healthy in-service instances after {seconds:.0f} s; it does not take the live "
            "CNAME"
        ) from None
    _record(ctx, f"warm-up done: {role} {env.name} has {target} healthy instances", seen, env)


def _ready(ctx: StepContext, role: str, env_id: str, what: str) -> None:
    app, deadline = ctx.run.target.app, ctx.deadlines.update
    ctx.waiter.wait_for(what, app, [env_id], ready({env_id: role}), deadline)


def restore_sizes(ctx: StepContext, role: str, env_id: str | None) -> None:
    """The environment's MinSize and MaxSize back to the saved configuration's (this run's
    template, blue's configuration when the run cloned it); nothing when they are."""
    template = ctx.run.facts.template_name
    app = ctx.run.target.app
    env = describe_by_id(ctx, env_id) if env_id else None
    if (
        env is None
        or is_gone(env)
        or not template
        or not ctx.beanstalk.template_exists(app, template)
    ):
        return
    saved = ctx.beanstalk.option_settings(app, template_name=template)
    current = ctx.beanstalk.option_settings(app, environment_name=env.name)
    changes = {
        key: saved.get(key, DEFAULT_SIZES[key])
        for key in (MIN_SIZE, MAX_SIZE)
        if size(current, key) != size(saved, key)
    }
    if not changes:
        # Restored already; a re-run after a crash right after the restore was sent finds the
        # update still under way: the step ends only once it is done, as the first run's does.
        if not env.is_ready:
            _ready(ctx, role, env.id, f"{role} Ready with its saved sizes")
        return
    _ready(ctx, role, env.id, f"{role} Ready to restore its sizes")
    request(
        ctx,
        f"UpdateEnvironment {env.name} sizes back to {template}",
        lambda: ctx.beanstalk.update_options(env.id, changes),
        lambda: _sizes(ctx, env) == {k: size(saved, k) for k in (MIN_SIZE, MAX_SIZE)},
    )
    _ready(ctx, role, env.id, f"{role} Ready with its saved sizes")
    shown = ", ".join(f"{name}={value}" for (_, name), value in changes.items())
    note(ctx, f"capacity restored: {role} {env.name} back to {shown} (template {template})",
         environment=env.id)  # fmt: skip


def _sizes(ctx: StepContext, env: Environment) -> dict[OptionKey, int]:
    settings = ctx.beanstalk.option_settings(ctx.run.target.app, environment_name=env.name)
    return {key: size(settings, key) for key in (MIN_SIZE, MAX_SIZE)}


def _record(ctx: StepContext, message: str, instances: list[Instance], env: Environment) -> None:
    table = [each.row() for each in instances]
    ctx.journal.event(EventSource.ENGINE, message, environment=env.id, instances=table)
