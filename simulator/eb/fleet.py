"""Each environment's Auto Scaling group and its instances: sizes from `aws:autoscaling:asg`,
instances with ids, launch times, the version each runs and its deployment status, and the
load-driven scaling the clock performs.

Sizes: MinSize and MaxSize (defaults 1 and 4, EB guide, "General options for all
environments", aws:autoscaling:asg). The desired capacity is what the load needs
(`simulator.load`), within them. Raising MinSize launches instances at once (Auto Scaling keeps
the group at or above its minimum); the load needs one alarm period (`Durations.scale_out`)
above the capacity before the group scales out, and a cooldown (`Durations.scale_in`) below it
before it scales in. EB scales with CloudWatch alarms on the `aws:autoscaling:trigger` metric,
one increment per breach; the simulator steps straight to what the load needs (its choice,
kinder to a slow engine and simpler to reason about) and suspends load-driven scaling while a
deployment runs (stricter: no scale-out comes to the rescue of a thin batch).

A new instance is Pending ("Initialization in progress") for `Durations.instance_launch`, then
in service on the version the environment runs.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.eb.models import Environment
    from simulator.eb.state import Context

ASG = "aws:autoscaling:asg"
DEFAULT_MIN, DEFAULT_MAX = 1, 4
DEPLOYED, IN_PROGRESS, FAILED = "Deployed", "InProgress", "Failed"


@dataclass
class Instance:
    """One EC2 instance of an environment."""

    id: str
    launched_at: datetime
    in_service_at: datetime  # Pending (initialising) until then
    version: str | None
    deployment_id: int
    deployed_at: datetime
    deployment: str = DEPLOYED  # Deployed | InProgress | Failed
    busy_since: datetime | None = None  # in a deployment batch: out of service meanwhile

    def in_service(self, now: datetime) -> bool:
        return self.in_service_at <= now

    def serving(self, now: datetime) -> bool:
        """Behind the load balancer and answering: in service, not being deployed to, and not
        left broken by a failed deployment."""
        return self.in_service(now) and self.busy_since is None and self.deployment != FAILED


Apply = Callable[[datetime], None]


@dataclass(frozen=True)
class Step:
    """One moment of a deployment: at `at`, `apply(now)` moves some instances."""

    at: datetime
    apply: Apply


@dataclass
class Fleet:
    """The Auto Scaling group of one environment."""

    instances: list[Instance] = field(default_factory=list)
    deployment_id: int = 0  # the last deployment's number (DeploymentId)
    steps: list[Step] = field(default_factory=list)  # the deployment under way, in time order
    scale_out_at: datetime | None = None
    scale_in_at: datetime | None = None
    launches: int = 0  # instances ever launched (the first has a stable id)
    load: float = 0.0  # requests per second reaching the environment now
    shed: float = 0.0  # the share of them answered 503

    def serving(self, now: datetime) -> list[Instance]:
        return [each for each in self.instances if each.serving(now)]


def first_instance_id(env_id: str) -> str:
    """The id of an environment's first instance: stable, derived from the environment's."""
    return "i-0" + hashlib.sha256(env_id.encode()).hexdigest()[:16]


def new_instance(
    fleet: Fleet, env_id: str, now: datetime, ready: datetime, version: str | None
) -> Instance:
    instance_id = first_instance_id(env_id) if not fleet.launches else _random_id()
    fleet.launches += 1
    instance = Instance(instance_id, now, ready, version, fleet.deployment_id, ready)
    fleet.instances.append(instance)
    return instance


def _random_id() -> str:
    return "i-0" + secrets.token_hex(8)


def limits(env: Environment) -> tuple[int, int]:
    """(MinSize, MaxSize) of the environment's options, EB's defaults when unset."""
    values = {o.get("OptionName"): o.get("Value") for o in env.options if o.get("Namespace") == ASG}
    low, high = _int(values.get("MinSize"), DEFAULT_MIN), _int(values.get("MaxSize"), DEFAULT_MAX)
    return low, max(low, high)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def launched(ctx: Context, env: Environment, version: str | None, failed: bool) -> None:
    """The launch completed: the group starts at what its size and the load ask for."""
    fleet = env.fleet
    fleet.deployment_id += 1
    low, high = limits(env)
    count = max(low, min(high, ctx.load.needed(ctx.load.of(env.cname))))
    for _ in range(max(1, count)):
        instance = new_instance(fleet, env.id, ctx.now, ctx.now, version)
        instance.deployment = FAILED if failed else DEPLOYED


def terminated(env: Environment) -> None:
    env.fleet.instances.clear()
    env.fleet.steps.clear()


def advance(ctx: Context, env: Environment) -> None:
    """One tick: the deployment's due steps, auto scaling, and the load each one serves."""
    fleet = env.fleet
    while fleet.steps and fleet.steps[0].at <= ctx.now:
        fleet.steps.pop(0).apply(ctx.now)
    fleet.load = ctx.load.of(env.cname) if env.live else 0.0
    if env.status in ("Ready", "Updating") and not fleet.steps and fleet.instances:
        _scale(ctx, env)
    fleet.shed = ctx.load.shed(fleet.load, len(fleet.serving(ctx.now)))
    env.server.shed = fleet.shed


def _scale(ctx: Context, env: Environment) -> None:
    fleet, now = env.fleet, ctx.now
    low, high = limits(env)
    wanted = max(low, min(high, ctx.load.needed(fleet.load)))
    count = len(fleet.instances)
    if count < low:  # a raised minimum: Auto Scaling launches at once
        _launch(ctx, env, low - count)
        count = low
    fleet.scale_out_at = _due(fleet.scale_out_at, wanted > count, now, ctx.timing.of("scale_out"))
    fleet.scale_in_at = _due(fleet.scale_in_at, wanted < count, now, ctx.timing.of("scale_in"))
    if fleet.scale_out_at is not None and fleet.scale_out_at <= now:
        _launch(ctx, env, wanted - count)
        fleet.scale_out_at = None
    elif fleet.scale_in_at is not None and fleet.scale_in_at <= now:
        _retire(ctx, env, count - max(wanted, low))
        fleet.scale_in_at = None


def _due(at: datetime | None, wanted: bool, now: datetime, wait: timedelta) -> datetime | None:
    if not wanted:
        return None
    return at if at is not None else now + wait


def _launch(ctx: Context, env: Environment, count: int) -> None:
    ready = ctx.now + ctx.timing.of("instance_launch")
    for _ in range(count):
        added = new_instance(env.fleet, env.id, ctx.now, ready, env.version_label)
        ctx.event(f"Added instance [{added.id}] to your environment.", env=env)


def _retire(ctx: Context, env: Environment, count: int) -> None:
    """Scale in: the newest instances go first (the simulator's termination policy)."""
    for instance in sorted(env.fleet.instances, key=lambda i: i.launched_at)[-count:]:
        env.fleet.instances.remove(instance)
        ctx.event(f"Removed instance [{instance.id}] from your environment.", env=env)
