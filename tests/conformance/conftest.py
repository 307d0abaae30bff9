"""Fixtures for the conformance suite: AWS's own clients (installed once into
`.venv-conformance`), pointed at the session's simulator, and a project directory where
`eb init` has been run against a seeded application."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from simulator import Simulator
from simulator.seed import ReleaseTarget, seed_release_target, wait_for_environment
from tests.conformance.clients import (
    Clients,
    ClientsUnavailable,
    client_environment,
    ensure_clients,
)

APP, BLUE = "shop", "shop-blue"
# blue has a setting of its own, so a clone can be told from an environment with defaults
SCALING = {"Namespace": "aws:autoscaling:asg", "OptionName": "MaxSize", "Value": "7"}
# The EB CLI polls events every 5 s (ebcli/operations/commonops.py, wait_for_success_events
# sleep_time); at speed 200 every simulated operation lasts about a second, so each command
# must finish within a few polls.
BOUND = 40.0


@pytest.fixture(scope="session")
def client_bin() -> Path:
    """bin/ of the conformance virtualenv; under CI a failed install fails, else it skips."""
    try:
        return ensure_clients()
    except ClientsUnavailable as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"AWS's clients are needed in CI and could not be installed: {error}")
        pytest.skip(f"AWS's clients could not be installed: {error}")


@dataclass(frozen=True)
class World:
    """The simulator, the seeded target, a project directory and the clients to run there."""

    sim: Simulator
    target: ReleaseTarget
    project: Path
    clients: Clients

    def eb(self, *args: str, bound: float = BOUND, answer: str | None = None) -> Any:
        return self.clients.eb(*args, cwd=self.project, bound=bound, answer=answer)

    def aws(self, *args: str, bound: float = BOUND) -> Any:
        return self.clients.aws(*args, cwd=self.project, bound=bound)

    @property
    def boto(self) -> Any:
        return self.sim.client("elasticbeanstalk")

    def options(self, env_name: str) -> dict[tuple[str, str], str]:
        settings = self.boto.describe_configuration_settings(
            ApplicationName=APP, EnvironmentName=env_name
        )["ConfigurationSettings"][0]["OptionSettings"]
        return {(o["Namespace"], o["OptionName"]): o.get("Value", "") for o in settings}

    def env(self, env_name: str) -> dict[str, Any]:
        found = self.boto.describe_environments(EnvironmentNames=[env_name])["Environments"]
        return dict(found[-1])

    def resources(self, env_name: str) -> dict[str, Any]:
        found = self.boto.describe_environment_resources(EnvironmentName=env_name)
        return dict(found["EnvironmentResources"])


@pytest.fixture
def world(client_bin: Path, sim: Simulator, tmp_path: Path) -> World:
    """shop-blue Ready/Green on v1 (versions v1, v2), and an empty project directory."""
    return make_world(client_bin, sim, tmp_path)


@pytest.fixture(scope="module")
def shared_world(
    client_bin: Path, running_simulator: Simulator, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """One seeded world for a module whose tests only read (the session's simulator, reset)."""
    running_simulator.reset()
    yield make_world(client_bin, running_simulator, tmp_path_factory.mktemp("shared"))
    running_simulator.reset()


def make_world(client_bin: Path, sim: Simulator, base: Path) -> World:
    target = seed_release_target(sim, app=APP, blue=BLUE, options=[SCALING])
    home, project = base / "home", base / "project"
    home.mkdir()
    project.mkdir()
    clients = Clients(client_bin, client_environment(sim.client_env(), home))
    world = World(sim, target, project, clients)
    wait_for_environment(sim, BLUE, health="Green")
    return world


# The config.yml the first real `eb init` of the session wrote: later projects get a copy, as
# a checked-out project has it (test_eb_init runs the command itself every time).
_INIT_CONFIG: dict[str, str] = {}


@pytest.fixture
def initialised(world: World) -> World:
    """The project directory after a non-interactive `eb init` for the application."""
    config = world.project / ".elasticbeanstalk" / "config.yml"
    if "config.yml" not in _INIT_CONFIG:
        done = world.eb("init", APP, "--platform", "python-3.11", "--region", world.sim.region)
        assert done.code == 0, done
        _INIT_CONFIG["config.yml"] = config.read_text()
    else:
        config.parent.mkdir()
        config.write_text(_INIT_CONFIG["config.yml"])
    return world
