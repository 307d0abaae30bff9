"""The fleet as EB's API shows it: DescribeEnvironmentResources (the Auto Scaling group, its
instances, the launch template, the load balancer), DescribeInstancesHealth (every
`AttributeNames` value the model lists) and DescribeEnvironmentHealth (with InstancesHealth's
eight counters), and the instances registered with the load balancer's target group.

Instance health follows the EB guide, "Health colors and statuses": Pending (Grey) while an
instance initialises, Info (Green) while a deployment runs on it, Ok (Green) when it passes;
Warning, Degraded, Severe as the share of its requests failing with 5xx grows (the simulator's
thresholds: 1 %, 10 %, 50 %), Degraded when its deployment failed, Warning when it runs another
version than the environment's. The counters and the instance fields are those of the EB CLI's
recorded responses (aws-elastic-beanstalk-cli, tests/unit/mock_responses.py,
DESCRIBE_ENVIRONMENT_HEALTH_RESPONSE and DESCRIBE_INSTANCES_HEALTH_RESPONSE).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from simulator.eb.fleet import FAILED, IN_PROGRESS, Instance
from simulator.eb.models import Environment
from simulator.eb.state import Context
from simulator.protocol import ApiError

ZONES = ("a", "b", "c")  # Auto Scaling spreads a group over the region's zones
COUNTERS = ("NoData", "Unknown", "Pending", "Ok", "Info", "Warning", "Degraded", "Severe")
COLOURS = {"Pending": "Grey", "Ok": "Green", "Info": "Green", "Warning": "Yellow"}
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
HEALTH_ATTRIBUTES = (
    "Status",
    "Color",
    "Causes",
    "ApplicationMetrics",
    "InstancesHealth",
    "HealthStatus",
    "RefreshedAt",
)


def instances(env: Environment) -> list[Instance]:
    """The group's instances, oldest first; none once the termination has begun (EB takes them
    out of the load balancer and terminates them first)."""
    if env.status in ("Terminating", "Terminated"):
        return []
    return sorted(env.fleet.instances, key=lambda each: each.launched_at)


def asg_name(env: Environment) -> str:
    return f"awseb-{env.id}-stack-AWSEBAutoScalingGroup-{env.id[2:].upper()}"


def describe_environment_resources(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    env = ctx.state.target(params)
    return {
        "EnvironmentResources": {
            "EnvironmentName": env.name,
            "AutoScalingGroups": [{"Name": asg_name(env)}],
            "Instances": [{"Id": each.id} for each in instances(env)],
            "LaunchConfigurations": [],
            "LaunchTemplates": [{"Id": "lt-0" + env.id[2:].ljust(16, "0")[:16]}],
            # An application load balancer is named by its ARN here; the EB CLI tells it from
            # a classic one by the ARN prefix (ebcli/lib/elb.py, is_classic_load_balancer) and
            # asks elbv2 for its target groups and their health (ebcli/operations/statusops.py,
            # _print_elbv2_health_stats): moto's ELBv2 has it (simulator.eb.elbv2).
            "LoadBalancers": [] if env.single_instance else [{"Name": env.balancer.arn}],
            "Triggers": [],
            "Queues": [],
        }
    }


def targets(env: Environment, now: datetime) -> list[tuple[str, Callable[[], int]]]:
    """The in-service instances as the target group's targets, with the app's answer to a
    health check (the Auto Scaling group registers them)."""
    check = env.server.status_now
    return [(each.id, check) for each in instances(env) if each.in_service(now)]


def describe_instances_health(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    env = _target(ctx, params)
    if params.get("NextToken"):  # the simulator answers in one page and issues no token
        raise ApiError("InvalidRequestException", f"Invalid NextToken: {params['NextToken']}")
    wanted = params.get("AttributeNames") or []
    if "All" in wanted:
        wanted = list(INSTANCE_ATTRIBUTES)
    return {
        "InstanceHealthList": [
            _instance(ctx, env, each, index, wanted) for index, each in enumerate(instances(env))
        ],
        "RefreshedAt": ctx.now,
    }


def _target(ctx: Context, params: dict[str, Any]) -> Environment:
    try:
        return ctx.state.target(params)
    except ApiError as error:  # the model names InvalidRequestException for these operations
        raise ApiError("InvalidRequestException", error.message) from None


def instance_health(env: Environment, each: Instance, now: datetime) -> tuple[str, list[str]]:
    """(HealthStatus, Causes) of one instance now."""
    if not each.in_service(now):
        seconds = int((now - each.launched_at).total_seconds())
        return "Pending", [f"Initialization in progress (running for {seconds} seconds)."]
    if each.deployment == IN_PROGRESS and each.busy_since is not None:
        seconds = int((now - each.busy_since).total_seconds())
        return "Info", [f"Performing application deployment (running for {seconds} seconds)."]
    if each.deployment == FAILED:
        return "Degraded", ["Application deployment failed."]
    shed = env.fleet.shed * 100
    if shed >= 1:
        status = "Severe" if shed >= 50 else "Degraded" if shed >= 10 else "Warning"
        return status, [f"{shed:.1f} % of the requests are failing with HTTP 5xx."]
    if env.status == "Ready" and each.version != env.version_label:
        expected = env.version_label or "Sample Application"
        return "Warning", [
            f'Application version {each.version} differs from the expected "{expected}".'
        ]
    if env.health_status in ("Warning", "Degraded", "Severe") and not env.op:
        return env.health_status, list(env.causes)
    return "Ok", []


def _instance(
    ctx: Context, env: Environment, each: Instance, index: int, wanted: list[str]
) -> dict[str, Any]:
    status, causes = instance_health(env, each, ctx.now)
    serving = env.fleet.serving(ctx.now)
    share = env.fleet.load / len(serving) if each in serving and serving else 0.0
    everything: dict[str, Any] = {
        "HealthStatus": status,
        "Color": COLOURS.get(status, "Red"),
        "Causes": causes,
        "ApplicationMetrics": _metrics(share, env.fleet.shed),
        "LaunchedAt": each.launched_at,
        "System": {
            "CPUUtilization": {"User": 1.0, "Nice": 0.0, "System": 0.5, "Idle": 98.5},
            "LoadAverage": [0.0, 0.01, 0.05],
        },
        "Deployment": {
            "VersionLabel": each.version or "Sample Application",
            "DeploymentId": each.deployment_id,
            "Status": each.deployment,
            "DeploymentTime": each.busy_since or each.deployed_at,
        },
        "AvailabilityZone": ctx.state.region + ZONES[index % len(ZONES)],
        "InstanceType": _option(env, "aws:autoscaling:launchconfiguration", "InstanceType"),
    }
    # "RefreshedAt" is the list's, not an instance's; the rest as asked.
    picked = {name: everything[name] for name in wanted if name in everything}
    return {"InstanceId": each.id} | picked


def _metrics(rps: float, shed: float) -> dict[str, Any]:
    """Ten seconds of requests (EB's window: the EB CLI divides RequestCount by Duration)."""
    count = round(rps * 10)
    failed = round(count * shed)
    codes = {"Status2xx": count - failed, "Status3xx": 0, "Status4xx": 0, "Status5xx": failed}
    return {"Duration": 10, "RequestCount": count, "StatusCodes": codes}


def _option(env: Environment, namespace: str, name: str) -> str | None:
    found = [
        o for o in env.options if (o.get("Namespace"), o.get("OptionName")) == (namespace, name)
    ]
    return found[-1].get("Value") if found else None


def describe_environment_health(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    env = _target(ctx, params)
    wanted = params.get("AttributeNames") or []
    if "All" in wanted:
        wanted = list(HEALTH_ATTRIBUTES)
    counts = Counter(instance_health(env, each, ctx.now)[0] for each in instances(env))
    everything = {
        "Status": env.status,  # the environment's status, as the API reference says
        "Color": env.health,
        "Causes": env.causes,
        "ApplicationMetrics": _metrics(env.fleet.load, env.fleet.shed),
        "InstancesHealth": {name: counts.get(name, 0) for name in COUNTERS},
        "HealthStatus": env.health_status,
        "RefreshedAt": ctx.now,
    }
    # "If no attribute names are specified, returns the name of the environment."
    return {"EnvironmentName": env.name} | {name: everything[name] for name in wanted}
