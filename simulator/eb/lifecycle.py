"""Time-driven environment operations: how launch, update, swap, terminate and abort begin,
and what happens when their time is up (on success, or with an injected fault).

`advance()` runs at the start of every request and on every tick of the background clock, so
what a client reads is always what the clock says, with no sleeps anywhere.
"""

from __future__ import annotations

from collections.abc import Callable

from simulator.appserver import LAUNCH_FAILED, Behaviour
from simulator.bundles import Manifest
from simulator.eb import deployments, fleet, health
from simulator.eb.models import FAILED, PROCESSED, Completed, Environment, Operation
from simulator.eb.state import Context
from simulator.eb.traffic_split import begin_split_if_due
from simulator.faults import FailKind

STATUS_DURING = {
    "launch": "Launching",
    "update": "Updating",
    "swap": "Updating",
    "terminate": "Terminating",
    "abort": "Aborting",
    "rebuild": "Updating",
    "restart": "Updating",
    "tags": "Updating",
}
FAULT_FOR: dict[str, FailKind] = {
    "launch": "fail_launch",
    "update": "fail_update",
    "terminate": "fail_terminate",
}
SAMPLE_APP = Manifest(body="Elastic Beanstalk sample application")


def manifest_of(ctx: Context, env: Environment, label: str | None) -> Manifest:
    if label is None:
        return SAMPLE_APP
    version = ctx.state.versions.get((env.app, label))
    return version.manifest if version else SAMPLE_APP


def begin(
    ctx: Context,
    env: Environment,
    kind: str,
    version: str | None = None,
    partner: str | None = None,
) -> Operation:
    """Start `kind` on `env`: its status changes now; it completes after its duration."""
    stuck = kind != "abort" and ctx.faults.take("stick", env.name, kind)
    fault = FAULT_FOR.get(kind)
    fail = fault is not None and ctx.faults.take(fault, env.name, kind)
    fail = fail or not _valid(ctx, env, version)
    extra = manifest_of(ctx, env, version).start_seconds if kind in ("launch", "update") else 0.0
    ends = None if stuck else ctx.now + ctx.timing.of(kind) + ctx.timing.scaled(extra)
    env.op = Operation(kind, ctx.request_id, ctx.now, ends, fail, version, partner)
    env.status = STATUS_DURING[kind]
    env.updated = ctx.now
    return env.op


def _valid(ctx: Context, env: Environment, label: str | None) -> bool:
    version = ctx.state.versions.get((env.app, label or ""))
    return version is None or version.valid


def advance(ctx: Context) -> None:
    """Complete every operation whose time has come, oldest first; then versions and health.
    Each fleet moves first (deployment batches due, auto scaling, the load it serves)."""
    for env in ctx.state.live_envs():
        fleet.advance(ctx, env)
    due = [
        env for env in ctx.state.envs.values() if env.op and env.op.ends and env.op.ends <= ctx.now
    ]
    for env in ctx.state.envs.values():
        if env.op is not None and env.op.split_at is not None:
            begin_split_if_due(ctx, env, _behaviour_for(ctx, env))
    for env in sorted(due, key=lambda env: env.op.ends if env.op and env.op.ends else ctx.now):
        if env.op is not None:  # a swap completes its partner too
            _complete(ctx, env, env.op)
    for version in ctx.state.versions.values():
        if version.processed_at and version.processed_at <= ctx.now:
            version.status = PROCESSED if version.valid else FAILED
            version.processed_at, version.updated = None, ctx.now
    for env in ctx.state.live_envs():
        if env.recover_at and env.recover_at <= ctx.now and env.op is None:
            _recover(ctx, env)
        elif env.deployed_at and env.op is None:
            _flap(ctx, env)


def release(ctx: Context, env: Environment) -> bool:
    """Let a stuck operation complete now (its partner's too). False if nothing was stuck."""
    if env.op is None or env.op.ends is not None:
        return False
    env.op.ends = ctx.now
    partner = ctx.state.envs.get(env.op.partner or "")
    if partner and partner.op:
        partner.op.ends = ctx.now
    return True


def _complete(ctx: Context, env: Environment, op: Operation) -> None:
    env.op, env.status, env.updated = None, "Ready", ctx.now
    _record(ctx, env, op)
    completions = {
        "launch": _launch_failed if op.fail else _launched,
        "update": _update_failed if op.fail else _updated,
        "swap": _swapped,
        "terminate": _terminate_failed if op.fail else _terminated,
        "abort": _aborted,
        "rebuild": _done("rebuildEnvironment completed successfully."),
        "restart": _done("restartAppServer completed successfully."),
        # what `eb tags` waits for (ebcli/resources/strings.py, tags.tag_update_successful)
        "tags": _done("Environment tag update completed successfully.", restart=False),
    }
    completions[op.kind](ctx, env, op)


