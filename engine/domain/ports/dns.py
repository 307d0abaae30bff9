"""The ports to Route 53 and SSM Parameter Store: custom domains that follow a release, and
the replaced tool's configuration of them. Adapters live in cloud/; tests use fakes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

# Route 53's INSYNC answer to GetChange: every authoritative server has the change.
IN_SYNC = "INSYNC"


@dataclass(frozen=True)
class RecordSet:
    """One Route 53 record set that points at a host name: a CNAME, or an alias (A/AAAA/CNAME
    with an AliasTarget). `routing` keeps every other field (Region, Weight, Failover,
    GeoLocation, HealthCheckId, MultiValueAnswer, ...) verbatim, so a change preserves it."""

    name: str  # as Route 53 spells it: lower case, with the trailing dot
    type: str
    target: str  # the CNAME's value, or the alias target's DNSName
    set_identifier: str | None = None
    ttl: int | None = None  # None for an alias: it answers with its target's TTL
    alias_zone_id: str | None = None  # the alias target's hosted zone; None for a plain CNAME
    evaluate_target_health: bool = False
    routing: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str | None]:
        """What Route 53 identifies a record set by."""
        return (self.name, self.type, self.set_identifier)

    def pointing_at(self, target: str) -> RecordSet:
        return replace(self, target=target)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "type": self.type, "target": self.target,
            "set_identifier": self.set_identifier, "ttl": self.ttl,
            "alias_zone_id": self.alias_zone_id,
            "evaluate_target_health": self.evaluate_target_health, "routing": dict(self.routing),
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RecordSet:
        return cls(
            name=str(data["name"]), type=str(data["type"]), target=str(data["target"]),
            set_identifier=data.get("set_identifier"), ttl=data.get("ttl"),
            alias_zone_id=data.get("alias_zone_id"),
            evaluate_target_health=bool(data.get("evaluate_target_health")),
            routing=dict(data.get("routing") or {}),
        )  # fmt: skip


class Dns(Protocol):
    """Route 53: one hosted zone's records, and the progress of a change."""

    def zone_name(self, zone_id: str) -> str | None:
        """GetHostedZone: the zone's name (trailing dot), or None when there is no such zone."""
        ...

    def record_sets(self, zone_id: str, name: str) -> list[RecordSet]:
        """Every record set of exactly `name` that points at a host name (CNAME or alias),
        all routing variants (SetIdentifier) included."""
        ...

    def upsert(self, zone_id: str, record: RecordSet, comment: str) -> str:
        """ChangeResourceRecordSets with one UPSERT; returns the change id."""
        ...

    def change_status(self, change_id: str) -> str:
        """GetChange: PENDING or INSYNC."""
        ...


class ParameterStore(Protocol):
    """SSM Parameter Store, read only: where the replaced tool kept its Route 53 settings."""

    def value(self, name: str) -> str | None:
        """GetParameter (decrypted); None when there is no such parameter."""
        ...
