"""The engine wired by its real bootstrap: boto3 adapters against the simulator over HTTP,
a SQLite (or PostgreSQL) run store, the shared poller. Short health checks and deadlines."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from engine.domain.model import Mode
from engine.domain.ports.store import RunStore
from engine.operator.bootstrap import Runtime, bootstrap
from engine.operator.inputs import release_request
from engine.operator.settings import Settings, load_settings
from engine.release.interrupt import Interrupt
from engine.release.observer import NullObserver, Outcome
from engine.release.runner import Runner
from simulator import Simulator
from simulator.seed import ReleaseTarget, seed_release_target
from tests.integration.cloud.helpers import point_aws_at

GREEN = "shop-green"
QUICK = {
    "BLUEGREEN_HEALTH_INTERVAL": 0.05,
    "BLUEGREEN_HEALTH_SUCCESSES": 2,
    "BLUEGREEN_HEALTH_DEADLINE": 2,
    "BLUEGREEN_HEALTH_GRACE": 0.5,
    "BLUEGREEN_MAX_ATTEMPTS": 2,
    "BLUEGREEN_LEASE_SECONDS": 10,
    "BLUEGREEN_VISIBILITY_WINDOW": 0.5,
}


@dataclass
class Wired:
    """One runner process's worth of wiring, and shortcuts to what tests ask of it."""

    runtime: Runtime
    settings: Settings

    @property
    def runner(self) -> Runner:
        return self.runtime.runner

    @property
    def store(self) -> RunStore:
        return self.runtime.store

    def release(self, version: str, mode: Mode = Mode.FULL) -> Outcome:
        request = release_request(self.settings.model_copy(update={"version_label": version}), mode)
        return self.runner.release(request, NullObserver())

    def path(self, outcome: Outcome) -> list[str]:
        return [t.to_state.value for t in self.store.transitions(outcome.run.id)]


WiredFactory = Callable[..., Wired]


@pytest.fixture
def target(sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReleaseTarget:
    """shop-blue Ready on v1; versions v2 (good) and broken (answers 500)."""
    point_aws_at(sim, tmp_path, monkeypatch)
    versions = {"v1": {}, "v2": {}, "broken": {"status": 500}}
    return seed_release_target(sim, versions=versions)


@pytest.fixture
def database_url(history_url: str) -> str:
    return history_url


@pytest.fixture
def wired(sim: Simulator, target: ReleaseTarget, database_url: str) -> Iterator[WiredFactory]:
    """Makes wirings (each one a runner process's worth); closes them at the end."""
    made: list[Wired] = []

    def make(**overrides: object) -> Wired:
        settings = load_settings({
            "BLUEGREEN_DATABASE_URL": database_url,
            "BLUEGREEN_POLL_INTERVAL": sim.timing.poll_interval(),
            # the simulator's DNS TTL, scaled by its speed: the settle a real release needs
            "BLUEGREEN_DNS_SETTLE": sim.dns_settle_seconds,
            "BLUEGREEN_TIME_SCALE": min(1.0, 1 / sim.speed),
            "BEANSTALK_APP_NAME": target.app,
            "BLUE_ENV_NAME": target.blue,
            "GREEN_ENV_NAME": GREEN,
            **QUICK,
            **overrides,
        })  # fmt: skip
        made.append(Wired(bootstrap(settings, Interrupt()), settings))
        return made[-1]

    yield make
    for each in made:
        each.runtime.close()