def _record(ctx: Context, env: Environment, op: Operation) -> None:
    """The simulator's own record of when `op` really ended (not shown on EB's API)."""
    ctx.state.completed.append(
        Completed(env.id, env.name, env.app, op.kind, op.started, ctx.now, op.fail)
    )


def _done(message: str, restart: bool = True) -> Callable[[Context, Environment, Operation], None]:
    """An operation that changes nothing the simulator shows: its completion event, in EB's
    "<operation> completed successfully." pattern (terminateEnvironment's, ebcli's
    env.terminated); with `restart`, the app server starts anew on the version it runs."""

    def complete(ctx: Context, env: Environment, op: Operation) -> None:
        if restart:
            manifest = manifest_of(ctx, env, env.version_label)
            env.server.deploy(_behaviour(ctx, manifest, env.version_label))
        ctx.event(message, env=env, request_id=op.request_id)

    return complete


def _launched(ctx: Context, env: Environment, op: Operation) -> None:
    manifest = manifest_of(ctx, env, op.version)
    fleet.launched(ctx, env, op.version, failed=False)
    for drift in ctx.faults.fleet.take_drift(env.name):  # a console change right after it
        env.options = [
            o
            for o in env.options
            if (o.get("Namespace"), o.get("OptionName")) != (drift.namespace, drift.name)
        ] + [{"Namespace": drift.namespace, "OptionName": drift.name, "Value": drift.value}]
    env.server.deploy(_behaviour(ctx, manifest, op.version))
    env.deployed_at = ctx.now
    rid = op.request_id
    ctx.event("Instance deployment completed successfully.", env=env, request_id=rid)
    ctx.event(f"Application available at {env.cname}.", env=env, request_id=rid)
    ctx.event(f"Successfully launched environment: {env.name}", env=env, request_id=rid)
    health.change(ctx, env, manifest.health, "Initialization completed.", rid)


def _launch_failed(ctx: Context, env: Environment, op: Operation) -> None:
    # A failed launch leaves the environment Ready with health Red, as AWS does.
    env.server.deploy(LAUNCH_FAILED)
    fleet.launched(ctx, env, op.version, failed=True)
    rid = op.request_id
    ctx.event(
        "Instance deployment failed. For details, see 'eb-engine.log'.",
        "ERROR",
        env=env,
        request_id=rid,
    )
    ctx.event(
        "Create environment operation is complete, but with errors. "
        "For more information, see troubleshooting documentation.",
        "ERROR",
        env=env,
        request_id=rid,
    )
    health.change(ctx, env, "Red", "Instance deployment failed.", rid)


def _updated(ctx: Context, env: Environment, op: Operation) -> None:
    manifest = manifest_of(ctx, env, op.version)
    deployments.finish(ctx, env, op, op.version)
    env.version_label = op.version
    env.recover_at = None
    env.deployed_at = ctx.now
    env.server.deploy(_behaviour(ctx, manifest, op.version))
    rid, label = op.request_id, op.version
    # What the EB CLI waits for: env.configsuccess after a configuration change (`eb setenv`,
    # `eb scale`), env.updatesuccess either way (ebcli/resources/strings.py, responses).
    deployed = (
        "New application version was deployed to running EC2 instances."
        if label != op.previous
        else "Successfully deployed new configuration to environment."
    )
    ctx.event(deployed, env=env, version=label, request_id=rid)
    ctx.event("Environment update completed successfully.", env=env, version=label, request_id=rid)
    health.change(ctx, env, manifest.health, "Application update completed.", rid)


def _update_failed(ctx: Context, env: Environment, op: Operation) -> None:
    env.server.end_split()
    if op.split_rejected:
        _split_rejected(ctx, env, op)
        return
    # Simulator's choice (AWS leaves it to the deployment policy): the old version keeps
    # running, the environment is Ready on it with health Red, and recovers to the old
    # version's health after `Durations.recover`, or sooner with a successful deployment.
    # The environment goes back to the label it ran (simulator's choice: AWS documents none).
    rid, env.version_label = op.request_id, op.previous
    failed_ids = [i.id for i in env.fleet.instances if i.deployment == fleet.IN_PROGRESS]
    deployments.failed(ctx, env)
    ids = ", ".join(failed_ids) or "i-0sim"
    ctx.event(
        f"Unsuccessful command execution on instance id(s) '{ids}'. Aborting the operation.",
        "ERROR",
        env=env,
        version=op.version,
        request_id=rid,
    )
    # The EB CLI stops waiting on these (event.faileddeploy, event.updatefailed); the second is
    # the EventBridge mapping's "Environment update failed" text (EB docs, "Elastic Beanstalk
    # events with Amazon EventBridge").
    failed = (
        "Failed to deploy application."
        if op.version != op.previous
        else "Failed to deploy configuration."
    )
    ctx.event(failed, "ERROR", env=env, version=op.version, request_id=rid)
    cause = (
        f'Incorrect application version found on all instances. Expected version "{op.version}".'
    )
    health.change(ctx, env, "Red", cause, rid)
    env.recover_at = ctx.now + ctx.timing.of("recover")


