"""Changing Route 53 records idempotently, and waiting until a change has reached clients.

Before an UPSERT the run records that a change is pending; after it, the change id. A resumed
run therefore settles again instead of trusting a change it cannot see the end of, and a
record that already reads as wanted is never changed twice. A change is settled when GetChange
says INSYNC and then the record's TTL has passed (clients' cached answers expired).
"""

from __future__ import annotations

import json
from dataclasses import replace

from engine.domain.custom_domains import fqdn
from engine.domain.errors import CloudError, DeadlineExceeded, StepFailed
from engine.domain.ports.dns import IN_SYNC, Dns, RecordSet
from engine.domain.step import StepContext
from states.shared.resources import note

# An alias record answers with its target's TTL: 60 s for EB's CNAMEs and for ELB names.
ALIAS_TTL_SECONDS = 60
FIRST_POLL_SECONDS, MAX_POLL_SECONDS = 1.0, 10.0


def dns_of(ctx: StepContext) -> Dns:
    if ctx.dns is None:
        raise StepFailed("no Route 53 adapter is wired: cannot change the custom domains")
    return ctx.dns


def converge(
    ctx: StepContext, zone_id: str, wanted: list[RecordSet], what: str, *, restoring: bool
) -> None:
    """Make each record read as wanted (only those that differ are changed), then settle."""
    dns, pending = dns_of(ctx), _pending(ctx)
    # A change of an earlier attempt may not have settled: then any record may have moved.
    changed: list[RecordSet] = [] if pending is None else list(wanted)
    for record in wanted:
        current = current_record(dns, zone_id, record)
        if current is not None and same(current, record):
            continue
        if current is None and not restoring:
            raise StepFailed(f"Route 53 record {record.name} {record.type} no longer exists")
        pending = _change(ctx, dns, zone_id, record, pending, what)
        changed.append(record)
    if pending is not None:
        _settle(ctx, dns, pending, changed, what)
    else:
        note(ctx, f"{what}: the custom domains already point where live traffic goes")


def current_record(dns: Dns, zone_id: str, record: RecordSet) -> RecordSet | None:
    """The record set with the same name, type and SetIdentifier as it is now."""
    return next((r for r in dns.record_sets(zone_id, record.name) if r.key == record.key), None)


def same(a: RecordSet, b: RecordSet) -> bool:
    """Equal, reading host names the way DNS does (case and trailing dot do not matter)."""
    return replace(a, target=fqdn(a.target)) == replace(b, target=fqdn(b.target))


def _pending(ctx: StepContext) -> list[str] | None:
    text = ctx.run.facts.route53_pending
    return list(json.loads(text)) if text else None


def _change(
    ctx: StepContext,
    dns: Dns,
    zone_id: str,
    record: RecordSet,
    pending: list[str] | None,
    what: str,
) -> list[str]:
    """One UPSERT, recorded as pending before it is sent. A lost answer is reconciled by
    reading the record: if it reads as wanted, the change was made (its id is unknown)."""
    pending = list(pending or [])
    ctx.journal.record_facts(route53_pending=json.dumps(pending))
    comment = f"bluegreen run {ctx.run.id}: {what}"
    try:
        change_id = dns.upsert(zone_id, record, comment)
    except CloudError as error:
        now = current_record(dns, zone_id, record)
        if now is None or not same(now, record):
            raise
        note(ctx, f"{what}: the answer to the change of {record.name} was lost ({error}); "
                  "the record reads as changed")  # fmt: skip
        return pending
    pending.append(change_id)
    ctx.journal.record_facts(route53_pending=json.dumps(pending))
    note(ctx, f"{what}: Route 53 {record.name} {record.type} now points at {record.target}",
         change=change_id, record=record.name, target=record.target)  # fmt: skip
    return pending


def _settle(
    ctx: StepContext, dns: Dns, change_ids: list[str], records: list[RecordSet], what: str
) -> None:
    for change_id in change_ids:
        _until_in_sync(ctx, dns, change_id, what)
    ttl = max((r.ttl if r.ttl is not None else ALIAS_TTL_SECONDS for r in records), default=0)
    note(ctx, f"{what}: Route 53 changes INSYNC; waiting {ttl} s (the records' TTL) for "
              "cached answers to expire")  # fmt: skip
    ctx.clock.sleep(ttl)
    ctx.journal.record_facts(route53_pending=None)


def _until_in_sync(ctx: StepContext, dns: Dns, change_id: str, what: str) -> None:
    deadline = ctx.clock.monotonic() + ctx.deadlines.swap
    interval = FIRST_POLL_SECONDS
    while dns.change_status(change_id) != IN_SYNC:
        if ctx.clock.monotonic() + interval > deadline:
            raise DeadlineExceeded(
                f"{what}: Route 53 change {change_id} not INSYNC within {ctx.deadlines.swap:.0f} s"
            )
        ctx.clock.sleep(interval)
        interval = min(interval * 2, MAX_POLL_SECONDS)
