"""Helpers for the cloud adapters' integration tests: pointing boto3 at the simulator, and
polling with a deadline through the adapter under test (no fixed sleeps)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from cloud.aws import AwsConfig, make_session
from cloud.beanstalk import Boto3Beanstalk
from engine.domain.ports.cloud import Environment
from simulator import Simulator

POLL_SECONDS = 0.02
PAGE_SIZE = 2  # small pages, so list calls really follow NextToken
MAX_ATTEMPTS = 2  # one retry: enough to see retries, with a short backoff


def point_aws_at(sim: Simulator, directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The simulator's client variables, and no AWS config or profile from this machine."""
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(directory / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(directory / "no-credentials"))
    for name, value in sim.client_env().items():
        monkeypatch.setenv(name, value)


def beanstalk_for(sim: Simulator, retries: list[str], page_size: int = PAGE_SIZE) -> Boto3Beanstalk:
    """A Boto3Beanstalk configured like production, found through the environment."""
    config = AwsConfig(region=sim.region, max_attempts=MAX_ATTEMPTS)
    return Boto3Beanstalk(make_session(config), config, retries.append, page_size=page_size)


def wait_for(
    beanstalk: Boto3Beanstalk,
    environment_id: str,
    done: Callable[[Environment], bool],
    timeout: float = 20.0,
) -> Environment:
    """The environment once `done` holds for it; AssertionError at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        (environment,) = beanstalk.describe_environments(ids=[environment_id], include_deleted=True)
        if done(environment):
            return environment
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting: {environment}")
        time.sleep(POLL_SECONDS)


def ready(environment: Environment) -> bool:
    """Ready, with its health known (not Grey)."""
    return environment.is_ready and environment.health != "Grey"


def terminated(environment: Environment) -> bool:
    return environment.is_terminated


def version_processed(
    beanstalk: Boto3Beanstalk, app: str, label: str, timeout: float = 20.0
) -> str:
    """The version's final status once it is no longer processing."""
    deadline = time.monotonic() + timeout
    while True:
        version = beanstalk.get_version(app, label)
        if version is not None and version.status not in ("PROCESSING", "BUILDING"):
            return version.status
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for version {label}: {version}")
        time.sleep(POLL_SECONDS)
