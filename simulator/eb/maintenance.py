"""Operations beside the release path: tag updates, rebuilding (and restoring) environments,
restarting app servers, the account's quotas, and the Update* calls for applications,
versions and templates."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from simulator.appserver import AppServer
from simulator.eb import describe, errors, saved
from simulator.eb.lifecycle import begin
from simulator.eb.models import Environment
from simulator.eb.options import merged_checked
from simulator.eb.queries import resource_tags
from simulator.eb.state import Context
from simulator.eb.templates import merge_options

# EB restores a terminated environment for six weeks (the EB CLI's cutoff: 42 days,
# ebcli/operations/restoreops.py, get_date_cutoff; EB docs, "Rebuilding AWS Elastic Beanstalk
# environments": "within six weeks (42 days) of its termination").
RESTORABLE = timedelta(days=42)
# Keys a user cannot set: AWS's "aws:" prefix (AWS tagging rules), and the environment tags EB
# adds itself, which "you can't edit or delete" (EB docs, "Tagging resources in your Elastic
# Beanstalk environments"). The EB CLI checks only characters (ebcli/operations/tagops).
RESERVED_PREFIX = "aws:"
EB_TAGS = ("elasticbeanstalk:environment-name", "elasticbeanstalk:environment-id", "Name")


def update_tags_for_resource(ctx: Context, params: dict[str, Any]) -> None:
    """TagsToAdd then TagsToRemove; an environment's resources are tagged by an update that
    ends with "Environment tag update completed successfully." (what `eb tags` waits for)."""
    tags, env = resource_tags(ctx, params["ResourceArn"])
    added = describe.tags_from({"Tags": params.get("TagsToAdd") or []})
    removed = list(params.get("TagsToRemove") or [])
    reserved = [k for k in [*added, *removed] if k.startswith(RESERVED_PREFIX) or k in EB_TAGS]
    if reserved:
        raise errors.invalid(f"Tag key '{reserved[0]}' is reserved by Elastic Beanstalk.")
    if env is not None and env.status != "Ready":
        raise errors.not_ready(env.name)
    tags.update(added)
    for key in removed:
        tags.pop(key, None)
    if env is not None:
        begin(ctx, env, "tags")
        ctx.event("Environment tag update is starting.", env=env)


def rebuild_environment(ctx: Context, params: dict[str, Any]) -> None:
    """A running environment is rebuilt in place; a terminated one (within six weeks, its
    name and CNAME free) is restored: launched again with its id, name, CNAME and version
    (`eb restore` sends RebuildEnvironment for a Terminated environment)."""
    env = _any_env(ctx, params)
    if env.status == "Terminated":
        _restore(ctx, env)
        return
    if env.status != "Ready":
        raise errors.not_ready(env.name)
    begin(ctx, env, "rebuild", version=env.version_label)
    ctx.event("rebuildEnvironment is starting.", env=env)


def _any_env(ctx: Context, params: dict[str, Any]) -> Environment:
    env_id, name = params.get("EnvironmentId"), params.get("EnvironmentName")
    if env_id is None and name is None:
        return ctx.state.target(params)  # its error: name one or the other
    found = [
        e for e in ctx.state.envs.values() if e.id == env_id or (env_id is None and e.name == name)
    ]
    live = [e for e in found if e.live]
    if not found:
        field, value = ("EnvironmentId", env_id) if env_id else ("EnvironmentName", name)
        raise errors.no_environment(field, str(value))
    return live[0] if live else found[-1]


def _restore(ctx: Context, env: Environment) -> None:
    if env.terminated_at is None or ctx.now - env.terminated_at > RESTORABLE:
        raise errors.invalid(f"Environment {env.name} can no longer be rebuilt.")
    if ctx.state.live_env(env.name) is not None:
        raise errors.env_exists(env.name)
    if ctx.state.cname_holder(env.cname) is not None:
        raise errors.cname_taken(env.cname.split(".")[0])
    env.terminated_at, env.server = None, AppServer(env.name)
    begin(ctx, env, "launch", version=env.version_label)
    ctx.event("rebuildEnvironment is starting.", env=env)


def restart_app_server(ctx: Context, params: dict[str, Any]) -> None:
    env = ctx.state.target(params)
    if env.status != "Ready":
        raise errors.not_ready(env.name)
    begin(ctx, env, "restart", version=env.version_label)
    ctx.event("restartAppServer is starting.", env=env)


def describe_account_attributes(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    # The default quotas of "Elastic Beanstalk endpoints and quotas" (AWS General Reference):
    # 75 applications, 1,000 versions, 200 environments, 2,000 templates, 10 custom platforms.
    quotas = {
        "ApplicationQuota": 75,
        "ApplicationVersionQuota": 1000,
        "EnvironmentQuota": 200,
        "ConfigurationTemplateQuota": 2000,
        "CustomPlatformQuota": 10,
    }
    return {"ResourceQuotas": {name: {"Maximum": limit} for name, limit in quotas.items()}}


def update_application(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    app = ctx.state.app(params["ApplicationName"])
    if "Description" in params:
        app.description, app.updated = params["Description"], ctx.now
    return {"Application": describe.application(app, ctx.state, saved.names(ctx, app.name))}


def update_application_version(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    ctx.state.app(params["ApplicationName"])
    version = ctx.state.version(params["ApplicationName"], params["VersionLabel"])
    if "Description" in params:
        version.description, version.updated = params["Description"], ctx.now
    return {"ApplicationVersion": describe.version(version)}


def update_configuration_template(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Settings checked as on create, then the template and its saved document change."""
    ctx.state.app(params["ApplicationName"])
    template = saved.find(ctx, params["ApplicationName"], params["TemplateName"])
    options = merged_checked(list(template.options), params, merge_options)
    template.options, template.updated = options, ctx.now
    template.description = params.get("Description", template.description)
    saved.write(ctx, template)
    return describe.template(template)
