"""Boto3Dns and Boto3ParameterStore against the simulator's Route 53 and SSM (moto) over HTTP:
records made with plain boto3 are read back as RecordSets, and an UPSERT keeps their routing."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from cloud.aws import AwsConfig, make_session
from cloud.route53 import Boto3Dns, Boto3ParameterStore
from engine.domain.ports.dns import IN_SYNC
from simulator import Simulator

ELB_ZONE = "Z35SXDOTRQ7X7K"


@pytest.fixture
def dns(config: AwsConfig) -> Boto3Dns:
    return Boto3Dns(make_session(config), config)


@pytest.fixture
def zone(aws_env: Simulator) -> str:
    """A zone `<random>.example` with a latency CNAME `www`, a weighted alias at the apex, and
    an A record with an address (not a host name)."""
    route53 = aws_env.client("route53")
    name = f"z{uuid.uuid4().hex[:8]}.example"
    zone_id = route53.create_hosted_zone(Name=name, CallerReference=name)["HostedZone"]["Id"]
    upsert(route53, zone_id, {
        "Name": f"www.{name}", "Type": "CNAME", "TTL": 60, "SetIdentifier": "us-east-1",
        "Region": "us-east-1", "ResourceRecords": [{"Value": "shop-blue.us-east-1.eb.test"}],
    }, {
        "Name": name, "Type": "A", "SetIdentifier": "w", "Weight": 10,
        "AliasTarget": {"HostedZoneId": ELB_ZONE, "DNSName": "dualstack.awseb-1.elb.test",
                        "EvaluateTargetHealth": True},
    }, {
        "Name": f"ip.{name}", "Type": "A", "TTL": 300,
        "ResourceRecords": [{"Value": "192.0.2.1"}],
    })  # fmt: skip
    return str(zone_id).removeprefix("/hostedzone/")


def upsert(route53: Any, zone_id: str, *records: dict[str, Any]) -> None:
    changes = [{"Action": "UPSERT", "ResourceRecordSet": r} for r in records]
    route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": changes})


def zone_name(aws_env: Simulator, zone_id: str) -> str:
    return str(aws_env.client("route53").get_hosted_zone(Id=zone_id)["HostedZone"]["Name"])


def test_a_zone_is_known_by_its_id_and_a_missing_one_is_none(
    dns: Boto3Dns, zone: str, aws_env: Simulator
) -> None:
    assert dns.zone_name(zone) == zone_name(aws_env, zone)
    assert dns.zone_name("ZNOSUCHZONE0") is None


def test_cname_and_alias_records_read_with_their_routing(
    dns: Boto3Dns, zone: str, aws_env: Simulator
) -> None:
    name = zone_name(aws_env, zone)

    (www,) = dns.record_sets(zone, f"www.{name}")
    (apex,) = dns.record_sets(zone, name)

    assert (www.type, www.target, www.ttl, www.set_identifier, dict(www.routing)) == (
        "CNAME", "shop-blue.us-east-1.eb.test", 60, "us-east-1", {"Region": "us-east-1"},
    )  # fmt: skip
    assert (apex.type, apex.alias_zone_id, apex.evaluate_target_health, dict(apex.routing)) == (
        "A", ELB_ZONE, True, {"Weight": 10},
    )  # fmt: skip
    assert dns.record_sets(zone, f"ip.{name}") == []  # an address, not a host name
    assert dns.record_sets(zone, f"nope.{name}") == []


def test_an_upsert_moves_the_target_and_keeps_the_routing_policy(
    dns: Boto3Dns, zone: str, aws_env: Simulator
) -> None:
    name = zone_name(aws_env, zone)
    (www,) = dns.record_sets(zone, f"www.{name}")
    (apex,) = dns.record_sets(zone, name)

    changes = [
        dns.upsert(zone, www.pointing_at("shop-green.us-east-1.eb.test"), "test"),
        dns.upsert(zone, apex.pointing_at("dualstack.awseb-2.elb.test"), "test"),
    ]

    listed = aws_env.client("route53").list_resource_record_sets(HostedZoneId=zone)
    wire = {r["Name"]: r for r in listed["ResourceRecordSets"] if r["Type"] in ("A", "CNAME")}
    assert wire[f"www.{name}"] == {
        "Name": f"www.{name}", "Type": "CNAME", "TTL": 60, "SetIdentifier": "us-east-1",
        "Region": "us-east-1", "ResourceRecords": [{"Value": "shop-green.us-east-1.eb.test"}],
    }  # fmt: skip
    assert wire[name]["Weight"] == 10
    assert wire[name]["AliasTarget"]["DNSName"].rstrip(".") == "dualstack.awseb-2.elb.test"
    assert [dns.change_status(c) for c in changes] == ["PENDING", "PENDING"]


def test_a_change_is_pending_until_it_propagated_then_insync(
    dns: Boto3Dns, zone: str, aws_env: Simulator
) -> None:
    name = zone_name(aws_env, zone)
    (www,) = dns.record_sets(zone, f"www.{name}")
    change = dns.upsert(zone, www.pointing_at("elsewhere.eb.test"), "test")
    started = time.monotonic()

    assert dns.change_status(change) == "PENDING"
    deadline = started + 10 * aws_env.timing.of("route53_sync").total_seconds() + 5
    while dns.change_status(change) != IN_SYNC:
        assert time.monotonic() < deadline, "never INSYNC"
        time.sleep(0.02)
    assert time.monotonic() - started >= 0.9 * aws_env.timing.of("route53_sync").total_seconds()


def test_parameters_read_as_stored_and_a_missing_one_is_none(
    config: AwsConfig, aws_env: Simulator
) -> None:
    name = f"app{uuid.uuid4().hex[:8]}"
    aws_env.client("ssm").put_parameter(Name=name, Value="['www.shop.example']", Type="String")
    parameters = Boto3ParameterStore(make_session(config), config)

    assert parameters.value(name) == "['www.shop.example']"
    assert parameters.value(f"{name}-missing") is None
