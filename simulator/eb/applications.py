"""Applications and application versions: create, describe, delete."""

from __future__ import annotations

from typing import Any

from simulator.bundles import BundleError, Manifest, read_manifest
from simulator.eb import describe, errors, saved
from simulator.eb.lifecycle import SAMPLE_APP, begin
from simulator.eb.models import PROCESSING, UNPROCESSED, Application, AppVersion
from simulator.eb.state import Context
from simulator.eb.storage import delete_object
from simulator.protocol import ApiError


def create_application(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    name = params["ApplicationName"]
    if name in ctx.state.apps:
        raise errors.invalid(f"Application {name} already exists.")
    app = _new_application(ctx, name, params)
    return {"Application": describe.application(app, ctx.state)}


def _new_application(ctx: Context, name: str, params: dict[str, Any]) -> Application:
    app = Application(
        name=name,
        arn=ctx.state.arn("application", name),
        description=params.get("Description"),
        created=ctx.now,
        updated=ctx.now,
        tags=describe.tags_from(params),
    )
    ctx.state.apps[name] = app
    ctx.event("createApplication completed successfully.", app=name)
    return app


def describe_applications(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    names = params.get("ApplicationNames")
    apps = [app for app in ctx.state.apps.values() if names is None or app.name in names]
    return {
        "Applications": [
            describe.application(app, ctx.state, saved.names(ctx, app.name)) for app in apps
        ]
    }


def delete_application(ctx: Context, params: dict[str, Any]) -> None:
    app = ctx.state.app(params["ApplicationName"])
    envs = [env for env in ctx.state.live_envs() if env.app == app.name]
    if any(env.op is not None for env in envs):
        raise ApiError(
            "OperationInProgressFailure",
            f"Unable to delete application {app.name}: an operation is in progress on one of "
            "its environments.",
        )
    if envs and not params.get("TerminateEnvByForce"):
        raise errors.invalid(
            f"Unable to delete application {app.name} because it has running environments."
        )
    for env in envs:
        begin(ctx, env, "terminate")
        ctx.event("terminateEnvironment is starting.", env=env)
    ctx.state.versions = {k: v for k, v in ctx.state.versions.items() if k[0] != app.name}
    ctx.state.templates = {k: t for k, t in ctx.state.templates.items() if k[0] != app.name}
    del ctx.state.apps[app.name]
    ctx.event("deleteApplication completed successfully.", app=app.name)


def create_application_version(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    name, label = params["ApplicationName"], params["VersionLabel"]
    if name not in ctx.state.apps and params.get("AutoCreateApplication"):
        _new_application(ctx, name, {})
    ctx.state.app(name)
    if (name, label) in ctx.state.versions:
        raise errors.invalid(f"Application Version {label} already exists.")
    manifest, valid = _source(ctx, params.get("SourceBundle"))
    process = bool(params.get("Process"))
    version = AppVersion(
        app=name,
        label=label,
        arn=ctx.state.arn("applicationversion", f"{name}/{label}"),
        description=params.get("Description"),
        bundle=params.get("SourceBundle"),
        manifest=manifest,
        process=process,
        valid=valid,
        # Real EB's statuses are capitals: the EB CLI compares `v['Status'] == 'PROCESSED'`
        # (ebcli/operations/commonops.py, wait_for_processed_app_versions) and AWS CLI
        # recordings show "Status": "UNPROCESSED" (botocore's enum documents `Processed`).
        # Without `Process=true` a version stays UNPROCESSED, and EB deploys it as it is.
        status=PROCESSING if process else UNPROCESSED,
        created=ctx.now,
        updated=ctx.now,
        processed_at=ctx.now + ctx.timing.of("process") if process else None,
        tags=describe.tags_from(params),
    )
    ctx.state.versions[(name, label)] = version
    ctx.event("createApplicationVersion completed successfully.", app=name, version=label)
    return {"ApplicationVersion": describe.version(version)}


def _source(ctx: Context, bundle: dict[str, str] | None) -> tuple[Manifest, bool]:
    """The manifest of the source bundle (read from S3 now) and whether the bundle is valid."""
    if bundle is None:
        return SAMPLE_APP, True
    bucket, key = bundle.get("S3Bucket"), bundle.get("S3Key")
    if not bucket or not key:
        raise errors.invalid("SourceBundle must specify both S3Bucket and S3Key.")
    data = ctx.bundles(bucket, key)
    if data is None:
        raise errors.missing_bundle(bucket, key)
    try:
        return read_manifest(data), True
    except BundleError:
        return Manifest(), False


def describe_application_versions(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    name, labels = params.get("ApplicationName"), params.get("VersionLabels")
    versions = [
        describe.version(v)
        for v in reversed(ctx.state.versions.values())
        if (name is None or v.app == name) and (labels is None or v.label in labels)
    ]
    return describe.page(versions, params, "ApplicationVersions")


def delete_application_version(ctx: Context, params: dict[str, Any]) -> None:
    name, label = params["ApplicationName"], params["VersionLabel"]
    ctx.state.app(name)
    ctx.state.version(name, label)
    users = [
        env.name
        for env in ctx.state.live_envs()
        if env.app == name and label in (env.version_label, env.op.version if env.op else None)
    ]
    if users:
        raise errors.invalid(
            f"Unable to delete application version '{label}' because it is being used by "
            f"environment(s) '{', '.join(users)}'."
        )
    bundle = ctx.state.versions.pop((name, label)).bundle
    # DeleteSourceBundle: "Set to true to delete the source bundle from your storage bucket"
    # (API reference); the EB CLI's `eb appversion --delete` sends it (ebcli/lib/
    # elasticbeanstalk.py, delete_application_version).
    if params.get("DeleteSourceBundle") and bundle:
        delete_object(bundle["S3Bucket"], bundle["S3Key"], ctx.state.account)
    ctx.event("deleteApplicationVersion completed successfully.", app=name, version=label)
