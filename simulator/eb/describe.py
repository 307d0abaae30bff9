"""Resources as the output shapes of the botocore model name them (plain dicts)."""

from __future__ import annotations

from typing import Any

from simulator.eb import errors
from simulator.eb.models import Application, AppVersion, Environment, Template
from simulator.eb.state import RegionState

TIER = {"Name": "WebServer", "Type": "Standard", "Version": "1.0"}


def environment(env: Environment) -> dict[str, Any]:
    return {
        "EnvironmentName": env.name,
        "EnvironmentId": env.id,
        "ApplicationName": env.app,
        "VersionLabel": env.version_label,
        "SolutionStackName": env.solution_stack,
        "PlatformArn": env.platform_arn,
        "TemplateName": env.template_name,
        "Description": env.description,
        "EndpointURL": env.endpoint,
        "CNAME": env.cname,
        "DateCreated": env.created,
        "DateUpdated": env.updated,
        "Status": env.status,
        "AbortableOperationInProgress": bool(env.op and env.op.abortable),
        "Health": env.health,
        "HealthStatus": env.health_status,
        "Resources": {} if env.single_instance else {"LoadBalancer": _load_balancer(env)},
        "Tier": TIER,
        "EnvironmentLinks": [],
        "EnvironmentArn": env.arn,
    }


def _load_balancer(env: Environment) -> dict[str, Any]:
    return {
        "LoadBalancerName": env.balancer.name,
        "Domain": env.endpoint,
        "Listeners": [{"Protocol": "http", "Port": 80}],
    }


def version(item: AppVersion) -> dict[str, Any]:
    return {
        "ApplicationVersionArn": item.arn,
        "ApplicationName": item.app,
        "Description": item.description,
        "VersionLabel": item.label,
        "SourceBundle": item.bundle,
        "DateCreated": item.created,
        "DateUpdated": item.updated,
        "Status": item.status,
    }


def application(
    app: Application, state: RegionState, templates: list[str] | None = None
) -> dict[str, Any]:
    """`templates`: the application's saved configurations, if not just its templates."""
    versions = [v for v in state.versions.values() if v.app == app.name]
    if templates is None:
        templates = [t.name for t in state.templates.values() if t.app == app.name]
    return {
        "ApplicationArn": app.arn,
        "ApplicationName": app.name,
        "Description": app.description,
        "DateCreated": app.created,
        "DateUpdated": app.updated,
        "Versions": [v.label for v in reversed(versions)],
        "ConfigurationTemplates": templates,
    }


def template(item: Template) -> dict[str, Any]:
    return {
        "SolutionStackName": item.solution_stack,
        "PlatformArn": item.platform_arn,
        "ApplicationName": item.app,
        "TemplateName": item.name,
        "Description": item.description,
        "DateCreated": item.created,
        "DateUpdated": item.updated,
        "OptionSettings": item.options,
    }


def environment_settings(env: Environment) -> dict[str, Any]:
    return {
        "SolutionStackName": env.solution_stack,
        "PlatformArn": env.platform_arn,
        "ApplicationName": env.app,
        "EnvironmentName": env.name,
        "Description": env.description,
        "DeploymentStatus": "deployed",
        "Tier": TIER,  # a member of the EB CLI's extended model (simulator/eb/model.py)
        "DateCreated": env.created,
        "DateUpdated": env.updated,
        "OptionSettings": env.options,
    }


def tags(values: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in values.items()]


def tags_from(params: dict[str, Any]) -> dict[str, str]:
    """A request's `Tags` list as a dict: the inverse of `tags`."""
    return {tag["Key"]: tag.get("Value", "") for tag in params.get("Tags") or []}


def page(items: list[Any], params: dict[str, Any], key: str) -> dict[str, Any]:
    """MaxRecords/NextToken paging over a list (the token is the next item's index)."""
    token = str(params.get("NextToken", "0"))
    if not token.isdigit():
        raise errors.invalid(f"Invalid NextToken: {token}")
    start = int(token)
    limit = params.get("MaxRecords", len(items) or 1)
    result: dict[str, Any] = {key: items[start : start + limit]}
    if start + limit < len(items):
        result["NextToken"] = str(start + limit)
    return result
