"""The fleet: an Auto Scaling group per environment, instances with their versions and deployment
statuses, deployments batch by batch, load-driven scaling and shedding, and the faults that
leave instances behind while EB says the deployment succeeded."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.integration.simulator.conftest import Stepped, failure

ASG = "aws:autoscaling:asg"
COMMAND = "aws:elasticbeanstalk:command"


def _options(**values: str) -> list[dict[str, str]]:
    spaces = {"MinSize": ASG, "MaxSize": ASG}
    return [
        {"Namespace": spaces.get(name, COMMAND), "OptionName": name, "Value": value}
        for name, value in values.items()
    ]


def _instances(stepped: Stepped, env: str = "shop-blue") -> list[dict[str, Any]]:
    answer = stepped.eb.describe_instances_health(EnvironmentName=env, AttributeNames=["All"])
    return list(answer["InstanceHealthList"])


def _versions(stepped: Stepped, env: str = "shop-blue") -> list[tuple[str, str]]:
    return [
        (each["Deployment"]["VersionLabel"], each["Deployment"]["Status"])
        for each in _instances(stepped, env)
    ]


def test_an_environment_starts_at_its_minimum_size_and_lists_its_instances(
    stepped: Stepped,
) -> None:
    stepped.app()
    stepped.launch("shop-blue", OptionSettings=_options(MinSize="3", MaxSize="6"))

    instances = _instances(stepped)
    assert [each["HealthStatus"] for each in instances] == ["Ok", "Ok", "Ok"]
    assert {each["Deployment"]["VersionLabel"] for each in instances} == {"v1"}
    assert len({each["InstanceId"] for each in instances}) == 3
    assert {each["AvailabilityZone"] for each in instances} == {
        "us-east-1a",
        "us-east-1b",
        "us-east-1c",
    }
    resources = stepped.eb.describe_environment_resources(EnvironmentName="shop-blue")
    listed = resources["EnvironmentResources"]
    assert {i["Id"] for i in listed["Instances"]} == {i["InstanceId"] for i in instances}
    assert len(listed["AutoScalingGroups"]) == 1 and len(listed["LoadBalancers"]) == 1
    health = stepped.eb.describe_environment_health(
        EnvironmentName="shop-blue", AttributeNames=["InstancesHealth"]
    )["InstancesHealth"]
    assert health["Ok"] == 3 and sum(health.values()) == 3 and len(health) == 8


def test_instances_health_answers_only_the_attributes_asked_for(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    plain = stepped.eb.describe_instances_health(EnvironmentName="shop-blue")
    assert set(plain["InstanceHealthList"][0]) == {"InstanceId"}
    some = stepped.eb.describe_instances_health(
        EnvironmentName="shop-blue", AttributeNames=["Deployment", "LaunchedAt"]
    )
    assert set(some["InstanceHealthList"][0]) == {"InstanceId", "Deployment", "LaunchedAt"}
    bad = failure(stepped.eb.describe_instances_health, EnvironmentName="shop-blue", NextToken="x")
    assert bad.code == "InvalidRequestException"


@pytest.mark.parametrize(
    ("policy", "sizes", "batches"),
    [
        ("AllAtOnce", {}, 1),
        ("Rolling", {"BatchSizeType": "Fixed", "BatchSize": "1"}, 4),
        ("Rolling", {"BatchSizeType": "Percentage", "BatchSize": "50"}, 2),
    ],
)
def test_a_deployment_moves_instances_batch_by_batch(
    stepped: Stepped, policy: str, sizes: dict[str, str], batches: int
) -> None:
    stepped.app()
    options = _options(MinSize="4", MaxSize="4", DeploymentPolicy=policy, **sizes)
    stepped.launch("shop-blue", OptionSettings=options)
    stepped.eb.update_environment(EnvironmentName="shop-blue", VersionLabel="v2")
    stepped.advance(1)
    per_batch = 4 // batches
    seen = [sorted(_versions(stepped))]
    for _ in range(batches - 1):
        stepped.advance(45)
        seen.append(sorted(_versions(stepped)))
    assert [row.count(("v2", "Deployed")) for row in seen] == [
        per_batch * n for n in range(batches)
    ]
    assert seen[0].count(("v1", "InProgress")) == per_batch
    stepped.advance(45)
    assert _versions(stepped) == [("v2", "Deployed")] * 4
    assert stepped.env("shop-blue")["Status"] == "Ready"


@pytest.mark.parametrize("policy", ["RollingWithAdditionalBatch", "Immutable"])
def test_policies_that_add_instances_keep_full_capacity(stepped: Stepped, policy: str) -> None:
    stepped.app()
    options = _options(
        MinSize="2", MaxSize="4", DeploymentPolicy=policy, BatchSizeType="Fixed", BatchSize="1"
    )
    stepped.launch("shop-blue", OptionSettings=options)
    before = {each["InstanceId"] for each in _instances(stepped)}
    stepped.eb.update_environment(EnvironmentName="shop-blue", VersionLabel="v2")
    serving = []
    for _ in range(12):
        stepped.advance(30)
        rows = _instances(stepped)
        serving.append(sum(1 for each in rows if each["HealthStatus"] == "Ok"))
        if stepped.env("shop-blue")["Status"] == "Ready":
            break
    assert min(serving) >= 2, serving
    assert _versions(stepped) == [("v2", "Deployed")] * 2
    after = {each["InstanceId"] for each in _instances(stepped)}
    assert (after == before) is False  # new instances took over (at least one replaced)


def test_a_fault_leaves_one_instance_on_the_old_version_while_eb_says_ready(
    stepped: Stepped,
) -> None:
    stepped.app()
    stepped.launch("shop-blue", OptionSettings=_options(MinSize="3", MaxSize="3"))
    stepped.sim.faults.fleet.leave_behind("shop-blue", count=1)
    stepped.eb.update_environment(EnvironmentName="shop-blue", VersionLabel="v2")
    stepped.advance(46)

    env = stepped.env("shop-blue")
    assert (env["Status"], env["VersionLabel"], env["Health"]) == ("Ready", "v2", "Green")
    assert sorted(_versions(stepped)) == [
        ("v1", "Deployed"),
        ("v2", "Deployed"),
        ("v2", "Deployed"),
    ]


def test_a_fault_leaves_a_failed_deployment_on_one_instance(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue", OptionSettings=_options(MinSize="2", MaxSize="2"))
    stepped.sim.faults.fleet.leave_behind("shop-blue", count=1, failed=True)
    stepped.eb.update_environment(EnvironmentName="shop-blue", VersionLabel="v2")
    stepped.advance(46)
    assert stepped.env("shop-blue")["Status"] == "Ready"
    assert sorted(_versions(stepped)) == [("v1", "Failed"), ("v2", "Deployed")]


def test_a_failed_deployment_fails_its_first_batch_only(stepped: Stepped) -> None:
    stepped.app()
    options = _options(
        MinSize="3", MaxSize="3", DeploymentPolicy="Rolling", BatchSizeType="Fixed", BatchSize="1"
    )
    stepped.launch("shop-blue", OptionSettings=options)
    stepped.sim.faults.fail_update("shop-blue", times=1)
    stepped.eb.update_environment(EnvironmentName="shop-blue", VersionLabel="v2")
    stepped.advance(46)
    assert stepped.env("shop-blue")["VersionLabel"] == "v1"
    assert sorted(_versions(stepped)) == [("v1", "Deployed"), ("v1", "Deployed"), ("v1", "Failed")]


def test_load_scales_the_group_out_and_back_in(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue", OptionSettings=_options(MinSize="1", MaxSize="8"))
    stepped.sim.set_load(450, env="shop-blue")  # 100 per instance: 5 needed
    stepped.advance(1)
    assert len(_instances(stepped)) == 1
    stepped.advance(60)  # one alarm period above: five instances launching
    statuses = [each["HealthStatus"] for each in _instances(stepped)]
    assert sorted(statuses) == ["Pending"] * 4 + ["Severe"]  # the first one sheds meanwhile
    stepped.advance(91)
    assert [each["HealthStatus"] for each in _instances(stepped)] == ["Ok"] * 5
    stepped.sim.set_load(0, env="shop-blue")
    stepped.advance(1)
    stepped.advance(300)
    assert len(_instances(stepped)) == 1


def test_an_environment_below_the_capacity_its_load_needs_answers_some_requests_503(
    stepped: Stepped,
) -> None:
    stepped.app()
    stepped.launch("shop-blue", OptionSettings=_options(MinSize="1", MaxSize="8"))
    stepped.sim.set_load(400, env="shop-blue")  # one instance of four needed: 3/4 shed
    stepped.advance(1)
    url = stepped.sim.app_url("shop-blue")
    with httpx.Client() as http:
        codes = [http.get(f"{url}/").status_code for _ in range(40)]
    assert codes.count(503) == 30
    row = _instances(stepped)[0]
    assert row["HealthStatus"] == "Severe"
    assert row["ApplicationMetrics"]["StatusCodes"]["Status5xx"] == 3000
    stepped.advance(60)  # one alarm period: scaling out
    stepped.advance(91)  # the new instances are in service: the capacity is there again
    with httpx.Client() as http:
        assert {http.get(f"{url}/").status_code for _ in range(20)} == {200}


def test_the_load_stays_with_the_cname_across_a_swap(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue", OptionSettings=_options(MaxSize="8"))
    stepped.launch("shop-green", OptionSettings=_options(MaxSize="8"))
    stepped.sim.set_load(300, env="shop-blue")
    stepped.advance(1)
    stepped.advance(60)
    stepped.advance(91)
    assert (len(_instances(stepped)), len(_instances(stepped, "shop-green"))) == (3, 1)
    stepped.eb.swap_environment_cnames(
        SourceEnvironmentName="shop-blue", DestinationEnvironmentName="shop-green"
    )
    stepped.advance(6)
    green = _instances(stepped, "shop-green")
    assert green[0]["HealthStatus"] == "Severe"  # one instance takes the whole load
    stepped.advance(60)
    stepped.advance(91)
    assert len(_instances(stepped, "shop-green")) == 3


def test_raising_the_minimum_launches_instances_at_once(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue", OptionSettings=_options(MaxSize="8"))
    stepped.eb.update_environment(EnvironmentName="shop-blue", OptionSettings=_options(MinSize="4"))
    stepped.advance(46)
    assert len(_instances(stepped)) == 4
    stepped.advance(91)
    assert [each["HealthStatus"] for each in _instances(stepped)] == ["Ok"] * 4


def test_a_drift_fault_changes_an_option_after_the_launch(stepped: Stepped) -> None:
    stepped.app()
    namespace = "aws:autoscaling:launchconfiguration"
    stepped.sim.faults.fleet.drift("shop-blue", namespace, "InstanceType", "t3.large")
    stepped.launch("shop-blue")
    settings = stepped.eb.describe_configuration_settings(
        ApplicationName="shop", EnvironmentName="shop-blue"
    )["ConfigurationSettings"][0]["OptionSettings"]
    found = [o["Value"] for o in settings if o["OptionName"] == "InstanceType"]
    assert found == ["t3.large"]


def test_a_scheduled_managed_action_is_listed_and_can_be_applied(stepped: Stepped) -> None:
    stepped.app()
    stepped.sim.faults.fleet.managed_action("shop-blue", window_seconds=7200)
    stepped.launch("shop-blue")
    stepped.advance(1)
    actions = stepped.eb.describe_environment_managed_actions(EnvironmentName="shop-blue")
    [action] = actions["ManagedActions"]
    assert (action["Status"], action["ActionType"]) == ("Scheduled", "PlatformUpdate")
    assert stepped.env("shop-blue")["Status"] == "Ready"

    applied = stepped.eb.apply_environment_managed_action(
        EnvironmentName="shop-blue", ActionId=action["ActionId"]
    )
    assert applied["Status"] == "Running"
    assert stepped.env("shop-blue")["Status"] == "Updating"
    again = failure(
        stepped.eb.apply_environment_managed_action,
        EnvironmentName="shop-blue",
        ActionId=action["ActionId"],
    )
    assert again.code == "ManagedActionInvalidStateException"
    for _ in range(4):  # immutable: a new instance, then the old one goes
        stepped.advance(70)
    assert stepped.env("shop-blue")["Status"] == "Ready"
    assert (
        stepped.eb.describe_environment_managed_actions(EnvironmentName="shop-blue")[
            "ManagedActions"
        ]
        == []
    )
    history = stepped.eb.describe_environment_managed_action_history(EnvironmentName="shop-blue")
    assert [item["Status"] for item in history["ManagedActionHistoryItems"]] == ["Completed"]


def test_a_running_managed_action_makes_the_environment_update(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    stepped.sim.faults.fleet.managed_action("shop-blue", status="Running")
    stepped.advance(1)
    env = stepped.env("shop-blue")
    assert env["Status"] == "Updating"
    running = stepped.eb.describe_environment_managed_actions(
        EnvironmentName="shop-blue", Status="Running"
    )["ManagedActions"]
    assert len(running) == 1


def test_the_load_is_set_by_a_control_request(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    url = f"{stepped.sim.endpoint_url}/_simulator/load"
    with httpx.Client() as http:
        done = http.post(url, json={"environment": "shop-blue", "rps": 250})
        assert done.status_code == 200, done.text
        cname = stepped.env("shop-blue")["CNAME"]
        assert done.json()["loads"] == {cname: 250.0}
        bad = http.post(url, json={"environment": "nobody", "rps": 1})
        assert bad.status_code == 400 and "nobody" in bad.json()["error"]
        assert http.post(url, json={"cname": cname, "rps": -1}).status_code == 400
        assert http.get(url).json()["loads"] == {cname: 250.0}
