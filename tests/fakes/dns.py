"""FakeDns and FakeParameterStore: Route 53 zones and SSM parameters in memory.

FakeDns keeps record sets by (name, type, SetIdentifier); `pending_polls` GetChange calls
answer PENDING before INSYNC; `lose_next_answer` applies the next UPSERT, then raises
ServiceError (its answer was lost); `crash_after_upsert` applies it, then raises Crash.
`calls` counts calls per method.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from engine.domain.custom_domains import fqdn
from engine.domain.errors import ServiceError
from engine.domain.ports.dns import IN_SYNC, RecordSet
from tests.fakes.crash import Crash


@dataclass
class FakeDns:
    zones: dict[str, str] = field(default_factory=dict)  # id -> name
    records: dict[str, dict[tuple[str, str, str | None], RecordSet]] = field(default_factory=dict)
    pending_polls: int = 0
    lose_next_answer: bool = False
    crash_after_upsert: bool = False
    calls: Counter[str] = field(default_factory=Counter)
    changes: dict[str, int] = field(default_factory=dict)  # change id -> polls left

    def add_zone(self, zone_id: str, name: str) -> None:
        self.zones[zone_id] = fqdn(name)
        self.records[zone_id] = {}

    def put(self, zone_id: str, record: RecordSet) -> None:
        """Seeding (not counted)."""
        self.records[zone_id][record.key] = record

    def get(self, zone_id: str, name: str, type_: str, set_id: str | None = None) -> RecordSet:
        return self.records[zone_id][(fqdn(name), type_, set_id)]

    def zone_name(self, zone_id: str) -> str | None:
        self.calls["zone_name"] += 1
        return self.zones.get(zone_id)

    def record_sets(self, zone_id: str, name: str) -> list[RecordSet]:
        self.calls["record_sets"] += 1
        return [r for r in self.records[zone_id].values() if r.name == fqdn(name)]

    def upsert(self, zone_id: str, record: RecordSet, comment: str) -> str:
        self.calls["upsert"] += 1
        self.records[zone_id][record.key] = record
        change_id = f"C{self.calls['upsert']:04d}"
        self.changes[change_id] = self.pending_polls
        if self.lose_next_answer:
            self.lose_next_answer = False
            raise ServiceError("ChangeResourceRecordSets: Read timeout", code="ReadTimeoutError")
        if self.crash_after_upsert:
            self.crash_after_upsert = False
            raise Crash("crashed after ChangeResourceRecordSets")
        return change_id

    def change_status(self, change_id: str) -> str:
        self.calls["change_status"] += 1
        left = self.changes[change_id]
        self.changes[change_id] = max(left - 1, 0)
        return IN_SYNC if left == 0 else "PENDING"


@dataclass
class FakeParameterStore:
    values: dict[str, str] = field(default_factory=dict)

    def value(self, name: str) -> str | None:
        return self.values.get(name)
