"""The port to CloudWatch alarms: the gates a release checks before the first swap, during
verification and during the bake window (any alarm in ALARM stops the release)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

IN_ALARM = "ALARM"


@dataclass(frozen=True)
class AlarmState:
    """One alarm's state as CloudWatch reports it: OK | ALARM | INSUFFICIENT_DATA."""

    name: str
    state: str
    reason: str = ""

    @property
    def firing(self) -> bool:
        return self.state == IN_ALARM


class Alarms(Protocol):
    """CloudWatch alarms of one region."""

    def alarm_states(self, names: Sequence[str]) -> Mapping[str, AlarmState]:
        """The states of those of `names` that exist (a missing alarm is absent). Raises a
        CloudError when the states cannot be read (the caller fails closed)."""
        ...


class NoAlarms:
    """No alarms to watch (a release without `--alarm`, and tests that need none)."""

    def alarm_states(self, names: Sequence[str]) -> Mapping[str, AlarmState]:
        return {}
