"""The crash test for the other strategies: `bluegreen full --strategy swap-and-keep` and
`--strategy traffic-split` SIGKILLed at every state boundary of their paths and around each
mutating call (right before it, its intent recorded; right after it, before anything about it
is committed), then `bluegreen resume` reaches the end state of an uninterrupted run: one green
ever created and one swap (swap-and-keep), one deployment and no green (traffic-split), and no
failed live request across the kill and the resume.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from simulator import Simulator
from simulator.seed import seed_release_target
from tests.e2e.cli import Cli, Done
from tests.e2e.conftest import VERSIONS

# Minutes of SIGKILL scenarios: `make test-slow` (a CI step of its own) runs them.
pytestmark = pytest.mark.slow
KEEP, SPLIT = "swap-and-keep", "traffic-split"
# (strategy, crash point, version released)
CRASH_POINTS = [
    *((KEEP, f"state:{s}", "v2") for s in (
        "preflight", "launching", "verifying_green", "going_live", "keeping_old",
        "retiring_old",
    )),
    (KEEP, "launching:after-call", "v2"),  # the template was created
    (KEEP, "launching:after-call:2", "v2"),  # green's CreateEnvironment was sent
    (KEEP, "launching:before-call:2", "v2"),
    (KEEP, "going_live:before-call", "v2"),
    (KEEP, "going_live:after-call", "v2"),  # the one swap was sent
    (KEEP, "retiring_old:before-call", "v2"),
    (KEEP, "retiring_old:after-call", "v2"),  # the old environment's TerminateEnvironment
    (KEEP, "retiring_old:after-call:2", "v2"),  # the template's DeleteConfigurationTemplate
    (KEEP, "state:rolling_back", "broken"),
    (KEEP, "rolling_back:after-call", "broken"),  # green's TerminateEnvironment
    *((SPLIT, f"state:{s}", "v2") for s in ("preflight", "splitting")),
    (SPLIT, "splitting:before-call", "v2"),
    (SPLIT, "splitting:after-call", "v2"),  # the traffic-splitting UpdateEnvironment
    (SPLIT, "state:rolling_back", "broken"),
]  # fmt: skip
IDS = [f"{strategy}-{point}" for strategy, point, _ in CRASH_POINTS]
WORKERS = 6


@dataclass(frozen=True)
class Scenario:
    strategy: str
    version: str
    blue: str
    green: str
    cname: str
    killed: Done
    resumed: Done
    states: list[str]
    live: dict[str, dict[str, Any]]  # the pair's environments that are not Terminated
    greens_created: int
    swaps: int
    updates: int  # UpdateEnvironment calls carried out for the pair
    failed_requests: list[str]


def _run_scenario(
    sim: Simulator, home: Path, history: str | None, index: int, strategy: str, point: str,
    version: str,
) -> Scenario:  # fmt: skip
    app = f"strat{index}"
    blue, green = f"{app}-blue", f"{app}-green"
    target = seed_release_target(sim, app=app, blue=blue, versions=VERSIONS)
    cli = Cli(sim, home / app, database_url=history or "")
    names = {"BEANSTALK_APP_NAME": app, "BLUE_ENV_NAME": blue, "GREEN_ENV_NAME": green,
             "BLUEGREEN_STRATEGY": strategy, "BLUEGREEN_CANARY_MINUTES": "3"}  # fmt: skip
    with sim.live_traffic(f"http://{target.cname}/", interval=0.02) as traffic:
        killed = cli.run(
            "full", **names, VERSION_LABEL=version, BLUEGREEN_TEST_CRASH_AT=point,
            BLUEGREEN_LEASE_SECONDS="3",
        )  # fmt: skip
        resumed = cli.run("resume", killed.run_id, **names, BLUEGREEN_VISIBILITY_WINDOW="2")
    failed = [f"{f.at:.2f} s: {f.status} {f.detail}" for f in traffic.stop().failures]
    eb = sim.client("elasticbeanstalk")
    every = eb.describe_environments(
        ApplicationName=app, EnvironmentNames=[blue, green], IncludeDeleted=True
    )["Environments"]
    ids = {e["EnvironmentId"] for e in every}
    live = {e["EnvironmentName"]: e for e in every if e["Status"] != "Terminated"}
    swaps = [c for c in sim.calls.performed("SwapEnvironmentCNAMEs")
             if c.params.get("SourceEnvironmentId") in ids]  # fmt: skip
    updates = [c for c in sim.calls.performed("UpdateEnvironment")
               if c.params.get("EnvironmentId") in ids]  # fmt: skip
    return Scenario(
        strategy, version, blue, green, target.cname, killed, resumed, cli.states(killed.run_id),
        live, sum(e["EnvironmentName"] == green for e in every), len(swaps), len(updates), failed,
    )  # fmt: skip


@pytest.fixture(scope="module")
def scenarios(
    running_simulator: Simulator,
    tmp_path_factory: pytest.TempPathFactory,
    shared_history_url: str | None,
) -> Iterator[dict[str, Scenario]]:
    sim = running_simulator
    sim.reset()
    home = tmp_path_factory.mktemp("crash-strategies")
    with ThreadPoolExecutor(WORKERS) as pool:
        futures = {
            name: pool.submit(_run_scenario, sim, home, shared_history_url, index, *crash)
            for index, (name, crash) in enumerate(zip(IDS, CRASH_POINTS, strict=True))
        }
        done = {name: future.result() for name, future in futures.items()}
    yield done
    sim.reset()


@pytest.mark.parametrize("name", IDS)
def test_a_run_killed_there_is_resumed_to_the_end_state_of_an_uninterrupted_run(
    scenarios: dict[str, Scenario], name: str
) -> None:
    s = scenarios[name]

    assert s.killed.exit_code == -9, s.killed
    assert s.resumed.run_id == s.killed.run_id
    if s.version == "broken":
        assert s.resumed.exit_code == 1, s.resumed
        assert s.states[-1] == "rolled_back"
        assert list(s.live) == [s.blue]
        assert (s.live[s.blue]["CNAME"], s.live[s.blue]["VersionLabel"]) == (s.cname, "v1")
        assert s.swaps == 0
    elif s.strategy == KEEP:
        assert s.resumed.exit_code == 0, s.resumed
        assert s.states[-1] == "succeeded"
        assert list(s.live) == [s.green], "the old environment was retired"
        assert (s.live[s.green]["CNAME"], s.live[s.green]["VersionLabel"]) == (s.cname, "v2")
        assert s.swaps == 1 and s.updates == 0
    else:
        assert s.resumed.exit_code == 0, s.resumed
        assert s.states[-1] == "succeeded"
        assert list(s.live) == [s.blue]
        assert (s.live[s.blue]["CNAME"], s.live[s.blue]["VersionLabel"]) == (s.cname, "v2")
        assert s.swaps == 0 and s.updates == 1
    assert s.greens_created == (1 if s.strategy == KEEP else 0)


@pytest.mark.parametrize("name", IDS)
def test_live_traffic_sees_no_failed_request_across_the_kill_and_the_resume(
    scenarios: dict[str, Scenario], name: str
) -> None:
    assert scenarios[name].failed_requests == []


# swap-and-keep adopting the environment `--keep-old forever` kept (the second release of the
# pair): killed at each state boundary of its path and around its one deploy, then resumed.
ADOPT_POINTS = [
    *(f"state:{s}" for s in ("preflight", "launching", "verifying_green", "going_live",
                             "retiring_old")),
    "launching:before-call",  # the deploy to the kept environment, its intent recorded
    "launching:after-call",  # the deploy was sent: resume waits for it, never deploys again
    "going_live:after-call",  # the one swap
]  # fmt: skip
ADOPT_VERSIONS = {**VERSIONS, "v3": {}}
ADOPT_WORKERS = 4  # two releases and a resume each: fewer at once on a small machine
ADOPT_TIMEOUT = 240.0  # a cap per command (the default 60 s is short for 4 at once)


@dataclass(frozen=True)
class Adoption:
    blue: str
    blue_id: str
    green: str
    cname: str
    first: Done
    killed: Done
    resumed: Done
    states: list[str]
    live: dict[str, dict[str, Any]]
    created: int  # CreateEnvironment calls carried out for the pair after the seed
    deploys: list[tuple[str, str]]  # (environment id, version) of each deploy carried out
    failed_requests: list[str]


def _run_adoption(
    sim: Simulator, home: Path, history: str | None, index: int, point: str
) -> Adoption:
    app = f"adopt{index}"
    blue, green = f"{app}-blue", f"{app}-green"
    target = seed_release_target(sim, app=app, blue=blue, versions=ADOPT_VERSIONS)
    cli = Cli(sim, home / app, database_url=history or "")
    names = {"BEANSTALK_APP_NAME": app, "BLUE_ENV_NAME": blue, "GREEN_ENV_NAME": green,
             "BLUEGREEN_STRATEGY": KEEP, "BLUEGREEN_KEEP_OLD": "forever"}  # fmt: skip
    first = cli.run("full", **names, VERSION_LABEL="v2", timeout=ADOPT_TIMEOUT)
    with sim.live_traffic(f"http://{target.cname}/", interval=0.02) as traffic:
        killed = cli.run(
            "full", **names, VERSION_LABEL="v3", BLUEGREEN_TEST_CRASH_AT=point,
            BLUEGREEN_LEASE_SECONDS="3", timeout=ADOPT_TIMEOUT,
        )  # fmt: skip
        resumed = cli.run("resume", killed.run_id, **names, BLUEGREEN_VISIBILITY_WINDOW="2",
                          timeout=ADOPT_TIMEOUT)  # fmt: skip
    failed = [f"{f.at:.2f} s: {f.status} {f.detail}" for f in traffic.stop().failures]
    every = sim.client("elasticbeanstalk").describe_environments(
        ApplicationName=app, EnvironmentNames=[blue, green], IncludeDeleted=True
    )["Environments"]
    ids = {e["EnvironmentId"] for e in every}
    created = [  # blue's CreateEnvironment is the seed's
        c for c in sim.calls.performed("CreateEnvironment")
        if c.params.get("ApplicationName") == app and c.params.get("EnvironmentName") != blue
    ]  # fmt: skip
    deploys = [(c.params["EnvironmentId"], c.params.get("VersionLabel", ""))
               for c in sim.calls.performed("UpdateEnvironment")
               if c.params.get("EnvironmentId") in ids]  # fmt: skip
    live = {e["EnvironmentName"]: e for e in every if e["Status"] != "Terminated"}
    return Adoption(
        blue, target.blue_id, green, target.cname, first, killed, resumed,
        cli.states(killed.run_id), live, len(created), deploys, failed,
    )  # fmt: skip


@pytest.fixture(scope="module")
def adoptions(
    running_simulator: Simulator,
    tmp_path_factory: pytest.TempPathFactory,
    shared_history_url: str | None,
) -> Iterator[dict[str, Adoption]]:
    sim = running_simulator
    sim.reset()
    home = tmp_path_factory.mktemp("crash-adoption")
    with ThreadPoolExecutor(ADOPT_WORKERS) as pool:
        futures = {
            point: pool.submit(_run_adoption, sim, home, shared_history_url, index, point)
            for index, point in enumerate(ADOPT_POINTS)
        }
        done = {point: future.result() for point, future in futures.items()}
    yield done
    sim.reset()


@pytest.mark.parametrize("point", ADOPT_POINTS)
def test_a_release_adopting_the_kept_environment_killed_there_is_resumed_to_its_end(
    adoptions: dict[str, Adoption], point: str
) -> None:
    a = adoptions[point]

    assert a.first.exit_code == 0, a.first
    assert a.killed.exit_code == -9, a.killed
    assert a.resumed.exit_code == 0, a.resumed
    assert a.states[-1] == "succeeded" and "launching" in a.states
    assert {n: e["VersionLabel"] for n, e in a.live.items()} == {a.blue: "v3", a.green: "v2"}
    assert a.live[a.blue]["CNAME"] == a.cname, "the kept environment is live on v3"
    assert a.live[a.blue]["EnvironmentId"] == a.blue_id, "adopted, never created again"
    assert a.created == 1, "only the first release created an environment"
    assert a.deploys == [(a.blue_id, "v3")], "one deploy to the kept environment"
    assert a.failed_requests == []
