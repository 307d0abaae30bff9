"""Deployments batch by batch, as `aws:elasticbeanstalk:command` says: DeploymentPolicy
(AllAtOnce, Rolling, RollingWithAdditionalBatch, Immutable; TrafficSplitting is played as
Immutable), BatchSizeType (Percentage | Fixed) and BatchSize (defaults AllAtOnce, Percentage,
100: EB guide, "General options for all environments", aws:elasticbeanstalk:command).

What each policy does to the instances follows the EB guide, "Deploying applications to
Elastic Beanstalk environments" (deployment policies and settings):
- AllAtOnce: every instance at once (out of service together: a short outage).
- Rolling: one batch at a time out of service, deployed, back in; the rest serve meanwhile.
- RollingWithAdditionalBatch: a batch of new instances on the new version first, then the
  rolling batches, then the extra batch terminated: full capacity throughout.
- Immutable: one new instance on the new version, then the rest of a new set, then the old
  instances terminated (managed platform updates are always immutable, EB guide, "Managed
  platform updates").
Each batch lasts `Durations.update` (plus the version's start-up time); new instances take
`Durations.instance_launch` more. A failed deployment fails its first batch: those instances
are left Failed on the old version, the rest untouched (Rolling stops at a failed batch).
`FleetFaults.leave_behind` makes a deployment end "successfully" with instances left on the
old version or Failed, while the environment turns Ready with the new label.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from simulator.eb.fleet import (
    DEPLOYED,
    FAILED,
    IN_PROGRESS,
    Apply,
    Instance,
    Step,
    new_instance,
)

if TYPE_CHECKING:
    from simulator.eb.models import Environment, Operation
    from simulator.eb.state import Context

COMMAND = "aws:elasticbeanstalk:command"
POLICIES = ("AllAtOnce", "Rolling", "RollingWithAdditionalBatch", "Immutable", "TrafficSplitting")


def option(env: Environment, name: str, default: str) -> str:
    found = [o for o in env.options if (o.get("Namespace"), o.get("OptionName")) == (COMMAND, name)]
    return found[-1].get("Value") or default if found else default


def batch_size(env: Environment, count: int) -> int:
    """Instances per batch: a percentage of the group (at least one) or a fixed number."""
    if option(env, "DeploymentPolicy", "AllAtOnce") == "AllAtOnce":
        return max(1, count)
    kind, raw = option(env, "BatchSizeType", "Percentage"), option(env, "BatchSize", "100")
    try:
        size = float(raw)
    except ValueError:
        size = 100.0
    wanted = math.ceil(count * size / 100) if kind == "Percentage" else int(size)
    return max(1, min(max(1, count), wanted))


def start(ctx: Context, env: Environment, op: Operation, label: str | None, extra: float) -> None:
    """Plan the deployment of `label` (the op's version) and set when the operation ends."""
    policy = "Immutable" if op.managed_action else option(env, "DeploymentPolicy", "AllAtOnce")
    batch = ctx.timing.of("update") + ctx.timing.scaled(extra)
    launch = ctx.timing.of("instance_launch")
    fleet = env.fleet
    fleet.deployment_id += 1
    olds = list(fleet.instances)
    size = batch_size(env, len(olds))
    if op.fail:
        fleet.steps = _rolling(env, olds[:size], size, label, ctx.now, batch)[:1]
        op.ends = None if op.ends is None else ctx.now + batch
        return
    if policy in ("Immutable", "TrafficSplitting"):
        steps, ends = _immutable(env, olds, label, ctx.now, launch + batch)
    elif policy == "RollingWithAdditionalBatch":
        steps, ends = _additional_batch(env, olds, size, label, ctx.now, launch + batch, batch)
    else:
        steps = _rolling(env, olds, size, label, ctx.now, batch)
        ends = ctx.now + batch * max(1, math.ceil(len(olds) / size))
    if policy == "TrafficSplitting" and op.ends is not None:
        # simulator.eb.traffic_split times the operation (its evaluation window): the new
        # instances come and the old go within it
        steps = [Step(min(step.at, op.ends), step.apply) for step in steps]
    elif op.ends is not None:  # a stuck operation stays stuck; its steps wait for the release
        op.ends = ends
    fleet.steps = sorted(steps, key=lambda step: step.at)


def _rolling(
    env: Environment,
    olds: list[Instance],
    size: int,
    label: str | None,
    now: datetime,
    batch: timedelta,
) -> list[Step]:
    steps: list[Step] = []
    for number, first in enumerate(range(0, len(olds), size)):
        group, at = olds[first : first + size], now + batch * number
        steps.append(Step(at, _take_out(group)))
        steps.append(Step(at + batch, _put_on(env, group, label)))
    return steps


def _take_out(group: list[Instance]) -> Apply:
    def apply(now: datetime) -> None:
        for instance in group:
            instance.busy_since, instance.deployment = now, IN_PROGRESS

    return apply


def _put_on(env: Environment, group: list[Instance], label: str | None) -> Apply:
    def apply(now: datetime) -> None:
        for instance in group:
            instance.version, instance.deployment = label, DEPLOYED
            instance.deployment_id, instance.deployed_at = env.fleet.deployment_id, now
            instance.busy_since = None

    return apply


def _immutable(
    env: Environment, olds: list[Instance], label: str | None, now: datetime, wave: timedelta
) -> tuple[list[Step], datetime]:
    rest = max(0, len(olds) - 1)
    steps = [Step(now, _add(env, 1, label, now + wave))]
    ends = now + wave
    if rest:
        steps.append(Step(now + wave, _add(env, rest, label, now + 2 * wave)))
        ends = now + 2 * wave
    steps.append(Step(ends, _remove(env, olds)))
    return steps, ends


def _additional_batch(
    env: Environment,
    olds: list[Instance],
    size: int,
    label: str | None,
    now: datetime,
    wave: timedelta,
    batch: timedelta,
) -> tuple[list[Step], datetime]:
    steps = [Step(now, _add(env, size, label, now + wave))]
    steps += _rolling(env, olds, size, label, now + wave, batch)
    ends = now + wave + batch * max(1, math.ceil(len(olds) / size))
    steps.append(Step(ends, _remove(env, olds[:size])))
    return steps, ends


def _add(env: Environment, count: int, label: str | None, ready: datetime) -> Apply:
    def apply(now: datetime) -> None:
        for _ in range(count):
            new_instance(
                env.fleet, env.id, now, ready, label
            ).deployment_id = env.fleet.deployment_id

    return apply


def _remove(env: Environment, group: list[Instance]) -> Apply:
    def apply(now: datetime) -> None:
        env.fleet.instances = [each for each in env.fleet.instances if each not in group]

    return apply


def finish(ctx: Context, env: Environment, op: Operation, label: str | None) -> None:
    """The operation's time is up: the rest of its steps happen now; then a fault may leave
    instances behind (the deployment still reads as a success)."""
    fleet = env.fleet
    for step in fleet.steps:
        step.apply(ctx.now)
    fleet.steps.clear()
    left = ctx.faults.fleet.take_left_behind(env.name)
    if left is None or label == op.previous:
        return
    for instance in [each for each in fleet.instances if each.version == label][: left.count]:
        instance.version, instance.deployment_id = op.previous, fleet.deployment_id - 1
        instance.deployment = FAILED if left.failed else DEPLOYED


def failed(ctx: Context, env: Environment) -> None:
    """A failed deployment: the batch under way is left Failed on the version it ran."""
    for instance in env.fleet.instances:
        if instance.deployment == IN_PROGRESS:
            instance.deployment, instance.busy_since = FAILED, None
    env.fleet.steps.clear()


def undone(env: Environment, label: str | None) -> None:
    """An aborted update or a recovery: every instance back on `label`, deployed and serving."""
    for instance in env.fleet.instances:
        instance.version, instance.deployment, instance.busy_since = label, DEPLOYED, None
    env.fleet.steps.clear()
