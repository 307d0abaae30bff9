"""EB's validation of option settings against the option catalogue (simulator.eb.option_specs);
DescribeConfigurationOptions and ValidateConfigurationSettings serve it (option_calls.py).

Message shapes are EB's own: "Invalid option specification (Namespace: '...', OptionName:
'...'): Unknown configuration setting." (ValidateConfigurationSettings' recorded answer, ebcli
tests/unit/mock_responses.py, VALIDATE_CONFIGURATION_SETTINGS_RESPONSE__INVALID) and "Invalid
option value: 'apache' (Namespace: '...', OptionName: 'ProxyServer'): Value is not one of the
allowed values: [nginx, none]" (an EB answer quoted in a public project's notes). A refused
request is a ConfigurationValidationException whose message starts "Configuration validation
exception: " (an EB answer quoted in a Terraform configuration: "ConfigurationValidationException:
Configuration validation exception: Invalid option value: 'null' (Namespace: ...").
The texts for integers, ranges and MinSize above MaxSize are the simulator's, in that shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from simulator.eb.models import OptionSettings
from simulator.eb.option_specs import OPEN_NAMESPACES, Spec, spec_of
from simulator.protocol import ApiError

PREFIX = "Configuration validation exception: "


def problems(settings: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    """ValidationMessages (Severity error) for each setting EB would refuse, then the
    cross-option rules over the settings taken together."""
    found: list[dict[str, str]] = []
    values: dict[tuple[str, str], str] = {}
    for setting in settings:
        namespace, name = setting.get("Namespace", ""), setting.get("OptionName", "")
        text = _problem(namespace, name, setting.get("Value"))
        if text is not None:
            found.append(_message(namespace, name, text))
        values[(namespace, name)] = setting.get("Value") or ""
    return found + _cross(values)


def _problem(namespace: str, name: str, value: str | None) -> str | None:
    unknown = (
        f"Invalid option specification (Namespace: '{namespace}', OptionName: '{name}'): "
        "Unknown configuration setting."
    )
    if namespace in OPEN_NAMESPACES:
        return unknown if not name else None
    spec = spec_of(namespace, name)
    if spec is None:
        return unknown
    reason = _value_problem(spec, value)
    if reason is None:
        return None
    return _invalid(namespace, name, str(value), reason)


def _value_problem(spec: Spec, value: str | None) -> str | None:
    if value is None:
        return None  # a setting without a value names the option (OptionsToRemove-like)
    if spec.values:
        items = value.split(",") if spec.value_type == "List" else [value]
        if any(item.strip() not in spec.values for item in items):
            return f"Value is not one of the allowed values: [{', '.join(spec.values)}]"
    if spec.low is not None and spec.high is not None:
        try:
            number = int(value)
        except ValueError:
            return "Value is not an integer."
        if number < spec.low:
            return f"Value is less than the minimum allowed value: {spec.low}."
        if number > spec.high:
            return f"Value is greater than the maximum allowed value: {spec.high}."
    return None


def _cross(values: dict[tuple[str, str], str]) -> list[dict[str, str]]:
    """MinSize <= MaxSize (aws:autoscaling:asg); a Percentage BatchSize within 1-100 (the
    guide's aws:elasticbeanstalk:command table: "1 to 100 (Percentage)")."""
    asg, command = "aws:autoscaling:asg", "aws:elasticbeanstalk:command"
    low, high = _int(values.get((asg, "MinSize"))), _int(values.get((asg, "MaxSize")))
    found = []
    if low is not None and high is not None and low > high:
        found.append(_message(asg, "MinSize", _invalid(asg, "MinSize", str(low),
                     f"MinSize must be less than or equal to MaxSize ({high}).")))  # fmt: skip
    batch = _int(values.get((command, "BatchSize")))
    if values.get((command, "BatchSizeType"), "Percentage") == "Percentage" and (batch or 0) > 100:
        found.append(_message(command, "BatchSize", _invalid(command, "BatchSize", str(batch),
                     "A Percentage BatchSize must be from 1 to 100.")))  # fmt: skip
    return found


def _invalid(namespace: str, name: str, value: str, reason: str) -> str:
    where = f"(Namespace: '{namespace}', OptionName: '{name}')"
    return f"Invalid option value: '{value}' {where}: {reason}"


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _message(namespace: str, name: str, text: str) -> dict[str, str]:
    return {"Message": text, "Severity": "error", "Namespace": namespace, "OptionName": name}


def require_valid(settings: Iterable[dict[str, str]]) -> None:
    """ConfigurationValidationException for the first problem, as a refused request."""
    found = problems(settings)
    if found:
        raise ApiError("ConfigurationValidationException", PREFIX + found[0]["Message"])


def check_removals(removals: Iterable[dict[str, str]]) -> None:
    """OptionsToRemove names options too: an unknown one is refused like a setting."""
    require_valid({k: v for k, v in o.items() if k != "Value"} for o in removals)


def merged_checked(base: OptionSettings, params: dict[str, Any], merge: Any) -> OptionSettings:
    """`merge(base, OptionSettings, OptionsToRemove)` after checking the request's own
    settings (each refused on its own), then the result as a whole (the cross rules)."""
    check_removals(params.get("OptionsToRemove") or [])
    require_valid(params.get("OptionSettings") or [])
    merged: OptionSettings = merge(
        base, params.get("OptionSettings") or [], params.get("OptionsToRemove") or []
    )
    require_valid(merged)
    return merged
