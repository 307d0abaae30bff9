"""FakeAlarms: CloudWatch alarm states in memory; `unreadable` makes every read fail."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from engine.domain.errors import ServiceError
from engine.domain.ports.alarms import AlarmState


class FakeAlarms:
    def __init__(self) -> None:
        self.alarms: dict[str, AlarmState] = {}
        self.unreadable = False
        self.reads = 0

    def put(self, name: str, state: str = "OK", reason: str = "") -> None:
        self.alarms[name] = AlarmState(name, state, reason)

    def alarm_states(self, names: Sequence[str]) -> Mapping[str, AlarmState]:
        self.reads += 1
        if self.unreadable:
            raise ServiceError("CloudWatch: Internal failure (503)")
        return {name: self.alarms[name] for name in names if name in self.alarms}
