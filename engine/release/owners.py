"""Whether a lease's owner is a process that is gone from this machine, so its run can be taken
over at once instead of after the lease expires (a `kill -9`, an OOM kill, a crash).

Only an owner id that names this host *and* this place (the same boot of the same kernel, the
same PID namespace: containers with `--network host` share the hostname but not the PIDs, and
cloned VMs share hostnames) is judged; any other owner is presumed alive until its lease runs
out. A PID reused by another process makes the owner look alive: the safe mistake.
"""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from engine.domain.errors import TargetBusyError
from engine.domain.model import Run, RunId
from engine.domain.ports.store import RunStore

BOOT_ID = Path("/proc/sys/kernel/random/boot_id")
PID_NAMESPACE = "/proc/self/ns/pid"


@dataclass(frozen=True)
class OwnerId:
    """The parts of `<hostname>:<pid>:<random>[:<place>]`."""

    host: str
    pid: int
    place: str | None


def parse_owner(owner: str) -> OwnerId | None:
    parts = owner.split(":")
    if len(parts) not in (3, 4) or not parts[1].isdigit():
        return None
    return OwnerId(parts[0], int(parts[1]), parts[3] if len(parts) == 4 else None)


def process_place() -> str | None:
    """8 hex digits naming this boot and PID namespace; None where /proc does not say."""
    try:
        boot = BOOT_ID.read_text().strip()
        namespace = os.readlink(PID_NAMESPACE)
    except OSError:
        return None
    return hashlib.sha256(f"{boot}/{namespace}".encode()).hexdigest()[:8]


def is_alive(pid: int) -> bool:
    """Whether process `pid` exists here (a zombie, killed but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    state = stat.rsplit(")", 1)[-1].split()[:1]
    return state not in (["Z"], ["X"])


def owner_is_gone(
    owner: str,
    host: str | None = None,
    place: str | None = None,
    alive: Callable[[int], bool] = is_alive,
) -> bool:
    """True only when `owner` ran here (same host and place) in a process that no longer
    exists; this very process is never gone."""
    parsed = parse_owner(owner)
    here = place if place is not None else process_place()
    if parsed is None or parsed.place is None or here is None or parsed.pid <= 0:
        return False
    if parsed.host != (host or socket.gethostname()) or parsed.place != here:
        return False
    return parsed.pid != os.getpid() and not alive(parsed.pid)


def acquire_or_take_over(
    store: RunStore, run_id: RunId, owner: str, lease_seconds: float
) -> tuple[Run, str | None]:
    """The run leased to `owner`, and the owner it was taken from when that one's process is
    gone from this machine (else None); TargetBusyError while a live owner holds it."""
    try:
        return store.acquire(run_id, owner, lease_seconds), None
    except TargetBusyError as busy:
        if busy.owner is None or not owner_is_gone(busy.owner):
            raise
        return store.take_over(run_id, owner, lease_seconds, busy.owner), busy.owner
