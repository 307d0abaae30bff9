"""Custom domains in Route 53 follow a release by the real engine against the simulator: the
records are read with plain boto3 after every step, on success and on rollback."""

from __future__ import annotations

from typing import Any

import pytest

from engine.domain.exit_codes import ExitCode
from engine.domain.model import EventRecord, Mode, Run, TransitionRecord
from engine.operator.inputs import release_request
from engine.release.observer import NullObserver
from simulator import Simulator
from simulator.domains import CustomDomains, endpoint_of, seed_custom_domains, targets
from simulator.domains import current_records as records_now
from simulator.seed import ReleaseTarget
from tests.integration.release.conftest import GREEN, WiredFactory


class RecordWatcher(NullObserver):
    """After each committed transition: where every record points (state entered -> targets)."""

    def __init__(self, sim: Simulator, zone_id: str) -> None:
        self.sim, self.zone_id = sim, zone_id
        self.seen: dict[str, dict[str, str]] = {}
        self.green_id: str | None = None
        self.messages: list[str] = []

    def transitioned(self, run: Run, record: TransitionRecord) -> None:
        self.seen[record.to_state.value] = targets(self.sim, self.zone_id)
        self.green_id = run.facts.green_env_id or self.green_id

    def event(self, record: EventRecord) -> None:
        self.messages.append(record.message)


@pytest.fixture
def domains(sim: Simulator, target: ReleaseTarget) -> CustomDomains:
    return seed_custom_domains(sim, target)


def with_domains(domains: CustomDomains) -> dict[str, Any]:
    return {"BLUEGREEN_ROUTE53_RECORDS": ",".join(domains.names),
            "BLUEGREEN_HOSTED_ZONE_ID": domains.zone_id}  # fmt: skip


def release(
    wired: WiredFactory, sim: Simulator, domains: CustomDomains, version: str, **settings: Any
) -> tuple[ExitCode, RecordWatcher]:
    engine = wired(**(settings or with_domains(domains)))
    watcher = RecordWatcher(sim, domains.zone_id)
    request_settings = engine.settings.model_copy(update={"version_label": version})
    outcome = engine.runner.release(release_request(request_settings, Mode.FULL), watcher)
    return ExitCode(outcome.exit_code), watcher


@pytest.mark.slow
def test_records_point_at_green_while_it_serves_and_end_as_they_were(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory, domains: CustomDomains
) -> None:
    www, api = domains.names
    blue_lb = endpoint_of(sim, target.app, target.blue_id)

    code, watcher = release(wired, sim, domains, "v2")

    assert code == ExitCode.OK
    # EB's load balancer names have capitals; the engine writes Route 53's lower-case spelling
    green_lb = endpoint_of(sim, target.app, watcher.green_id or "").lower()
    assert watcher.seen["cloning"] == {www: target.cname, api: blue_lb}
    for state in ("deploying", "verifying", "cutting_over"):
        assert watcher.seen[state] == {www: target.cname, api: green_lb}, state
    assert watcher.seen["cleaning_up"] == {www: target.cname, api: blue_lb}
    assert records_now(sim, domains.zone_id) == domains.records


@pytest.mark.slow
def test_a_rolled_back_release_leaves_the_records_exactly_as_they_were(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory, domains: CustomDomains
) -> None:
    code, watcher = release(wired, sim, domains, "broken")

    assert code == ExitCode.ROLLED_BACK
    assert watcher.seen["verifying"][domains.names[1]] != domains.records[domains.names[1]]
    assert records_now(sim, domains.zone_id) == domains.records


def test_a_record_that_does_not_point_at_blue_is_refused_in_preflight(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory, domains: CustomDomains
) -> None:
    other = f"other.{domains.zone_name}"
    sim.client("route53").change_resource_record_sets(
        HostedZoneId=domains.zone_id,
        ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": {
            "Name": other, "Type": "CNAME", "TTL": 60,
            "ResourceRecords": [{"Value": "somewhere.example.com"}]}}]},
    )  # fmt: skip
    engine = wired(BLUEGREEN_ROUTE53_RECORDS=other, BLUEGREEN_HOSTED_ZONE_ID=domains.zone_id)

    outcome = engine.release("v2")

    assert outcome.exit_code == ExitCode.USAGE
    assert f"record {other} points at somewhere.example.com" in outcome.summary
    envs = sim.client("elasticbeanstalk").describe_environments(EnvironmentNames=[GREEN])
    assert envs["Environments"] == []


@pytest.mark.slow
def test_the_replaced_tools_ssm_parameters_name_the_records(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory, domains: CustomDomains
) -> None:
    ssm = sim.client("ssm")
    ssm.put_parameter(Name=target.app, Value=repr(domains.names), Type="String", Overwrite=True)
    ssm.put_parameter(Name="HostedZoneId", Value=domains.zone_id, Type="String", Overwrite=True)

    code, watcher = release(wired, sim, domains, "v2", BLUEGREEN_ROUTE53_FROM_SSM=True)

    assert code == ExitCode.OK
    assert watcher.seen["deploying"][domains.names[1]] != watcher.seen["cloning"][domains.names[1]]
    assert records_now(sim, domains.zone_id) == domains.records


@pytest.mark.slow
def test_a_lost_answer_to_a_record_change_is_reconciled_by_reading_the_record(
    sim: Simulator, target: ReleaseTarget, wired: WiredFactory, domains: CustomDomains
) -> None:
    sim.faults.lose_route53_changes(2)  # the first UPSERT and botocore's one retry (QUICK)

    code, watcher = release(wired, sim, domains, "v2")

    assert code == ExitCode.OK
    green_lb = endpoint_of(sim, target.app, watcher.green_id or "").lower()  # Route 53 spelling
    assert watcher.seen["deploying"][domains.names[1]] == green_lb
    assert [m for m in watcher.messages if "was lost" in m and "reads as changed" in m]
    assert records_now(sim, domains.zone_id) == domains.records
