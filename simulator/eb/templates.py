"""Configuration templates: save an environment's configuration, describe it, delete it."""

from __future__ import annotations

from typing import Any

from simulator.eb import catalog, describe, errors, saved
from simulator.eb.models import OptionSettings, Template, default_options
from simulator.eb.options import merged_checked
from simulator.eb.state import Context
from simulator.protocol import ApiError


def create_configuration_template(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    app, name = params["ApplicationName"], params["TemplateName"]
    ctx.state.app(app)
    if (app, name) in ctx.state.templates:
        raise errors.invalid(f"Configuration Template {name} already exists.")
    stack, platform, options = _base(ctx, app, params)
    template = Template(
        app=app,
        name=name,
        description=params.get("Description"),
        solution_stack=stack,
        platform_arn=platform,
        options=merged_checked(options, params, merge_options),
        created=ctx.now,
        updated=ctx.now,
        tags=describe.tags_from(params),
    )
    saved.write(ctx, template)  # where the EB CLI reads it (`eb config save`)
    ctx.state.templates[(app, name)] = template
    ctx.event("createConfigurationTemplate completed successfully.", app=app, template=name)
    return describe.template(template)


def _base(ctx: Context, app: str, params: dict[str, Any]) -> tuple[str, str, OptionSettings]:
    """Where the template's configuration comes from: an environment, a template or a stack."""
    specified = template_source(ctx, app, params)
    if specified is not None:
        return specified
    if "EnvironmentId" in params:
        env = ctx.state.envs.get(params["EnvironmentId"])
        if env is None or not env.live or env.app != app:
            raise errors.no_environment("EnvironmentId", params["EnvironmentId"])
        return env.solution_stack, env.platform_arn, list(env.options)
    source = params.get("SourceConfiguration")
    if source:
        other = saved.find(ctx, source.get("ApplicationName", app), source["TemplateName"])
        return other.solution_stack, other.platform_arn, list(other.options)
    if "SolutionStackName" in params or "PlatformArn" in params:
        return *named_platform(ctx, params), default_options()
    raise errors.invalid(
        "You must specify an EnvironmentId, SourceConfiguration, SolutionStackName or PlatformArn."
    )


def template_source(
    ctx: Context, app: str, params: dict[str, Any]
) -> tuple[str, str, OptionSettings] | None:
    """The configuration a `TemplateSpecification` names (a member of the EB CLI's extended
    model only): `eb clone` and `eb config save` send `TemplateSource.EnvironmentName`
    (ebcli/lib/elasticbeanstalk.py, clone_environment, create_configuration_template).

    A stack or platform in the request itself overrides the source's (`eb clone` sends the
    original's platform alongside). Snippets, parameters and raw template contents are refused:
    the simulator cannot apply them, and dropping them would be a silent lie.
    """
    spec = params.get("TemplateSpecification")
    if spec is None:
        return None
    if spec.get("TemplateSnippets") or spec.get("Parameters"):
        raise errors.invalid("The simulator does not support TemplateSnippets or Parameters.")
    source = spec.get("TemplateSource") or {}
    if "SourceContents" in source:
        raise errors.invalid("The simulator does not support TemplateSource.SourceContents.")
    if "EnvironmentName" in source:
        env = ctx.state.target({"EnvironmentName": source["EnvironmentName"]})
        if env.app != app:
            raise errors.no_environment("EnvironmentName", source["EnvironmentName"])
        stack, arn = env.solution_stack, env.platform_arn
        if "SolutionStackName" in params or "PlatformArn" in params:
            stack, arn = named_platform(ctx, params)
        return stack, arn, list(env.options)
    if "SolutionStackName" in source or "PlatformArn" in source:
        return *named_platform(ctx, source), default_options()
    raise errors.invalid("TemplateSource must name an EnvironmentName, a stack or a platform.")


def named_platform(ctx: Context, params: dict[str, Any]) -> tuple[str, str]:
    """The solution stack and platform ARN a request names, if the simulator serves it."""
    return catalog.resolve(params, ctx.state.region)


def merge_options(
    base: OptionSettings,
    overrides: list[dict[str, str]],
    removed: list[dict[str, str]] | None = None,
) -> OptionSettings:
    """Option settings with `overrides` applied (same namespace and name: replaced) and the
    `OptionsToRemove` back at their defaults (the EB CLI's `eb setenv X=` sends them)."""
    merged = {(o.get("Namespace", ""), o.get("OptionName", "")): dict(o) for o in base}
    for option in overrides:
        merged[(option.get("Namespace", ""), option.get("OptionName", ""))] = dict(option)
    defaults = {(o["Namespace"], o["OptionName"]): o for o in default_options()}
    for option in removed or []:
        key = (option.get("Namespace", ""), option.get("OptionName", ""))
        merged.pop(key, None)
        if key in defaults:
            merged[key] = defaults[key]
    return list(merged.values())


def describe_configuration_settings(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    app = params["ApplicationName"]
    ctx.state.app(app)
    template, env_name = params.get("TemplateName"), params.get("EnvironmentName")
    if (template is None) == (env_name is None):
        raise errors.combination("You must specify either TemplateName or EnvironmentName.")
    if template is not None:
        return {"ConfigurationSettings": [describe.template(saved.find(ctx, app, template))]}
    env = ctx.state.target({"EnvironmentName": env_name})
    if env.app != app:
        raise errors.no_environment("EnvironmentName", str(env_name))
    return {"ConfigurationSettings": [describe.environment_settings(env)]}


def delete_configuration_template(ctx: Context, params: dict[str, Any]) -> None:
    app, name = params["ApplicationName"], params["TemplateName"]
    ctx.state.app(app)
    saved.find(ctx, app, name)
    launching = [
        env.name
        for env in ctx.state.live_envs()
        if env.app == app and env.template_name == name and env.status == "Launching"
    ]
    if launching:
        raise ApiError(
            "OperationInProgressFailure",
            f"Configuration Template {name} is in use by environment(s) being launched: "
            f"{', '.join(launching)}.",
        )
    del ctx.state.templates[(app, name)]
    saved.remove(ctx, app, name)
    ctx.event("deleteConfigurationTemplate completed successfully.", app=app, template=name)
