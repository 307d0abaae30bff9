"""The lease fence: immediately before every mutating AWS call, the runner makes sure its lease
is unexpired, not only still owned, and renews it; a runner paused past its lease (SIGSTOP, a
laptop lid) stops with a clear message instead of acting on a run another runner may drive.

The lease's term is kept locally from the moment each renewal *started*, on the monotonic clock
(which runs on while a process is stopped) and on the wall clock (which also runs while a
machine sleeps); the earlier of the two expiries counts, less a margin. Past it, neither the
heartbeat nor the fence renews: the drive stops, and `resume` continues the run. A pause
between the fence's renewal and the call itself cannot be fenced without EB's help (it takes
no fencing token); the renewal just before the call leaves a whole lease for it.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from engine.domain.errors import LeaseLostError
from engine.domain.model import RunId
from engine.domain.ports.cloud import ArtifactStore, Beanstalk
from engine.domain.ports.dns import Dns, RecordSet
from engine.domain.ports.runtime import Clock
from engine.domain.ports.store import RunStore
from engine.release.guarded_beanstalk import GuardedBeanstalk

MARGIN_SHARE = 0.1  # the local term ends this share of the lease before the stored expiry


class LeaseExpiredError(LeaseLostError):
    """This runner's lease ran out (it was paused or cut off): it must not act any more."""


class LeaseTerm:
    """When this runner's lease ends, as far as it knows (conservatively early)."""

    def __init__(self, clock: Clock, lease_seconds: float) -> None:
        self._clock = clock
        self._seconds = lease_seconds * (1 - MARGIN_SHARE)
        self._lock = threading.Lock()
        self._since = self.stamp()

    def stamp(self) -> tuple[float, datetime]:
        """Both clocks now: taken before a renewal, given to `renewed` once it succeeded."""
        return self._clock.monotonic(), self._clock.now()

    def renewed(self, started: tuple[float, datetime]) -> None:
        with self._lock:
            self._since = max(self._since, started)

    def overdue(self) -> float:
        """Seconds past the local end of the lease (0 or less while it holds)."""
        with self._lock:
            monotonic, wall = self._since
        on_monotonic = self._clock.monotonic() - monotonic
        on_wall = (self._clock.now() - wall) / timedelta(seconds=1)
        return max(on_monotonic, on_wall) - self._seconds


class Fence:
    """Checks and renews one run's lease before a mutating call; raises LeaseLostError."""

    def __init__(
        self, store: RunStore, run_id: RunId, owner: str, lease_seconds: float, term: LeaseTerm
    ) -> None:
        self._store, self._run_id, self._owner = store, run_id, owner
        self._lease_seconds, self.term = lease_seconds, term

    def check(self, call: str) -> None:
        """Raise LeaseExpiredError when the lease ran out, LeaseLostError when another runner
        holds it; else renew it (a whole lease for the call)."""
        self.check_term(f"before {call}")
        started = self.term.stamp()
        self._store.renew(self._run_id, self._owner, self._lease_seconds)
        self.term.renewed(started)

    def check_term(self, where: str) -> None:
        """Raise LeaseExpiredError when the lease ran out (no store access)."""
        overdue = self.term.overdue()
        if overdue > 0:
            raise self.expired(where, overdue)

    def expired(self, where: str, overdue: float) -> LeaseExpiredError:
        return LeaseExpiredError(
            f"runner {self._owner}'s lease of run {self._run_id} ran out {overdue:.1f} s ago "
            f"(the process was paused or cut off for longer than its {self._lease_seconds:g} s "
            f"lease): it stopped {where} instead of acting; `bluegreen resume {self._run_id}` "
            "continues the run"
        )


class FencedBeanstalk(GuardedBeanstalk):
    """The Beanstalk port with the fence checked before every mutating call; reads pass."""

    def __init__(self, inner: Beanstalk, fence: Fence) -> None:
        super().__init__(inner)
        self._fence = fence

    def before(self, action: str) -> None:
        self._fence.check(action)


class FencedArtifacts:
    """The artifact store with the fence checked before an upload."""

    def __init__(self, inner: ArtifactStore, fence: Fence) -> None:
        self._inner, self._fence = inner, fence

    def object_exists(self, bucket: str, key: str) -> bool:
        return self._inner.object_exists(bucket, key)

    def upload(self, bucket: str, key: str, path: str) -> None:
        self._fence.check("the bundle upload")
        self._inner.upload(bucket, key, path)


class FencedDns:
    """The Route 53 port with the fence checked before a record change; reads pass."""

    def __init__(self, inner: Dns, fence: Fence) -> None:
        self._inner, self._fence = inner, fence

    def zone_name(self, zone_id: str) -> str | None:
        return self._inner.zone_name(zone_id)

    def record_sets(self, zone_id: str, name: str) -> list[RecordSet]:
        return self._inner.record_sets(zone_id, name)

    def upsert(self, zone_id: str, record: RecordSet, comment: str) -> str:
        self._fence.check("ChangeResourceRecordSets")
        return self._inner.upsert(zone_id, record, comment)

    def change_status(self, change_id: str) -> str:
        return self._inner.change_status(change_id)
