"""Test hook: SIGKILL this process right after a ChangeResourceRecordSets took effect.

`BLUEGREEN_TEST_CRASH_AT=route53:after-change[:N]` kills after the Nth (default first) UPSERT
this process sent, before the run recorded its change id or waited for it to settle. Bootstrap
wraps the Dns port with this only when the variable is set.
"""

from __future__ import annotations

from engine.domain.ports.dns import Dns, RecordSet
from engine.testing.crash_hook import CrashHook


class CrashingDns:
    """A Dns that calls the crash hook after each UPSERT."""

    def __init__(self, inner: Dns, hook: CrashHook) -> None:
        self._inner, self._hook = inner, hook
        self._changes = 0

    def zone_name(self, zone_id: str) -> str | None:
        return self._inner.zone_name(zone_id)

    def record_sets(self, zone_id: str, name: str) -> list[RecordSet]:
        return self._inner.record_sets(zone_id, name)

    def upsert(self, zone_id: str, record: RecordSet, comment: str) -> str:
        change_id = self._inner.upsert(zone_id, record, comment)
        self._changes += 1
        self._hook.reached(f"route53:after-change:{self._changes}")
        if self._changes == 1:
            self._hook.reached("route53:after-change")
        return change_id

    def change_status(self, change_id: str) -> str:
        return self._inner.change_status(change_id)
