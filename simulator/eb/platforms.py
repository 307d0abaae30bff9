"""The platform operations: the solution stacks, platform versions and branches the simulator
serves (simulator.eb.catalog).

Real EB lists hundreds; the simulator lists the few it serves, with the fields the EB CLI
reads (ebcli/lib/elasticbeanstalk.py: describe_platform_version, list_platform_branches,
list_platform_versions; ebcli/objects/platform.py parses the ARN).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.eb import describe, errors
from simulator.eb.catalog import PLATFORMS, PlatformVersion, version_key
from simulator.eb.state import Context

TIERS = ["WebServer/Standard", "Worker/SQS/HTTP"]


def _summary(ctx: Context, platform: PlatformVersion) -> dict[str, Any]:
    return {
        "PlatformArn": platform.arn(ctx.state.region),
        "PlatformOwner": "AWSElasticBeanstalk",
        "PlatformStatus": "Ready",
        "PlatformCategory": platform.language,
        "OperatingSystemName": "Amazon Linux 2023",
        "OperatingSystemVersion": "2023",
        "SupportedTierList": TIERS,
        "SupportedAddonList": ["Log/S3", "Monitoring/Healthd", "WebInterface/RDS"],
        "PlatformLifecycleState": platform.lifecycle or None,
        "PlatformVersion": platform.version,
        "PlatformBranchName": platform.name,
        "PlatformBranchLifecycleState": "Supported",
    }


def _description(ctx: Context, platform: PlatformVersion) -> dict[str, Any]:
    return {
        **_summary(ctx, platform),
        "PlatformName": platform.name,
        "SolutionStackName": platform.stack,
        "DateCreated": ctx.now,
        "DateUpdated": ctx.now,
        "Description": f"{platform.name} {platform.version}",
        "Maintainer": "aws-elasticbeanstalk-platforms@amazon.com",
        "ProgrammingLanguages": [{"Name": platform.language, "Version": platform.language_version}],
        "Frameworks": [],
        "CustomAmiList": [],
        "DefaultAmiList": [],
    }


def list_available_solution_stacks(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return {
        "SolutionStacks": [p.stack for p in PLATFORMS],
        "SolutionStackDetails": [
            {"SolutionStackName": p.stack, "PermittedFileTypes": ["zip"]} for p in PLATFORMS
        ],
    }


def describe_platform_version(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    arn = params.get("PlatformArn")
    found = [p for p in PLATFORMS if arn is None or p.arn(ctx.state.region) == arn]
    if not found:
        raise errors.invalid(f"No Platform named '{arn}' found.")
    return {"PlatformDescription": _description(ctx, found[0])}


def list_platform_branches(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    names = dict.fromkeys(p.name for p in PLATFORMS)
    branches = [
        {
            "PlatformName": "Python",
            "BranchName": name,
            "LifecycleState": "Supported",
            "BranchOrder": 1,
            "SupportedTierList": TIERS,
        }
        for name in names
    ]
    fields = {"BranchName": "BranchName", "LifecycleState": "LifecycleState"}
    fields |= {"PlatformName": "PlatformName", "TierType": "SupportedTierList"}
    filters = params.get("Filters") or []
    kept = [b for b in branches if _matches(b, filters, "Attribute", fields)]
    return describe.page(kept, params, "PlatformBranchSummaryList")


def list_platform_versions(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
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
    filters = params.get("Filters") or []
    kept = []
    for platform in PLATFORMS:
        summary = _summary(ctx, platform)
        subject = summary | {"_Name": platform.name, "_Language": platform.language}
        if _matches(subject, filters, "Type", fields):
            kept.append({k: v for k, v in summary.items() if v is not None})
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
    "<": lambda value, wanted: _ordered(value, wanted[0]) < 0,
    "<=": lambda value, wanted: _ordered(value, wanted[0]) <= 0,
    ">": lambda value, wanted: _ordered(value, wanted[0]) > 0,
    ">=": lambda value, wanted: _ordered(value, wanted[0]) >= 0,
}


def _ordered(value: str, other: str) -> int:
    """-1, 0 or 1. Versions compare as numbers, 4.10.0 after 4.3.0 (the API reference's
    PlatformFilter allows `<`..`>=` on PlatformVersion, whose values are dotted version
    numbers; comparing them as text would put 4.10.0 first), any other text as text."""
    left, right = version_key(value), version_key(other)
    pair: tuple[Any, Any] = (
        (left, right) if left is not None and right is not None else (value, other)
    )
    return int(pair[0] > pair[1]) - int(pair[0] < pair[1])


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
