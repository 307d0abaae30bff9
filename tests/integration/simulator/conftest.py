"""Fixtures for the simulator's own tests: a simulator on a manual clock (time moves only when
a test says so) and helpers that call it through real boto3 clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from simulator import ManualClock, Simulator, make_bundle

STACK = "64bit Amazon Linux 2023 v4.3.0 running Python 3.11"
NO_RETRIES = Config(retries={"total_max_attempts": 1})


@dataclass
class Stepped:
    """A simulator whose clock moves only with `advance()`, and its clients."""

    sim: Simulator
    eb: Any
    s3: Any

    @property
    def clock(self) -> ManualClock:
        assert isinstance(self.sim.clock, ManualClock)
        return self.sim.clock

    def advance(self, seconds: float) -> None:
        """Move simulated time (real AWS seconds at speed 1) and let it complete what is due."""
        self.clock.advance(seconds)
        self.sim.backend.tick()
        self.sim.dns.observe()  # DNS times a change when it sees it: now, not at the next tick

    def env(self, name: str) -> dict[str, Any]:
        envs = self.eb.describe_environments(EnvironmentNames=[name], IncludeDeleted=False)
        assert len(envs["Environments"]) == 1, envs
        return dict(envs["Environments"][0])

    def version(self, label: str, app: str = "shop", **manifest: Any) -> None:
        key = f"{app}/{label}.zip"
        self.s3.put_object(Bucket="artifacts", Key=key, Body=make_bundle(label, **manifest))
        self.eb.create_application_version(
            ApplicationName=app,
            VersionLabel=label,
            SourceBundle={"S3Bucket": "artifacts", "S3Key": key},
            Process=True,
        )

    def app(self, name: str = "shop", versions: tuple[str, ...] = ("v1", "v2")) -> None:
        """Bucket, application and processed versions."""
        self.s3.create_bucket(Bucket="artifacts")
        self.eb.create_application(ApplicationName=name)
        for label in versions:
            self.version(label, name)
        self.advance(10)

    def launch(
        self, name: str, version: str = "v1", app: str = "shop", **extra: Any
    ) -> dict[str, Any]:
        """Create an environment and let it finish launching."""
        created = self.eb.create_environment(
            ApplicationName=app,
            EnvironmentName=name,
            SolutionStackName=STACK,
            VersionLabel=version,
            **extra,
        )
        self.advance(181)
        return dict(created)

    def events(self, **filters: Any) -> list[dict[str, Any]]:
        return list(self.eb.describe_events(**filters)["Events"])

    def messages(self, **filters: Any) -> list[str]:
        return [event["Message"] for event in self.events(**filters)]


@pytest.fixture(scope="session")
def stepped_simulator() -> Iterator[Simulator]:
    with Simulator(clock=ManualClock(), speed=1.0) as simulator:
        yield simulator


@pytest.fixture
def stepped(stepped_simulator: Simulator) -> Iterator[Stepped]:
    stepped_simulator.reset()
    yield Stepped(
        stepped_simulator,
        stepped_simulator.client("elasticbeanstalk", config=NO_RETRIES),
        stepped_simulator.client("s3", config=NO_RETRIES),
    )
    stepped_simulator.reset()


@dataclass(frozen=True)
class Failure:
    code: str
    message: str
    status: int


def failure(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Failure:
    """The AWS error a call fails with (the test fails if it succeeds)."""
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    error = caught.value.response
    return Failure(
        error["Error"]["Code"],
        error["Error"]["Message"],
        error["ResponseMetadata"]["HTTPStatusCode"],
    )
