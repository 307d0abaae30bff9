"""Managed actions: platform updates EB schedules for an environment's weekly maintenance
window and runs as immutable updates (EB guide, "Managed platform updates": "Elastic Beanstalk
always performs managed platform updates as immutable deployments").

DescribeEnvironmentManagedActions lists the upcoming and running ones (Status Scheduled |
Pending | Running); ApplyEnvironmentManagedAction runs a Scheduled one now, and answers
ManagedActionInvalidStateException for any other (API reference); a Scheduled action whose
window has opened starts by itself when the environment is Ready. A finished one moves to
DescribeEnvironmentManagedActionHistory as Completed. `FleetFaults.managed_action` puts one on
an environment (scheduled, or running at once).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from simulator.eb.lifecycle import begin
from simulator.eb.models import ManagedAction
from simulator.protocol import ApiError

if TYPE_CHECKING:
    from simulator.eb.models import Environment
    from simulator.eb.state import Context

DESCRIPTIONS = {
    "PlatformUpdate": "New platform version: 64bit Amazon Linux 2023 v4.3.1 running Python 3.11",
    "InstanceRefresh": "Instance refresh: replace every instance of the environment",
}


def advance(ctx: Context, env: Environment) -> None:
    """A fault's action lands on a Ready environment; a Scheduled one whose window has
    opened starts."""
    running = next((a for a in env.managed if a.status == "Running"), None)
    if running is not None and (env.op is None or env.op.managed_action != running.id):
        _finished(ctx, env, running)
    if env.status != "Ready":
        return
    fault = ctx.faults.fleet.take_managed(env.name)
    if fault is not None:
        opens = ctx.now + timedelta(seconds=fault.window_seconds)
        action = ManagedAction(
            str(uuid.uuid4()),
            fault.action_type,
            DESCRIPTIONS.get(fault.action_type, fault.action_type),
            "Scheduled",
            opens if fault.status == "Scheduled" else ctx.now,
        )
        env.managed.append(action)
        if fault.status == "Running":
            _run(ctx, env, action)
            return
    opened = [a for a in env.managed if a.status == "Scheduled" and a.window_start <= ctx.now]
    due = opened[0] if opened else None
    if due is not None:
        _run(ctx, env, due)


def _run(ctx: Context, env: Environment, action: ManagedAction) -> None:
    from simulator.eb import deployments  # deployments needs nothing of this module

    action.status, action.executed = "Running", ctx.now
    op = begin(ctx, env, "update", version=env.version_label)
    op.previous, op.managed_action = env.version_label, action.id
    deployments.start(ctx, env, op, env.version_label, 0.0)
    ctx.event(f"Managed action {action.type} started: {action.description}.", env=env)


def _finished(ctx: Context, env: Environment, action: ManagedAction) -> None:
    env.managed.remove(action)
    action.status, action.finished = "Completed", ctx.now
    env.managed_history.append(action)
    ctx.event(f"Managed action {action.type} completed.", env=env)


def describe_environment_managed_actions(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    env = ctx.state.target(params)
    wanted = params.get("Status")
    actions = [a for a in env.managed if wanted in (None, a.status)]
    return {"ManagedActions": [a.description_of() for a in actions]}


def apply_environment_managed_action(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    env = ctx.state.target(params)
    action = next((a for a in env.managed if a.id == params["ActionId"]), None)
    if action is None or action.status != "Scheduled" or env.status != "Ready":
        raise ApiError(
            "ManagedActionInvalidStateException",
            f"The managed action {params['ActionId']} cannot be applied: it is not Scheduled "
            f"on a Ready environment {env.name}.",
        )
    _run(ctx, env, action)
    return {
        "ActionId": action.id,
        "ActionDescription": action.description,
        "ActionType": action.type,
        "Status": action.status,
    }


def describe_environment_managed_action_history(
    ctx: Context, params: dict[str, Any]
) -> dict[str, Any]:
    env = ctx.state.target(params)
    items = [
        {
            "ActionId": a.id,
            "ActionType": a.type,
            "ActionDescription": a.description,
            "Status": a.status,
            "ExecutedTime": a.executed,
            "FinishedTime": a.finished,
        }
        for a in reversed(env.managed_history)
    ]
    limit = params.get("MaxItems", len(items) or 1)
    return {"ManagedActionHistoryItems": items[:limit]}
