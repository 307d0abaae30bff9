"""DescribeConfigurationOptions and ValidateConfigurationSettings: the option catalogue
(simulator.eb.option_specs) and EB's checks of it (simulator.eb.options), on request."""

from __future__ import annotations

from typing import Any

from simulator.eb import catalog, describe, errors, saved
from simulator.eb.option_specs import SPECS, Spec
from simulator.eb.options import problems
from simulator.eb.state import Context


def describe_configuration_options(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The catalogue for the platform the request names (an application's template or
    environment, a stack or an ARN; the current platform by default)."""
    stack, arn = _platform_of(ctx, params)
    options = [_description(spec) for spec in SPECS]
    wanted = params.get("Options")
    if wanted:
        pairs = {(o.get("Namespace"), o.get("OptionName")) for o in wanted}
        options = [o for o in options if (o["Namespace"], o["Name"]) in pairs]
    return {
        "SolutionStackName": stack,
        "PlatformArn": arn,
        "Options": options,
        "Tier": describe.TIER,
    }


def _platform_of(ctx: Context, params: dict[str, Any]) -> tuple[str, str]:
    app = params.get("ApplicationName")
    if app is not None:
        ctx.state.app(app)
    if "TemplateName" in params:
        template = saved.find(ctx, app or "", params["TemplateName"])
        return template.solution_stack, template.platform_arn
    if "EnvironmentName" in params:
        env = ctx.state.target({"EnvironmentName": params["EnvironmentName"]})
        return env.solution_stack, env.platform_arn
    if "SolutionStackName" in params or "PlatformArn" in params:
        return catalog.resolve(params, ctx.state.region)
    return catalog.CURRENT.stack, catalog.CURRENT.arn(ctx.state.region)


def _description(spec: Spec) -> dict[str, Any]:
    # ConfigurationOptionDescription's members, as in the recorded answer (mock_responses.py).
    described: dict[str, Any] = {
        "Namespace": spec.namespace,
        "Name": spec.name,
        "DefaultValue": spec.default,
        "ChangeSeverity": spec.severity,
        "UserDefined": False,
        "ValueType": spec.value_type,
        "ValueOptions": list(spec.values) or None,
        "MinValue": spec.low,
        "MaxValue": spec.high,
    }
    return {k: v for k, v in described.items() if v is not None}


def validate_configuration_settings(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Messages for the settings asked about, together with the template's or environment's
    own (what they would make); an empty list when EB would accept them (the recorded
    VALIDATE_CONFIGURATION_SETTINGS_RESPONSE__VALID). `eb config put` asks about a saved
    configuration alone (ebcli/lib/elasticbeanstalk.py, validate_template)."""
    app = ctx.state.app(params["ApplicationName"]).name
    template, env_name = params.get("TemplateName"), params.get("EnvironmentName")
    if (template is None) == (env_name is None):
        raise errors.combination("You must specify either TemplateName or EnvironmentName.")
    if template is not None:
        base = list(saved.find(ctx, app, template).options)
    else:
        base = list(ctx.state.target({"EnvironmentName": env_name}).options)
    asked = params.get("OptionSettings") or []
    merged = {(o.get("Namespace"), o.get("OptionName")): o for o in base + asked}
    return {"Messages": problems(merged.values())}
