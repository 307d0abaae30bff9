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
    prefix = ctx.state.arn("", "")
    if not arn.startswith(prefix[:-1]):
        raise ApiError("ResourceNotFoundException", f"Resource {arn} was not found.")
    kind, _, path = arn[len(prefix) - 1 :].partition("/")
    return {"ResourceArn": arn, "ResourceTags": describe.tags(_tags_of(ctx, kind, path, arn))}


def _tags_of(ctx: Context, kind: str, path: str, arn: str) -> dict[str, str]:
    first, _, second = path.partition("/")
    if kind == "environment":
        env = next((e for e in ctx.state.live_envs() if e.arn == arn), None)
        if env is not None:
            system = {
                "elasticbeanstalk:environment-name": env.name,
                "elasticbeanstalk:environment-id": env.id,
                "Name": env.name,
            }
            return system | env.tags
    elif kind == "application" and first in ctx.state.apps:
        return ctx.state.apps[first].tags
    elif kind == "applicationversion" and (first, second) in ctx.state.versions:
        return ctx.state.versions[(first, second)].tags
    elif kind == "configurationtemplate" and (first, second) in ctx.state.templates:
        return ctx.state.templates[(first, second)].tags
    elif kind not in ("environment", "application", "applicationversion", "configurationtemplate"):
        raise ApiError(
            "ResourceTypeNotSupportedException", f"Resource type {kind} is not supported."
        )
    raise ApiError("ResourceNotFoundException", f"Resource {arn} was not found.")
