"""Elastic Beanstalk API shapes (as boto3 returns them) mapped to the cloud
ports' values (engine.domain.ports.cloud)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from engine.domain.ports.cloud import (
    ApplicationVersion,
    CreateEnvironmentRequest,
    EbEvent,
    Environment,
    Instance,
    ManagedAction,
    OptionKey,
)


def to_environment(description: Mapping[str, Any]) -> Environment:
    """An EnvironmentDescription (DescribeEnvironments, CreateEnvironment, ...)."""
    return Environment(
        id=description["EnvironmentId"],
        name=description["EnvironmentName"],
        application=description["ApplicationName"],
        status=description.get("Status", "Unknown"),
        health=description.get("Health", "Grey"),
        version_label=description.get("VersionLabel"),
        cname=description.get("CNAME"),
        arn=description.get("EnvironmentArn", ""),
        health_status=description.get("HealthStatus"),
        template_name=description.get("TemplateName"),
        endpoint_url=description.get("EndpointURL"),
        date_updated=description.get("DateUpdated"),
        abortable=bool(description.get("AbortableOperationInProgress", False)),
    )


def to_version(description: Mapping[str, Any]) -> ApplicationVersion:
    """An ApplicationVersionDescription."""
    bundle: Mapping[str, Any] = description.get("SourceBundle") or {}
    return ApplicationVersion(
        application=description["ApplicationName"],
        label=description["VersionLabel"],
        status=description.get("Status", "UNPROCESSED"),
        source_bucket=bundle.get("S3Bucket"),
        source_key=bundle.get("S3Key"),
    )


def to_event(description: Mapping[str, Any]) -> EbEvent:
    """An EventDescription."""
    at: datetime = description["EventDate"]
    return EbEvent(
        at=at,
        message=description.get("Message", ""),
        severity=description.get("Severity", "INFO"),
        environment_name=description.get("EnvironmentName"),
        request_id=description.get("RequestId"),
        version_label=description.get("VersionLabel"),
    )


def create_environment_params(request: CreateEnvironmentRequest) -> dict[str, Any]:
    """CreateEnvironment's parameters for a release's green environment."""
    params: dict[str, Any] = {
        "ApplicationName": request.application,
        "EnvironmentName": request.name,
        "TemplateName": request.template_name,
        "VersionLabel": request.version_label,
        "Tags": [{"Key": key, "Value": value} for key, value in request.tags.items()],
    }
    if request.cname_prefix:
        params["CNAMEPrefix"] = request.cname_prefix
    return params


def describe_environments_params(
    application: str | None, names: tuple[str, ...], ids: tuple[str, ...], include_deleted: bool
) -> dict[str, Any]:
    """DescribeEnvironments filters; empty filters are left out (they mean "all")."""
    params: dict[str, Any] = {"IncludeDeleted": include_deleted}
    if application:
        params["ApplicationName"] = application
    if names:
        params["EnvironmentNames"] = list(names)
    if ids:
        params["EnvironmentIds"] = list(ids)
    return params


def oldest_first(events: list[EbEvent]) -> list[EbEvent]:
    """DescribeEvents answers newest first; reverse, then sort stably by time."""
    return sorted(reversed(events), key=lambda event: event.at)


def to_instance(description: Mapping[str, Any]) -> Instance:
    """A SingleInstanceHealth (DescribeInstancesHealth with AttributeNames All)."""
    deployment: Mapping[str, Any] = description.get("Deployment") or {}
    return Instance(
        id=description["InstanceId"],
        health_status=description.get("HealthStatus", "Unknown"),
        version_label=deployment.get("VersionLabel"),
        deployment_status=deployment.get("Status"),
        deployment_id=deployment.get("DeploymentId"),
        launched_at=description.get("LaunchedAt"),
        causes=tuple(description.get("Causes") or ()),
    )


def to_managed_action(description: Mapping[str, Any]) -> ManagedAction:
    return ManagedAction(
        id=description.get("ActionId", ""),
        action_type=description.get("ActionType", "Unknown"),
        status=description.get("Status", "Unknown"),
        description=description.get("ActionDescription", ""),
        window_start=description.get("WindowStartTime"),
    )


def to_settings(options: list[Mapping[str, Any]]) -> dict[OptionKey, str]:
    """OptionSettings as (namespace, option name) -> value (resource-scoped ones keyed by
    their resource too, in the namespace)."""
    settings: dict[OptionKey, str] = {}
    for option in options:
        namespace = option.get("Namespace", "")
        if option.get("ResourceName"):
            namespace = f"{namespace}[{option['ResourceName']}]"
        settings[(namespace, option.get("OptionName", ""))] = str(option.get("Value", ""))
    return settings
