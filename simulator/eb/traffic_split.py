"""EB's traffic-splitting deployments, as the EB developer guide describes them
("Traffic-splitting deployments", and the aws:elasticbeanstalk:trafficsplitting namespace in
"General options for all environments"):

- chosen with `aws:elasticbeanstalk:command` `DeploymentPolicy=TrafficSplitting`; it needs an
  application load balancer (refused otherwise: the stricter choice, EB documents the
  requirement but not its error, so the simulator answers EB's ConfigurationValidationException
  shape);
- EB first launches a full set of new instances on the new version (the update's usual
  duration here), then forwards `NewVersionPercent` (default 10) of the client requests to them
  for `EvaluationTime` minutes (default 5), then all of them, and the old instances go;
- "If the new instances don't pass health checks, or if you choose to abort the deployment,
  Elastic Beanstalk moves traffic back to the old instances": AbortEnvironmentUpdate during
  the evaluation ends the split and the environment stays on its old version.

The event texts are the simulator's own wording (AWS publishes no recorded example of them).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from simulator.appserver import Behaviour
from simulator.eb import errors
from simulator.eb.models import Environment, Operation, OptionSettings
from simulator.eb.state import Context

COMMAND = "aws:elasticbeanstalk:command"
SPLITTING = "aws:elasticbeanstalk:trafficsplitting"
DEFAULT_PERCENT, DEFAULT_MINUTES = 10, 5


def option(options: OptionSettings, namespace: str, name: str) -> str | None:
    for item in options:
        if item.get("Namespace") == namespace and item.get("OptionName") == name:
            value = item.get("Value")
            return None if value is None else str(value)
    return None


def is_traffic_splitting(options: OptionSettings) -> bool:
    return (option(options, COMMAND, "DeploymentPolicy") or "") == "TrafficSplitting"


def check(options: OptionSettings) -> tuple[int, int]:
    """The split's percent and minutes; refused without an application load balancer."""
    balancer = option(options, "aws:elasticbeanstalk:environment", "LoadBalancerType")
    if (balancer or "").lower() != "application":
        raise errors.configuration(
            "Invalid option value: 'TrafficSplitting' (Namespace: 'aws:elasticbeanstalk:"
            "command', OptionName: 'DeploymentPolicy'): Traffic splitting deployments require "
            "an Application Load Balancer."
        )
    percent = int(option(options, SPLITTING, "NewVersionPercent") or DEFAULT_PERCENT)
    minutes = int(option(options, SPLITTING, "EvaluationTime") or DEFAULT_MINUTES)
    return percent, minutes


def plan(ctx: Context, env: Environment, op: Operation, percent: int, minutes: int) -> None:
    """New instances first (the update's duration), then the evaluation, then done."""
    if op.ends is None:  # stuck by a fault: it stays stuck
        return
    launched = op.ends
    op.split_percent, op.split_at = percent, launched
    op.ends = launched + ctx.timing.scaled(minutes * 60.0) + timedelta(microseconds=1)


def begin_split_if_due(
    ctx: Context, env: Environment, behaviour_of: Callable[[str | None], Behaviour]
) -> None:
    """At `split_at`: the new instances take their share of the requests."""
    op = env.op
    if op is None or op.kind != "update" or op.split_at is None or op.split_started:
        return
    if op.split_at > ctx.now:
        return
    op.split_started = True
    canary = behaviour_of(op.version)
    if canary.status >= 400:
        # The new instances fail the load balancer's health checks before they get any
        # traffic: EB ends the deployment and the old instances keep all of it.
        op.fail, op.split_rejected, op.ends = True, True, ctx.now
        return
    env.server.split(canary, op.split_percent)
    ctx.event(
        f"Traffic splitting: {op.split_percent}% of client traffic goes to the new version "
        f"{op.version} for the evaluation period.",
        env=env,
        version=op.version,
        request_id=op.request_id,
    )
