"""The crash test: `bluegreen full` SIGKILLed at every state boundary and inside each action
(right before its AWS call, its intent recorded; right after it, before anything about it is
committed), then `bluegreen resume` reaches the same end state as an uninterrupted run, with
exactly one green ever created and one swap in each direction.

The scenarios run concurrently (each on a target of its own in the shared simulator); each
one is then checked by its own test.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from simulator import Simulator
from simulator.bundles import make_bundle
from simulator.seed import ReleaseTarget, seed_release_target
from tests.e2e.cli import Cli, Done
from tests.e2e.conftest import VERSIONS
from tests.integration.release.world import (
    Production,
    assert_blue_serves,
    assert_clean,
    production,
)

LOADED = "@load"  # a crash point with this suffix runs on a blue autoscaled by a load
# Minutes of SIGKILL scenarios: `make test-slow` (a CI step of its own) runs them.
pytestmark = pytest.mark.slow
# (crash point, version released): a broken version takes the rollback path; v3 is not
# registered yet: the run uploads and registers its bundle.
CRASH_POINTS = [
    *((f"state:{s}", "v2") for s in (
        "preflight", "cloning", "swapping", "deploying", "verifying", "cutting_over",
        "baking", "cleaning_up",
    )),
    ("cloning:after-call", "v2"),  # the template was created
    ("cloning:after-call:2", "v2"),  # green's CreateEnvironment was sent
    ("swapping:after-call", "v2"),
    ("deploying:after-call", "v2"),
    ("cutting_over:after-call", "v2"),
    ("cleaning_up:after-call", "v2"),  # green's TerminateEnvironment was sent
    ("cleaning_up:after-call:2", "v2"),  # the template's DeleteConfigurationTemplate was sent
    ("swapping:before-commit", "v2"),
    # The intent is recorded, the call never sent: resume waits out the visibility window
    # (a swap) or finds nothing, then makes the call once.
    ("cloning:before-call:2", "v2"),
    ("swapping:before-call", "v2"),
    ("deploying:before-call", "v2"),
    ("cutting_over:before-call", "v2"),
    ("cleaning_up:before-call", "v2"),
    ("cleaning_up:before-call:2", "v2"),
    # A release of a new bundle: its CreateApplicationVersion is preflight's one EB call.
    ("preflight:before-call", "v3"),
    ("preflight:after-call", "v3"),
    ("state:rolling_back", "broken"),
    ("rolling_back:after-call", "broken"),
    # Blue autoscaled to two instances by a load first (LOADED): swapping's first call is the
    # warm-up's UpdateEnvironment raising green's MinSize, its second the swap.
    (f"swapping:before-call{LOADED}", "v2"),
    (f"swapping:after-call{LOADED}", "v2"),
    (f"swapping:after-call:2{LOADED}", "v2"),
]  # fmt: skip
# (tests/e2e/test_crash_resume_capacity.py kills the cleanup around its restore of blue's
# sizes, with a module of its own: this one's scenarios already take minutes.)
SIZES = [{"Namespace": "aws:autoscaling:asg", "OptionName": "MaxSize", "Value": "4"}]
KILLED_LEASE_SECONDS = "3"
WORKERS = 6


@dataclass(frozen=True)
class Scenario:
    point: str
    version: str
    app: str
    cname: str
    killed: Done
    resumed: Done
    states: list[str]
    world: Production
    swaps: int  # SwapEnvironmentCNAMEs calls EB carried out for this target
    registrations: int  # CreateApplicationVersion calls EB carried out for the version
    failed_requests: list[str]
    # Blue's UpdateEnvironment calls without a version (its sizes), as (MinSize, MaxSize)
    # asked for; and blue's sizes at the end
    blue_size_updates: list[tuple[str | None, str | None]]
    blue_sizes: tuple[str, str]


def run_scenario(
    sim: Simulator, home: Path, history: str | None, index: int, point: str, version: str
) -> Scenario:
    app = f"crash{index}"
    blue, green = f"{app}-blue", f"{app}-green"
    loaded = point.endswith(LOADED)
    options = SIZES if loaded else None
    target = seed_release_target(sim, app=app, blue=blue, versions=VERSIONS, options=options)
    if loaded:
        _scale_out(sim, target, 2)
    cli = Cli(sim, home / app, database_url=history or "")
    names = {"BEANSTALK_APP_NAME": app, "BLUE_ENV_NAME": blue, "GREEN_ENV_NAME": green}
    # Live traffic to the live name all through the kill and the resume, resolved through
    # the router's DNS cache like a real client's (a request every 20 ms per scenario).
    bundle = _bundle(home / f"{app}-{version}.zip", version, target)
    with sim.live_traffic(f"http://{target.cname}/", interval=0.02) as traffic:
        killed = cli.run(
            "full", **names, **bundle, VERSION_LABEL=version,
            BLUEGREEN_TEST_CRASH_AT=point.removesuffix(LOADED),
            BLUEGREEN_LEASE_SECONDS=KILLED_LEASE_SECONDS,
        )  # fmt: skip
        # No --wait-for-lock: the killed runner's lease is taken over at once (same host).
        resumed = cli.run("resume", killed.run_id, **names, BLUEGREEN_VISIBILITY_WINDOW="2")
    failed = [f"{f.at:.2f} s: {f.status} {f.detail}" for f in traffic.stop().failures]
    swaps = [
        call for call in sim.calls.performed("SwapEnvironmentCNAMEs")
        if target.blue_id in (call.params.get("SourceEnvironmentId"),
                              call.params.get("DestinationEnvironmentId"))
    ]  # fmt: skip
    registered = [
        call for call in sim.calls.performed("CreateApplicationVersion")
        if (call.params.get("ApplicationName"), call.params.get("VersionLabel")) == (app, version)
    ]  # fmt: skip
    return Scenario(
        point, version, app, target.cname, killed, resumed, cli.states(killed.run_id),
        production(sim, app, blue, green, target.cname), len(swaps), len(registered), failed,
        _size_updates(sim, target.blue_id), _sizes(sim, app, blue),
    )  # fmt: skip


def _size_updates(sim: Simulator, env_id: str) -> list[tuple[str | None, str | None]]:
    asked = [
        {o["OptionName"]: o["Value"] for o in call.params.get("OptionSettings") or []}
        for call in sim.calls.performed("UpdateEnvironment")
        if call.params.get("EnvironmentId") == env_id and "VersionLabel" not in call.params
    ]
    return [(each.get("MinSize"), each.get("MaxSize")) for each in asked]


def _sizes(sim: Simulator, app: str, env: str) -> tuple[str, str]:
    (settings,) = sim.client("elasticbeanstalk").describe_configuration_settings(
        ApplicationName=app, EnvironmentName=env
    )["ConfigurationSettings"]
    found = {
        o["OptionName"]: o["Value"]
        for o in settings["OptionSettings"]
        if o["Namespace"] == "aws:autoscaling:asg"
    }
    return found.get("MinSize", "1"), found.get("MaxSize", "4")  # EB's defaults


def _scale_out(sim: Simulator, target: ReleaseTarget, count: int) -> None:
    """A load of `count` instances on blue's CNAME; wait until blue has them healthy."""
    sim.set_load(count * sim.load.instance_rps, cname=target.cname)
    eb, deadline = sim.client("elasticbeanstalk"), time.monotonic() + 90
    while time.monotonic() < deadline:
        rows = eb.describe_instances_health(EnvironmentName=target.blue, AttributeNames=["All"])
        if sum(r["HealthStatus"] == "Ok" for r in rows["InstanceHealthList"]) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"{target.blue} did not scale out to {count}")


