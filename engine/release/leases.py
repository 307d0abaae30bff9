"""Who drives a run: this runner's owner id, and the heartbeat that keeps its lease alive."""

from __future__ import annotations

import os
import secrets
import socket
import threading
from types import TracebackType

from engine.domain.errors import LeaseLostError, StoreError
from engine.domain.model import RunId
from engine.domain.ports.store import RunStore
from engine.release.fence import Fence
from engine.release.owners import process_place

DEFAULT_LEASE_SECONDS = 60.0


def new_owner_id() -> str:
    """`<hostname>:<pid>:<random>[:<place>]`: names the runner in busy messages and in
    `status`; `place` (see `engine.release.owners`) lets a runner on the same machine tell
    whether the owner's process still exists."""
    place = process_place()
    suffix = f":{place}" if place else ""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}{suffix}"


class Heartbeat:
    """Renews a run's lease every `lease_seconds / 3` on a thread while a drive works.

    A renewal refused with LeaseLostError is kept in `lost`; the drive stops at its next
    boundary. Other store failures are retried at the next beat (the lease has slack). With a
    `fence`, a lease that ran out locally (the process was paused) is never renewed: it is lost.
    """

    def __init__(
        self,
        store: RunStore,
        run_id: RunId,
        owner: str,
        lease_seconds: float,
        fence: Fence | None = None,
    ) -> None:
        self._store = store
        self._fence = fence
        self._run_id = run_id
        self._owner = owner
        self._lease_seconds = lease_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="bluegreen-heartbeat", daemon=True)
        self.lost: LeaseLostError | None = None

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def check(self) -> None:
        """Raise the LeaseLostError a renewal met, if any."""
        if self.lost is not None:
            raise self.lost

    def _beat(self) -> None:
        while not self._stop.wait(self._lease_seconds / 3):
            overdue = self._fence.term.overdue() if self._fence else 0.0
            if self._fence is not None and overdue > 0:
                self.lost = self._fence.expired("at its next step", overdue)
                return
            started = self._fence.term.stamp() if self._fence else None
            try:
                self._store.renew(self._run_id, self._owner, self._lease_seconds)
                if self._fence is not None and started is not None:
                    self._fence.term.renewed(started)
            except LeaseLostError as error:
                self.lost = error
                return
            except StoreError:
                continue
