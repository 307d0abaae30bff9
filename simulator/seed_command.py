"""`bluegreen simulator seed`: the target the README's examples release to, made through the
AWS API of the simulator the environment points at (AWS_ENDPOINT_URL, as `serve` exports).

It refuses an endpoint that is not on loopback, so it can never create anything in AWS.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from simulator.seed import (
    Clients,
    _create_environment,
    _ensure_application,
    _ensure_bucket,
    add_version,
    wait_for_environment,
    wait_for_version,
)

BUCKET = "shop-artifacts"
LIVE_VERSION = "v41"
# Version label -> the bundle's simulator.json (see simulator/bundles.py).
VERSIONS: dict[str, dict[str, Any]] = {
    "v1": {}, "v2": {}, "v3": {}, "v41": {}, "v42": {},
    "broken": {"status": 500, "body": "boom"},
}  # fmt: skip


class NotASimulator(RuntimeError):
    """AWS_ENDPOINT_URL is unset or not on loopback."""


def simulator_endpoint() -> str:
    endpoint = os.environ.get("AWS_ENDPOINT_URL", "")
    host = urlsplit(endpoint).hostname or ""
    if not (host == "localhost" or host.startswith("127.")):
        raise NotASimulator(
            "AWS_ENDPOINT_URL does not point at a simulator on 127.0.0.1 (start one with "
            '`eval "$(bluegreen simulator serve --background --env-file sim.env)"`)'
        )
    return endpoint


def seed_readme_target(app: str, blue: str, timeout: float) -> list[str]:
    """Bucket, application, versions and a live blue; what it made, one line each."""
    endpoint = simulator_endpoint()
    clients = Clients.from_environment()
    _ensure_bucket(clients, BUCKET)
    _ensure_application(clients, app)
    known = _labels(clients, app)
    for label, manifest in VERSIONS.items():
        if label not in known:
            add_version(clients, app, label, BUCKET, wait=False, **manifest)
    for label in VERSIONS:
        wait_for_version(clients, app, label, timeout)
    env = _live_blue(clients, app, blue, timeout)
    return [
        f"simulator at {endpoint}: application {app}, bucket {BUCKET}",
        f"versions: {', '.join(VERSIONS)} (broken answers 500)",
        f"blue {blue} ({env['EnvironmentId']}) runs {env['VersionLabel']} at {env['CNAME']}",
    ]


def _labels(clients: Clients, app: str) -> set[str]:
    found = clients.eb.describe_application_versions(ApplicationName=app)["ApplicationVersions"]
    return {version["VersionLabel"] for version in found}


def _live_blue(clients: Clients, app: str, blue: str, timeout: float) -> dict[str, Any]:
    envs = clients.eb.describe_environments(ApplicationName=app, EnvironmentNames=[blue])
    if not [e for e in envs["Environments"] if e["Status"] not in ("Terminating", "Terminated")]:
        _create_environment(clients, app, blue, LIVE_VERSION, None, [])
    return wait_for_environment(clients, blue, health="Green", timeout=timeout)
