"""Shared fixtures: a running simulator (one per session, reset before each test that uses it)
and the opt-in `aws` marker (real AWS, only with BLUEGREEN_REAL_AWS=1)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from simulator import Simulator

# Database fixtures (SQLite files, the PostgreSQL server) shared by every suite.
pytest_plugins = ["tests.db_fixtures"]

SIMULATOR_SPEED = 200.0
REAL_AWS = os.environ.get("BLUEGREEN_REAL_AWS") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if REAL_AWS:
        return
    skip = pytest.mark.skip(reason="runs against real AWS: set BLUEGREEN_REAL_AWS=1")
    for item in items:
        if "aws" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def running_simulator() -> Iterator[Simulator]:
    """The simulator started once per test session (speed 200: a launch takes 0.9 s)."""
    with Simulator(speed=SIMULATOR_SPEED) as simulator:
        yield simulator


@pytest.fixture
def sim(running_simulator: Simulator) -> Iterator[Simulator]:
    """The session's simulator, emptied (EB state, S3, app servers, faults) for this test."""
    running_simulator.reset()
    yield running_simulator
    running_simulator.reset()


class AwsClients:
    """boto3 clients for the simulator, or for real AWS (the `real` flag says which)."""

    def __init__(self, simulator: Simulator | None) -> None:
        self.simulator = simulator
        self.real = simulator is None

    def client(self, service: str, **kwargs: Any) -> Any:
        if self.simulator is not None:
            return self.simulator.client(service, **kwargs)
        import boto3

        return boto3.client(service, **kwargs)


@pytest.fixture(params=["simulator", pytest.param("real-aws", marks=pytest.mark.aws)])
def aws_clients(request: pytest.FixtureRequest) -> AwsClients:
    """Runs a test twice: on the simulator, and on real AWS (skipped unless opted in), so
    the simulator's answers can be checked against the real service's."""
    if request.param == "real-aws":
        return AwsClients(None)
    return AwsClients(request.getfixturevalue("sim"))
