"""Custom domains for a release target, through the real Route 53 API (boto3 against the
simulator, where moto serves Route 53): a hosted zone with records that point at blue.

Used by the demo and by tests: `seed_custom_domains(sim, target)`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.core import Simulator
    from simulator.seed import ReleaseTarget


@dataclass(frozen=True)
class CustomDomains:
    """What `seed_custom_domains` made: the zone and, by name, each record as created."""

    zone_id: str
    zone_name: str
    records: dict[str, dict[str, Any]]  # name -> ResourceRecordSet as ListResourceRecordSets

    @property
    def names(self) -> list[str]:
        return list(self.records)


def seed_custom_domains(
    sim: Simulator, target: ReleaseTarget, zone_name: str | None = None, ttl: int = 1
) -> CustomDomains:
    """A zone with `www` (the replaced tool's latency-routed CNAME to blue's CNAME) and `api`
    (a weighted CNAME to blue's load balancer); `ttl` is short so tests settle quickly."""
    route53 = sim.client("route53")
    name = (zone_name or f"z{uuid.uuid4().hex[:8]}.example").rstrip(".") + "."
    zone = route53.create_hosted_zone(Name=name, CallerReference=str(uuid.uuid4()))
    zone_id = str(zone["HostedZone"]["Id"]).removeprefix("/hostedzone/")
    records = {
        f"www.{name}": _cname(f"www.{name}", target.cname, ttl,
                              SetIdentifier=sim.region, Region=sim.region),
        f"api.{name}": _cname(f"api.{name}", blue_endpoint(sim, target), ttl,
                              SetIdentifier="main", Weight=100),
    }  # fmt: skip
    changes = [{"Action": "UPSERT", "ResourceRecordSet": r} for r in records.values()]
    route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": changes})
    return CustomDomains(zone_id, name, records)


def blue_endpoint(sim: Simulator, target: ReleaseTarget) -> str:
    """Blue's load balancer name (EndpointURL), which no swap moves."""
    return endpoint_of(sim, target.app, target.blue_id)


def endpoint_of(sim: Simulator, app: str, env_id: str) -> str:
    found = sim.client("elasticbeanstalk").describe_environments(
        ApplicationName=app, EnvironmentIds=[env_id]
    )["Environments"]
    return str(found[0]["EndpointURL"])


def current_records(sim: Simulator, zone_id: str) -> dict[str, dict[str, Any]]:
    """The zone's CNAME and alias records now, by name (as ListResourceRecordSets has them)."""
    listed = sim.client("route53").list_resource_record_sets(HostedZoneId=zone_id)
    return {
        r["Name"]: r
        for r in listed["ResourceRecordSets"]
        if r["Type"] == "CNAME" or "AliasTarget" in r
    }


def targets(sim: Simulator, zone_id: str) -> dict[str, str]:
    """Where each record points now: its CNAME value or alias DNSName."""
    return {name: _target(r) for name, r in current_records(sim, zone_id).items()}


def _target(record: dict[str, Any]) -> str:
    alias = record.get("AliasTarget")
    return str(alias["DNSName"] if alias else record["ResourceRecords"][0]["Value"])


def _cname(name: str, value: str, ttl: int, **routing: Any) -> dict[str, Any]:
    return {"Name": name, "Type": "CNAME", **routing, "TTL": ttl,
            "ResourceRecords": [{"Value": value}]}  # fmt: skip
