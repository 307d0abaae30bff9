"""The platform catalogue: one managed platform (the stack every simulated environment runs),
its branch, and the configuration options EB describes for it.

Real EB lists hundreds; the simulator lists the one it can run, with the fields the EB CLI
reads (ebcli/lib/elasticbeanstalk.py: describe_platform_version, list_platform_branches,
list_platform_versions; ebcli/objects/platform.py parses the ARN).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.eb import describe, errors
from simulator.eb.models import DEFAULT_OPTIONS, PLATFORM_ARN, SOLUTION_STACK
from simulator.eb.state import Context

BRANCH = "Python 3.11 running on 64bit Amazon Linux 2023"
PLATFORM_NAME = "Python 3.11 running on 64bit Amazon Linux 2023"
PLATFORM_VERSION = "4.3.0"
TIERS = ["WebServer/Standard", "Worker/SQS/HTTP"]


def _summary(ctx: Context) -> dict[str, Any]:
    return {
        "PlatformArn": PLATFORM_ARN.format(region=ctx.state.region),
        "PlatformOwner": "AWSElasticBeanstalk",
        "PlatformStatus": "Ready",
        "PlatformCategory": "Python",
        "OperatingSystemName": "Amazon Linux 2023",
        "OperatingSystemVersion": "2023",
        "SupportedTierList": TIERS,
        "SupportedAddonList": ["Log/S3", "Monitoring/Healthd", "WebInterface/RDS"],
        "PlatformLifecycleState": "Recommended",
        "PlatformVersion": PLATFORM_VERSION,
        "PlatformBranchName": BRANCH,
        "PlatformBranchLifecycleState": "Supported",
    }


def _description(ctx: Context) -> dict[str, Any]:
    summary = _summary(ctx)
    return {
        **{k: v for k, v in summary.items() if k != "PlatformLifecycleState"},
        "PlatformName": PLATFORM_NAME,
        "SolutionStackName": SOLUTION_STACK,
        "DateCreated": ctx.now,
        "DateUpdated": ctx.now,
        "Description": f"{PLATFORM_NAME} {PLATFORM_VERSION}",
        "Maintainer": "aws-elasticbeanstalk-platforms@amazon.com",
        "ProgrammingLanguages": [{"Name": "Python", "Version": "3.11"}],
        "Frameworks": [],
        "CustomAmiList": [],
        "DefaultAmiList": [],
        "PlatformLifecycleState": "Recommended",
    }


def list_available_solution_stacks(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return {
        "SolutionStacks": [SOLUTION_STACK],
        "SolutionStackDetails": [
            {"SolutionStackName": SOLUTION_STACK, "PermittedFileTypes": ["zip"]}
        ],
    }


def describe_platform_version(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    arn = params.get("PlatformArn")
    if arn is not None and arn != PLATFORM_ARN.format(region=ctx.state.region):
        raise errors.invalid(f"No Platform named '{arn}' found.")
    return {"PlatformDescription": _description(ctx)}


def list_platform_branches(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    branch = {
        "PlatformName": "Python",
        "BranchName": BRANCH,
        "LifecycleState": "Supported",
        "BranchOrder": 1,
        "SupportedTierList": TIERS,
    }
    fields = {"BranchName": "BranchName", "LifecycleState": "LifecycleState"}
    fields |= {"PlatformName": "PlatformName", "TierType": "SupportedTierList"}
    kept = [branch] if _matches(branch, params.get("Filters") or [], "Attribute", fields) else []
    return describe.page(kept, params, "PlatformBranchSummaryList")


def list_platform_versions(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    summary = _summary(ctx)
    fields = {
        "PlatformName": "_Name",
        "PlatformVersion": "PlatformVersion",
        "PlatformStatus": "PlatformStatus",
        "PlatformBranchName": "PlatformBranchName",
        "PlatformLifecycleState": "PlatformLifecycleState",
        "PlatformOwner": "PlatformOwner",
        "SupportedTier": "SupportedTierList",
        "SupportedAddon": "SupportedAddonList",
        "ProgrammingLanguageName": "_Language",
        "OperatingSystemName": "OperatingSystemName",
    }
    subject = summary | {"_Name": PLATFORM_NAME, "_Language": "Python"}
    kept = [summary] if _matches(subject, params.get("Filters") or [], "Type", fields) else []
    return describe.page(kept, params, "PlatformSummaryList")


# Filter operators of PlatformFilter and SearchFilter (the API reference's lists).
OPERATORS: dict[str, Callable[[str, list[str]], bool]] = {
    "=": lambda value, wanted: value in wanted,
    "!=": lambda value, wanted: value not in wanted,
    "in": lambda value, wanted: value in wanted,
    "not_in": lambda value, wanted: value not in wanted,
    "contains": lambda value, wanted: any(w in value for w in wanted),
    "begins_with": lambda value, wanted: any(value.startswith(w) for w in wanted),
    "ends_with": lambda value, wanted: any(value.endswith(w) for w in wanted),
    "<": lambda value, wanted: value < wanted[0],
    "<=": lambda value, wanted: value <= wanted[0],
    ">": lambda value, wanted: value > wanted[0],
    ">=": lambda value, wanted: value >= wanted[0],
}


def _matches(
    item: dict[str, Any], filters: list[dict[str, Any]], key: str, fields: dict[str, str]
) -> bool:
    for each in filters:
        name, operator = each.get(key, ""), each.get("Operator", "=")
        if name not in fields or operator not in OPERATORS:
            raise errors.invalid(f"Invalid filter: {name} {operator}.")
        value, wanted = item[fields[name]], list(each.get("Values") or [])
        values = value if isinstance(value, list) else [value]
        if not any(OPERATORS[operator](str(v), wanted) for v in values):
            return False
    return True


def describe_configuration_options(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The options the simulator knows (every environment's defaults), as DefaultValue."""
    if "ApplicationName" in params:
        ctx.state.app(params["ApplicationName"])
    if "TemplateName" in params:
        ctx.state.template(params["ApplicationName"] or "", params["TemplateName"])
    if "EnvironmentName" in params:
        ctx.state.target({"EnvironmentName": params["EnvironmentName"]})
    options = [
        {
            "Namespace": namespace,
            "Name": name,
            "DefaultValue": value,
            "ChangeSeverity": "RestartEnvironment",
            "UserDefined": False,
            "ValueType": "Scalar",
        }
        for namespace, name, value in DEFAULT_OPTIONS
    ]
    wanted = params.get("Options")
    if wanted:
        pairs = {(o.get("Namespace"), o.get("OptionName")) for o in wanted}
        options = [o for o in options if (o["Namespace"], o["Name"]) in pairs]
    return {
        "SolutionStackName": SOLUTION_STACK,
        "PlatformArn": PLATFORM_ARN.format(region=ctx.state.region),
        "Options": options,
        "Tier": describe.TIER,
    }
