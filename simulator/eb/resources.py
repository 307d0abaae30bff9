"""The storage location, and environment info (tail or bundle logs, uploaded to the simulated S3
and answered as URLs). Resources and instance health: simulator.eb.fleet_api."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from simulator.eb import errors
from simulator.eb.fleet import first_instance_id
from simulator.eb.models import Environment
from simulator.eb.state import Context
from simulator.eb.storage import ensure_bucket, presigned_url, put_object, storage_bucket


def instance_id(env: Environment) -> str:
    """The instance whose logs are pulled: the environment's first (simulator.eb.fleet)."""
    return first_instance_id(env.id)


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
