"""Environment operations that change things: create, update, swap CNAMEs, terminate, abort."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, NamedTuple

from simulator.appserver import AppServer
from simulator.eb import (
    balancers,
    deployments,
    describe,
    errors,
    health,
    lifecycle,
    saved,
    traffic_split,
)
from simulator.eb.lifecycle import begin
from simulator.eb.models import BUILDING, FAILED, PROCESSING, Environment, default_options
from simulator.eb.options import merged_checked
from simulator.eb.state import Context, random_id
from simulator.eb.templates import merge_options, named_platform, template_source
from simulator.eb.traffic_split import is_traffic_splitting
from simulator.protocol import ApiError

# "Must be from 4 to 40 characters in length. The name can contain only letters, numbers, and
# hyphens. It can't start or end with a hyphen." (CreateEnvironment, EnvironmentName); the
# length is checked from the model, the characters here.
NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$")


class Platform(NamedTuple):
    """Where an environment's configuration comes from."""

    stack: str
    arn: str
    options: list[dict[str, str]]
    template: str | None


def create_environment(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    app = ctx.state.app(params["ApplicationName"]).name
    name = _new_name(ctx, params.get("EnvironmentName"))
    platform = _platform(ctx, app, params)
    label = params.get("VersionLabel")
    if label is not None:
        _deployable(ctx, app, label)
    env = _new_environment(ctx, app, name, platform, params)
    ctx.state.envs[env.id] = env
    ctx.load.adopt(app, env.cname)
    begin(ctx, env, "launch", version=label)
    ctx.event("createEnvironment is starting.", env=env, version=label, template=platform.template)
    return describe.environment(env)


def _new_environment(
    ctx: Context, app: str, name: str, platform: Platform, params: dict[str, Any]
) -> Environment:
    env_id, tags = "e-" + random_id(10), describe.tags_from(params)
    cname = _cname(ctx, name, params.get("CNAMEPrefix"))
    options = merged_checked(platform.options, params, merge_options)
    # EB tags an environment's resources with its three default tags and the environment's
    # own (EB docs, "Tagging resources in your Elastic Beanstalk environments").
    defaults = {
        "elasticbeanstalk:environment-name": name,
        "elasticbeanstalk:environment-id": env_id,
        "Name": name,
    }
    balancer = balancers.plan(ctx.state.account, ctx.state.region, tags | defaults)
    return Environment(
        id=env_id,
        name=name,
        app=app,
        arn=ctx.state.arn("environment", f"{app}/{name}"),
        cname=cname,
        balancer=balancer,
        solution_stack=platform.stack,
        platform_arn=platform.arn,
        template_name=platform.template,
        version_label=params.get("VersionLabel"),
        description=params.get("Description"),
        created=ctx.now,
        updated=ctx.now,
        options=options,
        tags=tags,
        server=AppServer(name),  # last: nothing after it may fail and leak the port
    )


def _new_name(ctx: Context, name: str | None) -> str:
    if name is None:
        raise ApiError(
            "MissingParameter", "The request must contain the parameter EnvironmentName."
        )
    if not NAME.match(name):
        raise errors.invalid(
            f"Environment name '{name}' is invalid: it can contain only letters, numbers, and "
            "hyphens, and can't start or end with a hyphen."
        )
    if ctx.state.live_env(name) is not None:
        raise errors.env_exists(name)
    return name


def _platform(ctx: Context, app: str, params: dict[str, Any]) -> Platform:
    specified = template_source(ctx, app, params)
    if specified is not None:
        if "TemplateName" in params:
            raise errors.combination(
                "You cannot specify both a TemplateName and a TemplateSpecification."
            )
        return Platform(*specified, None)
    name = params.get("TemplateName")
    if name is not None and ("SolutionStackName" in params or "PlatformArn" in params):
        raise errors.combination(
            "You cannot specify both a configuration template and a solution stack or platform."
        )
    if name is not None:
        template = saved.find(ctx, app, name)
        return Platform(
            template.solution_stack, template.platform_arn, list(template.options), name
        )
    if "SolutionStackName" in params or "PlatformArn" in params:
        return Platform(*named_platform(ctx, params), default_options(), None)
    raise errors.invalid("You must specify a SolutionStackName, a PlatformArn or a TemplateName.")


def _cname(ctx: Context, name: str, prefix: str | None) -> str:
    region = ctx.state.region
    if prefix is None:
        # Without CNAMEPrefix AWS appends a random string to the environment name.
        return f"{name}.eba-{random_id(8)}.{region}.elasticbeanstalk.com".lower()
    if not NAME.match(prefix):
        raise errors.invalid(f"CNAMEPrefix '{prefix}' is invalid.")
    cname = f"{prefix}.{region}.elasticbeanstalk.com".lower()
    if ctx.state.cname_holder(cname) is not None:
        raise errors.cname_taken(prefix)
    return cname


def _deployable(ctx: Context, app: str, label: str) -> None:
    # AWS documents no rule for versions still processing; the simulator refuses them
    # (the stricter choice), and refuses versions whose processing failed.
    status = ctx.state.version(app, label).status
    if status in (PROCESSING, BUILDING):
        raise errors.invalid(f"Application version {label} is still being processed.")
    if status == FAILED:
        raise errors.invalid(f"Application version {label} failed processing.")


def update_environment(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    env = ctx.state.target(params)
    if params.get("ApplicationName") not in (None, env.app):
        raise errors.no_environment("EnvironmentName", env.name)
    label, template = params.get("VersionLabel"), params.get("TemplateName")
    if label is not None and template is not None:
        raise errors.combination("You cannot specify both VersionLabel and TemplateName.")
    changes = ("OptionSettings", "OptionsToRemove", "SolutionStackName", "PlatformArn")
    if label is None and template is None and not any(params.get(name) for name in changes):
        if "Description" in params:  # a description-only update takes effect at once
            env.description, env.updated = params["Description"], ctx.now
        return describe.environment(env)
    _require_ready(env)
    if label is not None:
        _deployable(ctx, env.app, label)
    base = env.options if template is None else saved.find(ctx, env.app, template).options
    # everything is checked before anything changes: a refused update leaves env as it was
    options = merged_checked(list(base), params, merge_options)
    split = None
    if label is not None and label != env.version_label and is_traffic_splitting(options):
        split = traffic_split.check(options)  # before anything changes: refused as a whole
    platform = (env.solution_stack, env.platform_arn)
    if "SolutionStackName" in params or "PlatformArn" in params:
        platform = named_platform(ctx, params)
    env.solution_stack, env.platform_arn = platform
    env.options, env.description = options, params.get("Description", env.description)
    op = begin(ctx, env, "update", version=label or env.version_label)
    if split is not None:
        traffic_split.plan(ctx, env, op, *split)
    # The new label shows at once, in the response and in DescribeEnvironments while Updating,
    # as in AWS's own example (awscli/examples/elasticbeanstalk/update-environment.rst).
    op.previous, env.version_label = env.version_label, label or env.version_label
    if label is not None and label != op.previous:  # batch by batch (simulator.eb.deployments)
        start_seconds = lifecycle.manifest_of(ctx, env, label).start_seconds
        deployments.start(ctx, env, op, label, start_seconds)
    ctx.event("Environment update is starting.", env=env, version=label)
    if label is not None:
        ctx.event("Deploying new version to instance(s).", env=env, version=label)
    health.deploying(ctx, env)
    return describe.environment(env)


def terminate_environment(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    env = ctx.state.target(params)
    # AWS refuses to terminate during Updating; the simulator also refuses during Launching
    # (undocumented; the stricter choice).
    _require_ready(env)
    begin(ctx, env, "terminate")
    ctx.event("terminateEnvironment is starting.", env=env)
    return describe.environment(env)


def swap_environment_cnames(ctx: Context, params: dict[str, Any]) -> None:
    source, destination = (
        ctx.state.target(params, "Source"),
        ctx.state.target(params, "Destination"),
    )
    if source.id == destination.id:
        raise errors.invalid("The source and destination environments must be different.")
    if source.app != destination.app:
        raise errors.invalid("Both environments must belong to the same application.")
    for env in (source, destination):
        _require_ready(env)
    op = begin(ctx, source, "swap", partner=destination.id)
    op.is_source = True
    if ctx.faults.take("stick", destination.name, "swap"):  # a fault may name either side
        op.ends = None
    destination.op = replace(op, partner=source.id, is_source=False)
    destination.status, destination.updated = "Updating", ctx.now
    for env in (source, destination):
        ctx.event("swapEnvironmentCNAMEs is starting.", env=env)


def abort_environment_update(ctx: Context, params: dict[str, Any]) -> None:
    env = ctx.state.target(params)
    if env.op is None or not env.op.abortable:
        raise errors.invalid(
            f"Environment named {env.name} has no abortable operation in progress."
        )
    previous = env.op.previous
    env.fleet.steps.clear()  # the batches stop; the abort puts every instance back
    begin(ctx, env, "abort").previous = previous
    ctx.event("Aborting the environment update.", "WARN", env=env)


def _require_ready(env: Environment) -> None:
    if env.status != "Ready":
        raise errors.not_ready(env.name)
