"""Fixtures for the cloud adapters against the simulator over HTTP.

The adapters find the simulator the way production finds AWS: through the standard
AWS_ENDPOINT_URL / AWS_DEFAULT_REGION / credential variables, set here with monkeypatch.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cloud.aws import AwsConfig, make_session
from cloud.beanstalk import Boto3Beanstalk
from cloud.s3 import Boto3ArtifactStore
from simulator import Simulator
from simulator.seed import ReleaseTarget, seed_release_target
from tests.integration.cloud.helpers import MAX_ATTEMPTS, beanstalk_for, point_aws_at


@pytest.fixture
def aws_env(sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Simulator:
    point_aws_at(sim, tmp_path, monkeypatch)
    return sim


@pytest.fixture
def config(aws_env: Simulator) -> AwsConfig:
    return AwsConfig(region=aws_env.region, max_attempts=MAX_ATTEMPTS)


@pytest.fixture
def retries() -> list[str]:
    """What `on_retry` heard."""
    return []


@pytest.fixture
def beanstalk(aws_env: Simulator, retries: list[str]) -> Boto3Beanstalk:
    return beanstalk_for(aws_env, retries)


@pytest.fixture
def store(config: AwsConfig) -> Boto3ArtifactStore:
    return Boto3ArtifactStore(make_session(config), config)


@pytest.fixture
def target(aws_env: Simulator) -> ReleaseTarget:
    """App `shop` with processed versions v1 and v2, and shop-blue Ready/Green on v1."""
    return seed_release_target(aws_env)


@pytest.fixture
def application(aws_env: Simulator) -> str:
    """Only the bucket `artifacts` and the application `shop` (no version, no environment)."""
    aws_env.client("s3").create_bucket(Bucket="artifacts")
    aws_env.client("elasticbeanstalk").create_application(ApplicationName="shop")
    return "shop"
