"""Read-only operations: environments, their health, events, tags and DNS availability."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from simulator.eb import describe
from simulator.eb.models import Environment
from simulator.eb.state import Context
from simulator.protocol import ApiError

# Without IncludedDeletedBackTo, terminated environments stay visible for about an hour, as
# on AWS (IncludeDeleted is not documented to default to false; the CLI shows them).
DELETED_VISIBLE = timedelta(hours=1)


def describe_environments(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    envs = [env for env in ctx.state.envs.values() if _selected(ctx, env, params)]
    return describe.page([describe.environment(env) for env in envs], params, "Environments")


def _selected(ctx: Context, env: Environment, params: dict[str, Any]) -> bool:
    ids, names = params.get("EnvironmentIds"), params.get("EnvironmentNames")
    if params.get("ApplicationName") not in (None, env.app):
        return False
    if params.get("VersionLabel") not in (None, env.version_label):
        return False
    if (ids is not None and env.id not in ids) or (names is not None and env.name not in names):
        return False
    if env.terminated_at is None:
        return True
    back_to = params.get("IncludedDeletedBackTo") or ctx.now - DELETED_VISIBLE
    return bool(params.get("IncludeDeleted", True)) and env.terminated_at >= back_to


def describe_events(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return ctx.state.events.describe(params)


def check_dns_availability(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    cname = f"{params['CNAMEPrefix']}.{ctx.state.region}.elasticbeanstalk.com".lower()
    return {"Available": ctx.state.cname_holder(cname) is None, "FullyQualifiedCNAME": cname}


def list_tags_for_resource(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["ResourceArn"]
    tags, env = resource_tags(ctx, arn)
    if env is not None:  # EB's own tags come first (EB docs, "Tagging resources")
        tags = {
            "elasticbeanstalk:environment-name": env.name,
            "elasticbeanstalk:environment-id": env.id,
            "Name": env.name,
        } | tags
    return {"ResourceArn": arn, "ResourceTags": describe.tags(tags)}


KINDS = ("environment", "application", "applicationversion", "configurationtemplate")


def resource_tags(ctx: Context, arn: str) -> tuple[dict[str, str], Environment | None]:
    """The tags (the resource's own dict, to read or change) of the resource `arn` names, and
    the environment if it is one."""
    prefix = ctx.state.arn("", "")
    if not arn.startswith(prefix[:-1]):
        raise ApiError("ResourceNotFoundException", f"Resource {arn} was not found.")
    kind, _, path = arn[len(prefix) - 1 :].partition("/")
    if kind not in KINDS:
        raise ApiError(
            "ResourceTypeNotSupportedException", f"Resource type {kind} is not supported."
        )
    first, _, second = path.partition("/")
    env = next((e for e in ctx.state.live_envs() if e.arn == arn), None)
    if kind == "environment" and env is not None:
        return env.tags, env
    owners: dict[str, Any] = {
        "application": ctx.state.apps.get(first),
        "applicationversion": ctx.state.versions.get((first, second)),
        "configurationtemplate": ctx.state.templates.get((first, second)),
    }
    owner = owners.get(kind)
    if owner is None:
        raise ApiError("ResourceNotFoundException", f"Resource {arn} was not found.")
    return owner.tags, None
