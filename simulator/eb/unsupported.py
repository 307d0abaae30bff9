"""Request members the model knows but the simulator does not act on: refused, never ignored.

A parameter silently dropped makes a client believe it got what it asked for (issue 9: `eb clone`
made an environment with default settings). AWS documents no such refusal; it is the stricter
choice. A member whose value means "the default" is accepted, since ignoring it changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.eb import errors


def _never(value: Any) -> bool:
    return False


def _true(value: Any) -> bool:
    return value is True


def _web_tier(value: Any) -> bool:
    return bool(value.get("Name", "WebServer") == "WebServer") and value.get("Type") in (
        None,
        "Standard",
    )


# The EB CLI's extended model gives DescribeConfigurationSettings these; the simulator
# describes what exists and computes no what-if settings.
SETTINGS_EXTRAS = (
    "Options",
    "OptionsToRemove",
    "OptionSettings",
    "PlatformArn",
    "SolutionStackName",
    "TemplateSpecification",
    "Tier",
    "VersionLabel",
)

# The EB CLI's extended model gives ValidateConfigurationSettings these; it sends none.
VALIDATE_EXTRAS = (
    "Options",
    "OptionsToRemove",
    "PlatformArn",
    "SolutionStackName",
    "TemplateSpecification",
    "VersionLabel",
)

# operation -> member -> whether a value is acceptable although the simulator ignores it
IGNORED: dict[str, dict[str, Callable[[Any], bool]]] = {
    "CreateApplication": {"ResourceLifecycleConfig": _never},
    "CreateApplicationVersion": {
        "SourceBuildInformation": _never,
        "BuildConfiguration": _never,
        "ImageConfiguration": _never,
        "SourceBundleUrl": _never,
    },
    "DescribeConfigurationSettings": dict.fromkeys(SETTINGS_EXTRAS, _never),
    "CreateConfigurationTemplate": {"Tier": _web_tier, "VersionLabel": _never},
    "DescribeConfigurationOptions": dict.fromkeys(
        ("OptionSettings", "OptionsToRemove", "TemplateSpecification", "VersionLabel"), _never
    )
    | {"Tier": _web_tier},
    "CreateEnvironment": {"GroupName": _never, "OperationsRole": _never, "Tier": _web_tier},
    "UpdateEnvironment": {"GroupName": _never, "Tier": _web_tier, "TemplateSpecification": _never},
    # ForceTerminate only matters for environments in an invalid state; resources always go.
    # `eb config put` sends it only to name a platform for a saved configuration without one
    # (ebcli/operations/saved_configs.py, validate_config_file): not supported, saved
    # configurations name their platform here.
    "ValidateConfigurationSettings": dict.fromkeys(VALIDATE_EXTRAS, _never) | {"Tier": _web_tier},
    "TerminateEnvironment": {"TerminateResources": _true, "ForceTerminate": lambda v: True},
}


def refuse_ignored(action: str, params: dict[str, Any]) -> None:
    """InvalidParameterValue for a member of `action` the simulator would have to ignore."""
    for member, acceptable in IGNORED.get(action, {}).items():
        if member in params and not acceptable(params[member]):
            raise errors.invalid(f"The simulator does not support {member} on {action}.")
