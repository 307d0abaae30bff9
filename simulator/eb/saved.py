"""Saved configurations where EB keeps them: each configuration template is a YAML object in
the application's storage bucket, `resources/templates/<app>/<name>`, which the EB CLI reads
(`eb config save/get`: ebcli/operations/saved_configs.py, _get_s3_keyname_for_template) and
writes (`eb config put`), and EB reads back when the template is used.

Layout and keys: the EB guide's "Using Elastic Beanstalk saved configurations"
(environment-configuration-savedconfig.md: "Saved configurations are stored in the Elastic
Beanstalk S3 bucket in a folder named after your application", its example document and its
list of keys). Settings with a ResourceName (scheduled actions) have no documented place in the
document: the simulator refuses to save them rather than drop them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import yaml

from simulator.eb import catalog, errors
from simulator.eb.models import OptionSettings, Template
from simulator.eb.options import require_valid
from simulator.eb.state import Context
from simulator.eb.storage import (
    delete_object,
    ensure_bucket,
    keys_under,
    put_object,
    storage_bucket,
)

VERSION = "1.1.0.0"  # AWSConfigurationTemplateVersion, "(required)"


def key(app: str, name: str) -> str:
    return f"resources/templates/{app}/{name}"


def _bucket(ctx: Context) -> str:
    return storage_bucket(ctx.state.region, ctx.state.account)


def document(template: Template) -> bytes:
    """The template as EB writes it (the guide's example: metadata, platform, settings by
    namespace, tier, version, tags)."""
    if any(o.get("ResourceName") for o in template.options):
        raise errors.invalid("The simulator cannot save settings with a ResourceName.")
    settings: dict[str, dict[str, str]] = {}
    for option in template.options:
        settings.setdefault(option["Namespace"], {})[option["OptionName"]] = option.get("Value", "")
    content: dict[str, Any] = {
        "EnvironmentConfigurationMetadata": {
            "Description": template.description or "",
            "DateCreated": _millis(template.created),
            "DateModified": _millis(template.updated),
        },
        "Platform": {"PlatformArn": template.platform_arn},
        "OptionSettings": settings,
        "EnvironmentTier": {"Type": "Standard", "Name": "WebServer"},
        "AWSConfigurationTemplateVersion": VERSION,
    }
    if template.tags:
        content["Tags"] = dict(template.tags)
    text: str = yaml.safe_dump(content, sort_keys=False)
    return text.encode()


def _millis(moment: datetime) -> str:
    return str(int(moment.timestamp() * 1000))  # the guide's example: '1520633151000'


def write(ctx: Context, template: Template) -> None:
    """Put the template's document in the storage bucket (made if missing, as EB does)."""
    body = document(template)
    ensure_bucket(_bucket(ctx), ctx.state.region, ctx.state.account)
    put_object(_bucket(ctx), key(template.app, template.name), body, ctx.state.account)
    template.saved = body


def remove(ctx: Context, app: str, name: str) -> None:
    delete_object(_bucket(ctx), key(app, name), ctx.state.account)


def names(ctx: Context, app: str) -> list[str]:
    """Every saved configuration of `app`: the templates, and documents put in S3 directly."""
    prefix = key(app, "")
    stored = [k[len(prefix) :] for k in keys_under(_bucket(ctx), prefix, ctx.state.account)]
    known = [t.name for t in ctx.state.templates.values() if t.app == app]
    return list(dict.fromkeys(known + [n for n in stored if n and "/" not in n]))


def find(ctx: Context, app: str, name: str) -> Template:
    """The template as its document in S3 says now: one changed there (`eb config put`) or put
    there without CreateConfigurationTemplate is read, checked like a request and kept."""
    known = ctx.state.templates.get((app, name))
    body = ctx.bundles(_bucket(ctx), key(app, name))
    if body is None or (known is not None and body == known.saved):
        return ctx.state.template(app, name)
    template = _parse(ctx, app, name, body, known)
    ctx.state.templates[(app, name)] = template
    return template


def _parse(ctx: Context, app: str, name: str, body: bytes, known: Template | None) -> Template:
    try:
        content = yaml.safe_load(body)
    except yaml.YAMLError:
        content = None
    if not isinstance(content, dict) or "AWSConfigurationTemplateVersion" not in content:
        raise errors.invalid(f"Configuration Template {name} is not a valid saved configuration.")
    stack, arn = catalog.resolve(_platform(content), ctx.state.region)
    options = _settings(content.get("OptionSettings") or {})
    require_valid(options)
    meta = content.get("EnvironmentConfigurationMetadata") or {}
    return Template(
        app=app,
        name=name,
        description=meta.get("Description") or (known.description if known else None),
        solution_stack=stack,
        platform_arn=arn,
        options=options,
        created=known.created if known else ctx.now,
        updated=ctx.now,
        tags={str(k): str(v) for k, v in (content.get("Tags") or {}).items()},
        saved=body,
    )


def _platform(content: dict[str, Any]) -> dict[str, Any]:
    platform = content.get("Platform") or {}
    if "PlatformArn" in platform:
        return {"PlatformArn": platform["PlatformArn"]}
    if "SolutionStack" in content:
        return {"SolutionStackName": content["SolutionStack"]}
    # the EB CLI's answer when neither is there: responses['create.noplatform']
    raise errors.invalid("Unable to determine base for template pack (no solution stack)")


def _settings(by_namespace: dict[str, Any]) -> OptionSettings:
    return [
        {"Namespace": str(namespace), "OptionName": str(option), "Value": _text(value)}
        for namespace, options in by_namespace.items()
        for option, value in (options or {}).items()
    ]


def _text(value: Any) -> str:
    # YAML reads `true` as a boolean (the guide's example has `CrossZone: true`): EB's text
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
