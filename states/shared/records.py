"""Custom domains that follow the live traffic: Route 53 records found in preflight, moved at
each swap, restored exactly at rollback.

A record that points at blue's CNAME (the live name) follows every swap by itself, so it is only
checked; one that points at blue's load balancer is re-pointed at the environment that now
serves, keeping its routing policy. Each change settles (INSYNC, then the TTL) before the next
step; see `states.shared.record_changes`.
"""

from __future__ import annotations

from engine.domain.custom_domains import (
    SSM_ZONE_PARAMETER,
    CustomDomains,
    FoundRecords,
    Managed,
    check_zone_id,
    fqdn,
    parse_name_list,
)
from engine.domain.errors import ConfigurationError, StepFailed
from engine.domain.ports.cloud import Environment
from engine.domain.ports.dns import Dns, RecordSet
from engine.domain.step import StepContext
from states.shared.record_changes import converge, dns_of
from states.shared.resources import describe_by_id, is_gone, note, require


def inspect_records(ctx: StepContext, blue: Environment) -> None:
    """Preflight: the zone exists and every named record points at blue (its CNAME or its load
    balancer); record them as found. Once recorded, a re-run keeps what was found."""
    facts = ctx.run.facts
    if facts.route53_request is None or facts.route53_records is not None:
        return
    zone_id, names = _configured(ctx, CustomDomains.from_text(facts.route53_request))
    dns = dns_of(ctx)
    zone = dns.zone_name(zone_id)
    if zone is None:
        raise ConfigurationError(f"Route 53 hosted zone {zone_id} does not exist")
    managed = tuple(m for name in names for m in _managed(dns, zone_id, zone, name, blue))
    ctx.journal.record_facts(route53_records=FoundRecords(zone_id, managed).to_text())
    for m in managed:
        note(ctx, f"Route 53 {_label(m.original)} points at blue ({m.original.target})")


def point_records(ctx: StepContext, role: str, what: str) -> None:
    """Make every record point where live traffic goes now that `role` (blue or green) holds
    the live CNAME; wait until the change settled."""
    found = _found(ctx)
    if found is None:
        return
    facts = ctx.run.facts
    env_id = require(facts.green_env_id if role == "green" else facts.blue_env_id, role)
    live = describe_by_id(ctx, env_id)
    if live is None or is_gone(live):
        raise StepFailed(f"{role} ({env_id}) is gone: the custom domains cannot point at it")
    wanted = [_live_record(m, live) for m in found.records]
    converge(ctx, found.zone_id, wanted, what, restoring=False)


def restore_records(ctx: StepContext) -> None:
    """Rollback: every record exactly as preflight found it."""
    found = _found(ctx)
    if found is not None:
        wanted = [m.original for m in found.records]
        converge(ctx, found.zone_id, wanted, "rollback", restoring=True)


def _found(ctx: StepContext) -> FoundRecords | None:
    text = ctx.run.facts.route53_records
    return FoundRecords.from_text(text) if text else None


def _configured(ctx: StepContext, request: CustomDomains) -> tuple[str, tuple[str, ...]]:
    """The zone and names: as given, or from the replaced tool's SSM parameters."""
    if not request.from_ssm:
        return require(request.zone_id, "hosted zone id"), request.names
    if ctx.parameters is None:
        raise StepFailed("no SSM Parameter Store is wired: cannot read the Route 53 settings")
    app = ctx.run.target.app
    names_text = ctx.parameters.value(app)
    zone_text = ctx.parameters.value(SSM_ZONE_PARAMETER)
    for name, value in ((app, names_text), (SSM_ZONE_PARAMETER, zone_text)):
        if value is None:
            raise ConfigurationError(f"SSM parameter {name} does not exist")
    names = parse_name_list(str(names_text), f"SSM parameter {app}")
    return check_zone_id(str(zone_text), f"SSM parameter {SSM_ZONE_PARAMETER}"), names


def _managed(dns: Dns, zone_id: str, zone: str, name: str, blue: Environment) -> list[Managed]:
    if name != zone and not name.endswith("." + zone):
        raise ConfigurationError(f"Route 53 record {name} is not in hosted zone {zone}")
    sets = dns.record_sets(zone_id, name)
    if not sets:
        raise ConfigurationError(
            f"Route 53 record {name} does not exist in zone {zone} as a CNAME or alias record"
        )
    managed = [m for m in (_as_managed(r, blue) for r in sets) if m is not None]
    if not managed:
        targets = ", ".join(sorted({r.target for r in sets}))
        raise ConfigurationError(
            f"Route 53 record {name} points at {targets}, not at blue {blue.name} "
            f"({blue.cname} or its load balancer {blue.endpoint_url})"
        )
    return managed


def _as_managed(record: RecordSet, blue: Environment) -> Managed | None:
    """How `record` points at blue, if it does: at its CNAME, or at its load balancer
    (optionally through a `dualstack.` name, as Route 53's console writes ELB aliases)."""
    target = fqdn(record.target)
    if blue.cname and target == fqdn(blue.cname):
        return Managed(record, "cname")
    endpoint = fqdn(blue.endpoint_url) if blue.endpoint_url else None
    for prefix in ("", "dualstack."):
        if endpoint and target == prefix + endpoint:
            return Managed(record, "endpoint", prefix)
    return None


def _live_record(managed: Managed, live: Environment) -> RecordSet:
    """The record pointing at `live`: the live CNAME moves with the swap itself; a load
    balancer name must become the live environment's."""
    if managed.form == "cname":
        return managed.original
    endpoint = require(live.endpoint_url, f"load balancer name of {live.name}")
    target = managed.prefix + endpoint.lower()
    if fqdn(target) == fqdn(managed.original.target):
        return managed.original  # back on blue: exactly as it was found
    return managed.original.pointing_at(target)


def _label(record: RecordSet) -> str:
    routed = f" [{record.set_identifier}]" if record.set_identifier else ""
    return f"{record.name} {record.type}{routed}"