def _split_rejected(ctx: Context, env: Environment, op: Operation) -> None:
    """A traffic-splitting deployment whose new instances never passed their health checks:
    the old instances served all along, so the environment stays on its version and health."""
    rid, env.version_label = op.request_id, op.previous
    ctx.event(
        "Traffic splitting: the new instances failed their health checks; all client traffic "
        "stays on the previous version.",
        "ERROR",
        env=env,
        version=op.version,
        request_id=rid,
    )
    ctx.event("Failed to deploy application.", "ERROR", env=env, version=op.version,
              request_id=rid)  # fmt: skip


def _recover(ctx: Context, env: Environment) -> None:
    env.recover_at, env.deployed_at = None, ctx.now
    deployments.undone(env, env.version_label)  # the failed batch runs the old version again
    manifest = manifest_of(ctx, env, env.version_label)
    health.change(ctx, env, manifest.health, "Instances are running the expected version.", None)


def _flap(ctx: Context, env: Environment) -> None:
    """A version with `health_flap` alternates between its health and Yellow (Warning)."""
    manifest = manifest_of(ctx, env, env.version_label)
    if not manifest.health_flap or env.deployed_at is None:
        return
    phase = int((ctx.now - env.deployed_at) / ctx.timing.scaled(manifest.health_flap)) % 2
    colour = manifest.health if phase == 0 else "Yellow"
    if colour != env.health:
        reason = (
            "Instances are healthy." if phase == 0 else "20.0 % of the requests fail with HTTP 5xx."
        )
        health.change(ctx, env, colour, reason, None)


def _swapped(ctx: Context, env: Environment, op: Operation) -> None:
    partner = ctx.state.envs[op.partner or ""]
    if partner.op is not None:
        _record(ctx, partner, partner.op)
    partner.op, partner.status, partner.updated = None, "Ready", ctx.now
    env.cname, partner.cname = partner.cname, env.cname
    source, destination = (env, partner) if op.is_source else (partner, env)
    message = (
        f"Completed swapping CNAMEs for environments '{source.name}' and '{destination.name}'."
    )
    for each in (source, destination):
        ctx.event(message, env=each, request_id=op.request_id)


def _terminated(ctx: Context, env: Environment, op: Operation) -> None:
    env.status, env.terminated_at = "Terminated", ctx.now
    env.set_health("Grey")
    env.causes = []
    fleet.terminated(env)
    env.recover_at = None
    ctx.after.append(env.server.stop)
    ctx.event("terminateEnvironment completed successfully.", env=env, request_id=op.request_id)


def _terminate_failed(ctx: Context, env: Environment, op: Operation) -> None:
    # The last text is real EB's "Environment termination failed" message, with its severity
    # (EB docs, "Elastic Beanstalk events with Amazon EventBridge", field mapping table); the
    # stack-deletion line before it is the simulator's wording of CloudFormation's cause.
    rid = op.request_id
    ctx.event(
        "Stack deletion failed: The following resource(s) failed to delete: [AWSEBSecurityGroup].",
        "ERROR",
        env=env,
        request_id=rid,
    )
    ctx.event(
        "The environment termination step failed because at least one of the environment "
        "termination workflows failed.",
        env=env,
        request_id=rid,
    )


def _aborted(ctx: Context, env: Environment, op: Operation) -> None:
    env.server.end_split()  # "moves traffic back to the old instances" (traffic splitting)
    env.deployed_at, env.version_label = ctx.now, op.previous
    deployments.undone(env, env.version_label)
    manifest = manifest_of(ctx, env, env.version_label)
    rid = op.request_id
    ctx.event(
        "Environment update was aborted; the previous version keeps running.",
        "WARN",
        env=env,
        request_id=rid,
    )
    health.change(ctx, env, manifest.health, "Update aborted.", rid)


def _behaviour_for(ctx: Context, env: Environment) -> Callable[[str | None], Behaviour]:
    return lambda label: _behaviour(ctx, manifest_of(ctx, env, label), label)


def _behaviour(ctx: Context, manifest: Manifest, label: str | None) -> Behaviour:
    return Behaviour(
        manifest.status,
        manifest.body_for(label or "sample"),
        label or "",
        manifest.flap,
        ctx.timing.scaled(manifest.fail_after).total_seconds(),
        manifest.fail_status,
    )