def _bundle(bundle: Path, version: str, target: ReleaseTarget) -> dict[str, str]:
    """The variables of a release of a bundle made for `version`, if it is not seeded."""
    if version in VERSIONS:
        return {}
    bundle.write_bytes(make_bundle(version))
    return {"BLUEGREEN_BUNDLE": str(bundle), "S3_ARTIFACTS_BUCKET": target.bucket}


@pytest.fixture(scope="module")
def scenarios(
    running_simulator: Simulator,
    tmp_path_factory: pytest.TempPathFactory,
    shared_history_url: str | None,
) -> Iterator[dict[str, Scenario]]:
    sim = running_simulator
    sim.reset()
    home = tmp_path_factory.mktemp("crash")
    with ThreadPoolExecutor(WORKERS) as pool:
        futures = [
            pool.submit(run_scenario, sim, home, shared_history_url, index, point, version)
            for index, (point, version) in enumerate(CRASH_POINTS)
        ]
        done = [future.result() for future in futures]
    yield {scenario.point: scenario for scenario in done}
    sim.reset()


@pytest.mark.parametrize(("point", "version"), CRASH_POINTS, ids=[p for p, _ in CRASH_POINTS])
def test_a_run_killed_there_is_resumed_to_the_end_state_of_an_uninterrupted_run(
    scenarios: dict[str, Scenario], point: str, version: str
) -> None:
    scenario = scenarios[point]

    assert scenario.killed.exit_code == -9, scenario.killed
    if version != "broken":
        assert scenario.resumed.exit_code == 0, scenario.resumed
        assert scenario.states[-1] == "succeeded"
        assert_blue_serves(scenario.world, version, scenario.cname)
    else:
        assert scenario.resumed.exit_code == 1, scenario.resumed
        assert scenario.states[-1] == "rolled_back"
        assert_blue_serves(scenario.world, "v1", scenario.cname)
    assert_clean(scenario.world, greens_created=1)
    assert scenario.swaps == 2, "one swap to green and one back"


@pytest.mark.parametrize(("point", "version"), CRASH_POINTS, ids=[p for p, _ in CRASH_POINTS])
def test_live_traffic_sees_no_failed_request_across_the_kill_and_the_resume(
    scenarios: dict[str, Scenario], point: str, version: str
) -> None:
    assert scenarios[point].failed_requests == []


@pytest.mark.parametrize("point", [p for p, v in CRASH_POINTS if v not in VERSIONS])
def test_a_bundle_killed_around_its_registration_is_registered_once(
    scenarios: dict[str, Scenario], point: str
) -> None:
    assert scenarios[point].registrations == 1


def test_every_scenario_resumed_the_run_it_killed(scenarios: dict[str, Scenario]) -> None:
    for scenario in scenarios.values():
        assert scenario.resumed.run_id == scenario.killed.run_id
