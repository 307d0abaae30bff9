"""Custom domains through the CLI as a user types it: `--route53-record` / `--hosted-zone-id`
(or the replaced tool's SSM parameters); a release killed at each step around the records'
changes and resumed ends with them where an uninterrupted run leaves them, each changed once."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from simulator import Simulator
from simulator.domains import CustomDomains, current_records, endpoint_of, seed_custom_domains
from simulator.seed import ReleaseTarget, seed_release_target
from tests.e2e.cli import Cli, Done
from tests.e2e.conftest import VERSIONS

CRASH_POINTS = [
    ("state:swapping", "v2"),
    ("swapping:after-call", "v2"),  # the CNAMEs swapped, the records not yet moved
    ("swapping:before-commit", "v2"),  # the records moved and settled, not committed
    ("state:deploying", "v2"),
    ("cutting_over:after-call", "v2"),
    ("cutting_over:before-commit", "v2"),
    ("state:cleaning_up", "v2"),
    ("state:rolling_back", "broken"),
    ("rolling_back:before-commit", "broken"),
    # Right after a ChangeResourceRecordSets took effect, before its change id was recorded.
    ("route53:after-change", "v2"),  # the swap's
    ("route53:after-change:2", "v2"),  # the cutover's
    ("route53:after-change:2", "broken"),  # the rollback's
]
SCENARIO_IDS = [f"{point}-{version}" for point, version in CRASH_POINTS]
CHANGED = "now points at"  # the engine's note of one ChangeResourceRecordSets
WORKERS = 5


@dataclass(frozen=True)
class Scenario:
    domains: CustomDomains
    killed: Done
    resumed: Done
    states: list[str]
    changes: int
    records: dict[str, object]


def flags(domains: CustomDomains) -> list[str]:
    names = [arg for name in domains.names for arg in ("--route53-record", name)]
    return [*names, "--hosted-zone-id", domains.zone_id]


def _scenario(sim: Simulator, home: Path, index: int, point: str, version: str) -> Scenario:
    app = f"dns{index}"
    target = seed_release_target(sim, app=app, blue=f"{app}-blue", versions=VERSIONS)
    domains = seed_custom_domains(sim, target)
    cli = Cli(sim, home / app)
    names = {"BEANSTALK_APP_NAME": app, "BLUE_ENV_NAME": target.blue,
             "GREEN_ENV_NAME": f"{app}-green"}  # fmt: skip
    killed = cli.run("full", *flags(domains), **names, VERSION_LABEL=version,
                     BLUEGREEN_TEST_CRASH_AT=point, BLUEGREEN_LEASE_SECONDS="3")  # fmt: skip
    resumed = cli.run("resume", killed.run_id, "--wait-for-lock", "30", **names)
    store = cli.store()
    try:
        events = store.events(killed.run_id)  # type: ignore[arg-type]
    finally:
        store.close()
    changes = sum(CHANGED in e.message for e in events)
    return Scenario(domains, killed, resumed, cli.states(killed.run_id), changes,
                    dict(current_records(sim, domains.zone_id)))  # fmt: skip


@pytest.fixture(scope="module")
def scenarios(
    running_simulator: Simulator, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[tuple[str, str], Scenario]]:
    sim = running_simulator
    sim.reset()
    home = tmp_path_factory.mktemp("dns-crash")
    with ThreadPoolExecutor(WORKERS) as pool:
        futures = {(point, version): pool.submit(_scenario, sim, home, i, point, version)
                   for i, (point, version) in enumerate(CRASH_POINTS)}  # fmt: skip
        yield {key: future.result() for key, future in futures.items()}
    sim.reset()


# A crash suite (SIGKILL at every Route 53 step, then resume): `make test-slow`, like the others.
@pytest.mark.slow
@pytest.mark.parametrize(("point", "version"), CRASH_POINTS, ids=SCENARIO_IDS)
def test_a_run_killed_there_resumes_with_the_records_as_they_were_each_changed_once(
    scenarios: dict[tuple[str, str], Scenario], point: str, version: str
) -> None:
    scenario = scenarios[point, version]

    assert scenario.killed.exit_code == -9, scenario.killed
    assert scenario.resumed.exit_code == (0 if version == "v2" else 1), scenario.resumed
    assert scenario.states[-1] == ("succeeded" if version == "v2" else "rolled_back")
    assert scenario.records == scenario.domains.records
    # The load-balancer record moved to green once and back once; the CNAME one never. A
    # change killed mid-call is not in the history, and the resumed run does not repeat it.
    assert scenario.changes == (1 if point.startswith("route53:") else 2)


@pytest.mark.slow
def test_a_deploy_leaves_the_records_on_green_and_the_cutover_brings_them_back(
    cli: Cli, sim: Simulator, target: ReleaseTarget
) -> None:
    domains = seed_custom_domains(sim, target)
    www, api = domains.names

    deployed = cli.run("deploy", *flags(domains), **cli.replaced_tool_env("v2"))
    green = sim.client("elasticbeanstalk").describe_environments(
        ApplicationName=target.app, EnvironmentNames=["shop-green"]
    )["Environments"][0]
    during = current_records(sim, domains.zone_id)
    cut = cli.run("cutover", **cli.replaced_tool_env())

    assert (deployed.exit_code, cut.exit_code) == (0, 0), (deployed, cut)
    assert during[www] == domains.records[www]  # the live CNAME: the swap moved it
    assert during[api]["ResourceRecords"] == [
        {"Value": endpoint_of(sim, target.app, green["EnvironmentId"]).lower()}  # Route 53 spelling
    ]
    assert during[api]["Weight"] == 100 and during[api]["TTL"] == 1
    assert current_records(sim, domains.zone_id) == domains.records


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--route53-record", "www.shop.example"], "missing the records' hosted zone"),
        (["--route53-record", "bad..name", "--hosted-zone-id", "Z1"], "not a DNS record name"),
        (
            ["--route53-record", "www.shop.example", "--hosted-zone-id", "ZNOSUCHZONE"],
            "hosted zone ZNOSUCHZONE does not exist",
        ),
        (
            ["--route53-record", "nope.shop.example", "--hosted-zone-id", "ZONE"],
            "record nope.shop.example. does not exist",
        ),
    ],
    ids=["no-zone", "bad-name", "missing-zone", "missing-record"],
)
def test_bad_records_or_a_missing_zone_exit_2_with_one_line_and_no_green(
    cli: Cli, sim: Simulator, target: ReleaseTarget, args: list[str], message: str
) -> None:
    domains = seed_custom_domains(sim, target, zone_name="shop.example")
    args = [domains.zone_id if a == "ZONE" else a for a in args]

    done = cli.run("full", *args, **cli.replaced_tool_env("v2"))

    assert done.exit_code == 2, done
    output = done.stderr or done.stdout  # input errors on stderr, preflight's in the progress
    assert message in output.strip().splitlines()[-1], done
    greens = sim.client("elasticbeanstalk").describe_environments(EnvironmentNames=["shop-green"])
    assert greens["Environments"] == []
    assert current_records(sim, domains.zone_id) == domains.records


def test_an_ssm_value_that_is_not_a_list_is_refused_without_being_run(
    cli: Cli, sim: Simulator, target: ReleaseTarget, tmp_path: Path
) -> None:
    domains = seed_custom_domains(sim, target)
    marker = tmp_path / "ran"
    code = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    sim.client("ssm").put_parameter(Name=target.app, Value=code, Type="String", Overwrite=True)
    sim.client("ssm").put_parameter(
        Name="HostedZoneId", Value=domains.zone_id, Type="String", Overwrite=True
    )

    done = cli.run("full", **cli.replaced_tool_env("v2"), BLUEGREEN_ROUTE53_FROM_SSM="1")

    assert done.exit_code == 2, done
    assert "SSM parameter shop: not a list of record names" in done.stdout
    assert not marker.exists()
