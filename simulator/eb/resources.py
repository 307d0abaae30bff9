"""What an environment is made of, as EB reports it: its resources (load balancer, auto scaling
group, the one instance), per-instance health, the storage location, and environment info
(tail or bundle logs, uploaded to the simulated S3 and answered as URLs)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from typing import Any

from simulator.eb import errors
from simulator.eb.models import Environment
from simulator.eb.state import Context
from simulator.eb.storage import ensure_bucket, presigned_url, put_object, storage_bucket
from simulator.protocol import ApiError

ZONE_SUFFIX = "a"


def instance_id(env: Environment) -> str:
    """The environment's one instance: a stable EC2-style id derived from the environment's."""
    return "i-0" + hashlib.sha256(env.id.encode()).hexdigest()[:16]


def _asg(env: Environment) -> str:
    return f"awseb-{env.id}-stack-AWSEBAutoScalingGroup-{env.id[2:].upper()}"


def has_instance(env: Environment) -> bool:
    """The one instance runs from the end of the launch until the termination begins."""
    return env.status not in ("Launching", "Terminating", "Terminated")


def running_target(env: Environment) -> tuple[str, Callable[[], int]] | None:
    """The instance as its load balancer's target while it runs (the Auto Scaling group
    registers it), with its app's answer to a health check."""
    return (instance_id(env), env.server.status_now) if has_instance(env) else None


def describe_environment_resources(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    env = ctx.state.target(params)
    return {
        "EnvironmentResources": {
            "EnvironmentName": env.name,
            "AutoScalingGroups": [{"Name": _asg(env)}],
            "Instances": [{"Id": instance_id(env)}] if has_instance(env) else [],
            "LaunchConfigurations": [],
            "LaunchTemplates": [{"Id": "lt-0" + instance_id(env)[3:19]}],
            # An application load balancer is named by its ARN here; the EB CLI tells it from
            # a classic one by the ARN prefix (ebcli/lib/elb.py, is_classic_load_balancer) and
            # asks elbv2 for its target groups and their health (ebcli/operations/statusops.py,
            # _print_elbv2_health_stats): moto's ELBv2 has it (simulator.eb.elbv2).
            "LoadBalancers": [] if env.single_instance else [{"Name": env.balancer.arn}],
            "Triggers": [],
            "Queues": [],
        }
    }


INSTANCE_ATTRIBUTES = (
    "HealthStatus",
    "Color",
    "Causes",
    "ApplicationMetrics",
    "RefreshedAt",
    "LaunchedAt",
    "System",
    "Deployment",
    "AvailabilityZone",
    "InstanceType",
)


def describe_instances_health(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    try:
        env = ctx.state.target(params)
    except ApiError as error:  # the model names InvalidRequestException here too
        raise ApiError("InvalidRequestException", error.message) from None
    wanted = params.get("AttributeNames") or []
    if "All" in wanted:
        wanted = list(INSTANCE_ATTRIBUTES)
    instances = [env] if has_instance(env) else []
    return {
        "InstanceHealthList": [_instance(ctx, each, wanted) for each in instances],
        "RefreshedAt": ctx.now,
    }


def _instance(ctx: Context, env: Environment, wanted: list[str]) -> dict[str, Any]:
    deployed = env.deployed_at or env.created
    everything: dict[str, Any] = {
        "HealthStatus": env.health_status,
        "Color": env.health,
        "Causes": env.causes,
        "ApplicationMetrics": {"Duration": 10, "RequestCount": 0},
        "LaunchedAt": env.created,
        "System": {
            "CPUUtilization": {"User": 1.0, "Nice": 0.0, "System": 0.5, "Idle": 98.5},
            "LoadAverage": [0.0, 0.01, 0.05],
        },
        "Deployment": {
            "VersionLabel": env.version_label or "Sample Application",
            "DeploymentId": 1,
            "Status": "InProgress" if env.op and env.op.kind == "update" else "Deployed",
            "DeploymentTime": deployed,
        },
        "AvailabilityZone": ctx.state.region + ZONE_SUFFIX,
        "InstanceType": _option(env, "aws:autoscaling:launchconfiguration", "InstanceType"),
    }
    # "RefreshedAt" is the list's, not an instance's; the rest as asked.
    picked = {name: everything[name] for name in wanted if name in everything}
    return {"InstanceId": instance_id(env)} | picked


def _option(env: Environment, namespace: str, name: str) -> str | None:
    found = [
        o for o in env.options if (o.get("Namespace"), o.get("OptionName")) == (namespace, name)
    ]
    return found[0].get("Value") if found else None


def create_storage_location(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    bucket = storage_bucket(ctx.state.region, ctx.state.account)
    ensure_bucket(bucket, ctx.state.region, ctx.state.account)
    return {"S3Bucket": bucket}


def request_environment_info(ctx: Context, params: dict[str, Any]) -> None:
    env = ctx.state.target(params)
    kind = params["InfoType"]
    if kind == "analyze":
        raise errors.invalid("The simulator does not support InfoType analyze.")
    bucket = storage_bucket(ctx.state.region, ctx.state.account)
    ensure_bucket(bucket, ctx.state.region, ctx.state.account)
    stamp = ctx.now.strftime("%Y%m%dT%H%M%SZ")
    suffix = "out" if kind == "tail" else "zip"
    key = f"resources/environments/logs/{kind}/{env.id}/{instance_id(env)}/{kind}-{stamp}.{suffix}"
    put_object(bucket, key, _logs(env, kind), ctx.state.account)
    env.info.append({"InfoType": kind, "Key": key, "Bucket": bucket, "At": ctx.now})
    # The texts the EB CLI waits for (`eb logs`: logs.pulled, ebcli/resources/strings.py);
    # "requestEnvironmentInfo is starting." follows EB's "<operation> is starting." pattern.
    ctx.event("requestEnvironmentInfo is starting.", env=env)
    ctx.event("Pulled logs for environment instances.", env=env)


def _logs(env: Environment, kind: str) -> bytes:
    text = (
        f"----------------------------------------\n/var/log/web.stdout.log\n"
        f"----------------------------------------\n"
        f"{env.name}: serving version {env.version_label or 'Sample Application'}\n"
    )
    if kind == "tail":
        return text.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("var/log/web.stdout.log", text)
    return buffer.getvalue()


def retrieve_environment_info(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    env = ctx.state.target(params)
    kind = params["InfoType"]
    return {
        "EnvironmentInfo": [
            {
                "InfoType": kind,
                "Ec2InstanceId": instance_id(env),
                "SampleTimestamp": info["At"],
                "Message": presigned_url(
                    ctx.endpoint_url, ctx.state.region, info["Bucket"], info["Key"]
                ),
            }
            for info in env.info
            if info["InfoType"] == kind
        ]
    }
