"""What production looks like in the simulator, read through boto3 like an operator would.

Shared by the engine's integration and end-to-end tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator import Simulator


@dataclass(frozen=True)
class Production:
    """Blue as it is now, every green ever created, the templates, what the CNAME serves."""

    blue: dict[str, Any]
    greens: list[dict[str, Any]]
    templates: list[str]
    served: tuple[int, str]

    @property
    def live_greens(self) -> list[dict[str, Any]]:
        return [g for g in self.greens if g["Status"] != "Terminated"]


def production(sim: Simulator, app: str, blue: str, green: str, cname: str) -> Production:
    eb = sim.client("elasticbeanstalk")
    (blue_env,) = eb.describe_environments(ApplicationName=app, EnvironmentNames=[blue])[
        "Environments"
    ]
    greens = eb.describe_environments(
        ApplicationName=app, EnvironmentNames=[green], IncludeDeleted=True
    )["Environments"]
    (application,) = eb.describe_applications(ApplicationNames=[app])["Applications"]
    return Production(
        blue=blue_env,
        greens=list(greens),
        templates=list(application.get("ConfigurationTemplates", [])),
        served=sim.get(f"http://{cname}/"),
    )


def assert_blue_serves(world: Production, version: str, cname: str) -> None:
    """Blue runs `version`, holds its own CNAME, and that CNAME answers with that version."""
    assert world.blue["VersionLabel"] == version
    assert world.blue["CNAME"] == cname
    assert world.blue["Status"] == "Ready"
    assert world.served == (200, f"version {version}")


def assert_clean(world: Production, greens_created: int = 1) -> None:
    """No green left running, no template left, and exactly that many greens ever made."""
    assert world.live_greens == []
    assert world.templates == []
    assert len(world.greens) == greens_created
