"""Boto3Dns and Boto3ParameterStore: the Dns and ParameterStore ports over Route 53 and SSM.

Route 53's record sets are mapped to `RecordSet` here, so the engine never sees its wire shape;
every field the engine does not reason about travels verbatim in `RecordSet.routing`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import boto3
from botocore.exceptions import ClientError

from cloud.aws import AwsConfig, make_client
from cloud.aws_calls import CallRecorder, RetryReporter
from cloud.translate import error_code, translate_errors
from engine.domain.ports.dns import RecordSet

if TYPE_CHECKING:
    from collections import Counter

    from mypy_boto3_route53 import Route53Client
    from mypy_boto3_ssm import SSMClient

# The fields of a ResourceRecordSet that RecordSet names; the rest is routing, kept verbatim.
NAMED_FIELDS = frozenset({"Name", "Type", "SetIdentifier", "TTL", "ResourceRecords", "AliasTarget"})
PAGE = "300"  # ListResourceRecordSets' largest page
# Route 53 lists a `*` in a name as the octal escape `\052` ("DNS domain name format" in the
# Route 53 Developer Guide); names are compared in their plain spelling.
WILDCARD_ESCAPE = "\\052"


def plain_name(name: str) -> str:
    return name.replace(WILDCARD_ESCAPE, "*").lower()


class Boto3Dns:
    """Route 53 (a global service: one endpoint whatever the region)."""

    def __init__(
        self, session: boto3.Session, config: AwsConfig, on_retry: RetryReporter | None = None
    ) -> None:
        self._recorder = CallRecorder(on_retry)
        self._route53 = cast("Route53Client", make_client(session, "route53", config))
        self._recorder.attach(self._route53)

    @property
    def api_calls(self) -> Counter[str]:
        return self._recorder.api_calls

    def zone_name(self, zone_id: str) -> str | None:
        with translate_errors():
            try:
                zone = self._route53.get_hosted_zone(Id=zone_id)["HostedZone"]
            except ClientError as error:
                if error_code(error) in ("NoSuchHostedZone", "InvalidInput"):
                    return None
                raise
        return zone["Name"].lower()

    def record_sets(self, zone_id: str, name: str) -> list[RecordSet]:
        """The sets of `name`, in the order Route 53 lists them (by name, then type)."""
        found: list[RecordSet] = []
        start: dict[str, str] = {"StartRecordName": name}
        with translate_errors():
            while True:
                page = self._route53.list_resource_record_sets(
                    HostedZoneId=zone_id,
                    MaxItems=PAGE,
                    **start,  # type: ignore[arg-type]
                )
                sets = [cast("dict[str, Any]", s) for s in page["ResourceRecordSets"]]
                mine = [s for s in sets if plain_name(s["Name"]) == plain_name(name)]
                found += [r for r in map(record_of, mine) if r is not None]
                if len(mine) < len(sets) or not page.get("IsTruncated"):
                    return found
                start = _next_page(page)

    def upsert(self, zone_id: str, record: RecordSet, comment: str) -> str:
        with translate_errors():
            answer = self._route53.change_resource_record_sets(
                HostedZoneId=zone_id,
                ChangeBatch={
                    "Comment": comment[:256],
                    "Changes": [{"Action": "UPSERT", "ResourceRecordSet": wire_of(record)}],  # type: ignore[typeddict-item]
                },
            )
        return answer["ChangeInfo"]["Id"].removeprefix("/change/")

    def change_status(self, change_id: str) -> str:
        with translate_errors():
            return self._route53.get_change(Id=change_id)["ChangeInfo"]["Status"]


def _next_page(page: Any) -> dict[str, str]:
    start = {"StartRecordName": page["NextRecordName"], "StartRecordType": page["NextRecordType"]}
    if page.get("NextRecordIdentifier"):
        start["StartRecordIdentifier"] = page["NextRecordIdentifier"]
    return start


def record_of(wire: dict[str, Any]) -> RecordSet | None:
    """A RecordSet for a CNAME or an alias; None for records that point at no host name."""
    alias = wire.get("AliasTarget")
    values = [r["Value"] for r in wire.get("ResourceRecords", [])]
    if alias is None and (wire["Type"] != "CNAME" or len(values) != 1):
        return None
    return RecordSet(
        name=plain_name(wire["Name"]),
        type=wire["Type"],
        target=alias["DNSName"] if alias else values[0],
        set_identifier=wire.get("SetIdentifier"),
        ttl=wire.get("TTL"),
        alias_zone_id=alias["HostedZoneId"] if alias else None,
        evaluate_target_health=bool(alias and alias.get("EvaluateTargetHealth")),
        routing={k: v for k, v in wire.items() if k not in NAMED_FIELDS},
    )


def wire_of(record: RecordSet) -> dict[str, Any]:
    """The ResourceRecordSet of an UPSERT: the routing fields as they were, the target set."""
    wire: dict[str, Any] = {**record.routing, "Name": record.name, "Type": record.type}
    if record.set_identifier is not None:
        wire["SetIdentifier"] = record.set_identifier
    if record.alias_zone_id is not None:
        wire["AliasTarget"] = {
            "HostedZoneId": record.alias_zone_id,
            "DNSName": record.target,
            "EvaluateTargetHealth": record.evaluate_target_health,
        }
    else:
        wire["TTL"] = record.ttl if record.ttl is not None else 300
        wire["ResourceRecords"] = [{"Value": record.target}]
    return wire


class Boto3ParameterStore:
    """SSM Parameter Store, read only."""

    def __init__(
        self, session: boto3.Session, config: AwsConfig, on_retry: RetryReporter | None = None
    ) -> None:
        self._recorder = CallRecorder(on_retry)
        self._ssm = cast("SSMClient", make_client(session, "ssm", config))
        self._recorder.attach(self._ssm)

    def value(self, name: str) -> str | None:
        with translate_errors():
            try:
                answer = self._ssm.get_parameter(Name=name, WithDecryption=True)
            except ClientError as error:
                if error_code(error) == "ParameterNotFound":
                    return None
                raise
        return answer["Parameter"].get("Value")
