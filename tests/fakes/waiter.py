"""FakeWaiter: polls the FakeBeanstalk synchronously on the FakeClock until a condition holds."""

from __future__ import annotations

from collections.abc import Sequence

from engine.domain.errors import DeadlineExceeded
from engine.domain.ports.runtime import Condition, Snapshot
from tests.fakes.beanstalk import FakeBeanstalk
from tests.fakes.clock import FakeClock


class FakeWaiter:
    def __init__(self, beanstalk: FakeBeanstalk, clock: FakeClock, interval: float = 5.0) -> None:
        self.beanstalk, self.clock, self.interval = beanstalk, clock, interval
        self.waits: list[str] = []

    def wait_for(
        self,
        what: str,
        application: str,
        environment_ids: Sequence[str],
        condition: Condition,
        deadline_seconds: float,
    ) -> Snapshot:
        self.waits.append(what)
        deadline = self.clock.monotonic() + deadline_seconds
        while True:
            found = self.beanstalk.describe_environments(
                application, ids=environment_ids, include_deleted=True
            )
            snapshot = {i: next((e for e in found if e.id == i), None) for i in environment_ids}
            if condition(snapshot):
                return snapshot
            if self.clock.monotonic() >= deadline:
                seen = ", ".join(f"{e.name} {e.status}/{e.health}" for e in found)
                raise DeadlineExceeded(
                    f"{what}: not done within {deadline_seconds:.0f} s (last seen: {seen})"
                )
            self.clock.sleep(self.interval)
