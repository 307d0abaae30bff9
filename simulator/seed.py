"""Helpers that set up a release target through the real AWS API (boto3 against a running
simulator): bucket, bundles, application, processed versions, and a live "blue" environment.

Used by the demo and by other packages' tests: `seed_release_target(sim)`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import ClientError

from simulator.bundles import make_bundle
from simulator.eb.models import SOLUTION_STACK

if TYPE_CHECKING:
    from simulator.core import Simulator

__all__ = [
    "SOLUTION_STACK",
    "Clients",
    "ReleaseTarget",
    "SeedTimeout",
    "add_version",
    "make_bundle",
    "seed_release_target",
    "wait_for_environment",
    "wait_for_version",
]

Manifest = Mapping[str, Any]  # keyword arguments of make_bundle, e.g. {"status": 500}


class SeedTimeout(TimeoutError):
    """The simulator did not reach the awaited state in time."""


@dataclass(frozen=True)
class Clients:
    """The boto3 clients seeding needs, and how often to poll."""

    eb: Any
    s3: Any
    poll: float = 0.05

    @classmethod
    def of(cls, target: Simulator | Clients) -> Clients:
        if isinstance(target, Clients):
            return target
        return cls(
            target.client("elasticbeanstalk"), target.client("s3"), target.timing.poll_interval()
        )

    @classmethod
    def from_environment(cls, poll: float = 0.05) -> Clients:
        """Clients configured by the environment (AWS_ENDPOINT_URL, as `serve` prints)."""
        return cls(boto3.client("elasticbeanstalk"), boto3.client("s3"), poll)


@dataclass(frozen=True)
class ReleaseTarget:
    """What `seed_release_target` made: the facts a release starts from."""

    app: str
    blue: str
    blue_id: str
    cname: str
    bucket: str
    live_version: str
    versions: tuple[str, ...]


def add_version(
    target: Simulator | Clients,
    app: str,
    label: str,
    bucket: str = "artifacts",
    process: bool = True,
    wait: bool = True,
    **manifest: Any,
) -> str:
    """Upload a bundle built from `manifest` and register it as version `label` of `app`."""
    clients = Clients.of(target)
    key = f"{app}/{label}.zip"
    clients.s3.put_object(Bucket=bucket, Key=key, Body=make_bundle(label, **manifest))
    clients.eb.create_application_version(
        ApplicationName=app,
        VersionLabel=label,
        SourceBundle={"S3Bucket": bucket, "S3Key": key},
        Process=process,
    )
    if process and wait:
        wait_for_version(clients, app, label)
    return key


def seed_release_target(
    target: Simulator | Clients,
    app: str = "shop",
    blue: str = "shop-blue",
    versions: Mapping[str, Manifest] | None = None,
    bucket: str = "artifacts",
    live_version: str = "v1",
    cname_prefix: str | None = None,
    timeout: float = 30.0,
    options: list[dict[str, str]] | None = None,
) -> ReleaseTarget:
    """Bucket, bundles, app, processed versions, and blue Ready/Green on `live_version`
    (created with the option settings `options`, if given)."""
    clients = Clients.of(target)
    versions = versions if versions is not None else {"v1": {}, "v2": {}}
    _ensure_bucket(clients, bucket)
    _ensure_application(clients, app)
    for label, manifest in versions.items():
        add_version(clients, app, label, bucket, wait=False, **manifest)
    for label in versions:
        wait_for_version(clients, app, label, timeout)
    _create_environment(clients, app, blue, live_version, cname_prefix, options or [])
    env = wait_for_environment(clients, blue, health="Green", timeout=timeout)
    return ReleaseTarget(
        app, blue, env["EnvironmentId"], env["CNAME"], bucket, live_version, tuple(versions)
    )


def _create_environment(
    clients: Clients,
    app: str,
    name: str,
    version: str,
    cname_prefix: str | None,
    settings: list[dict[str, str]],
) -> None:
    options: dict[str, Any] = {"CNAMEPrefix": cname_prefix} if cname_prefix else {}
    if settings:
        options["OptionSettings"] = settings
    clients.eb.create_environment(
        ApplicationName=app,
        EnvironmentName=name,
        SolutionStackName=SOLUTION_STACK,
        VersionLabel=version,
        **options,
    )


def _ensure_bucket(clients: Clients, bucket: str) -> None:
    region = clients.s3.meta.region_name
    where = {} if region == "us-east-1" else {"LocationConstraint": region}
    try:
        clients.s3.create_bucket(
            Bucket=bucket, **({"CreateBucketConfiguration": where} if where else {})
        )
    except ClientError as error:
        if error.response["Error"]["Code"] != "BucketAlreadyOwnedByYou":
            raise


def _ensure_application(clients: Clients, app: str) -> None:
    if not clients.eb.describe_applications(ApplicationNames=[app])["Applications"]:
        clients.eb.create_application(ApplicationName=app)


def wait_for_version(
    target: Simulator | Clients, app: str, label: str, timeout: float = 30.0
) -> dict[str, Any]:
    """Poll until version `label` is no longer Processing; returns its description."""
    clients = Clients.of(target)
    deadline = time.monotonic() + timeout
    while True:
        found = clients.eb.describe_application_versions(
            ApplicationName=app, VersionLabels=[label]
        )["ApplicationVersions"]
        if found and found[0]["Status"] not in ("PROCESSING", "BUILDING"):
            return dict(found[0])
        _pause(clients, deadline, f"version {label} still processing")


def wait_for_environment(
    target: Simulator | Clients,
    name: str,
    status: str = "Ready",
    health: str | None = None,
    timeout: float = 30.0,
) -> dict[str, Any]:
    """Poll until the newest environment `name` has `status` (and `health`)."""
    clients = Clients.of(target)
    deadline = time.monotonic() + timeout
    while True:
        envs = clients.eb.describe_environments(EnvironmentNames=[name])["Environments"]
        env = envs[-1] if envs else None
        if env and env["Status"] == status and health in (None, env["Health"]):
            return dict(env)
        seen = f"{env['Status']}/{env['Health']}" if env else "absent"
        _pause(clients, deadline, f"{name} is {seen}, awaited {status}/{health or 'any'}")


def _pause(clients: Clients, deadline: float, what: str) -> None:
    if time.monotonic() > deadline:
        raise SeedTimeout(what)
    time.sleep(clients.poll)
