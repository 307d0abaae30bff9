"""Fault injection: API errors (throttling, 5xx) and operations that fail or get stuck.

Settable when the simulator starts and at run time from tests; thread-safe. Rates draw from a
seeded RNG and the `*_next` counters are exact, so tests can be fully deterministic.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from typing import Literal

from simulator.fleet_faults import FleetFaults

ANY = "*"
Operation = Literal["launch", "update", "swap", "terminate"]
OPERATIONS: tuple[Operation, ...] = ("launch", "update", "swap", "terminate")
FailKind = Literal["fail_launch", "fail_update", "fail_terminate", "stick"]


@dataclass(frozen=True)
class ApiFault:
    """An error to answer instead of (or, with `after`, after) running an EB call."""

    status: int
    code: str
    message: str
    after: bool = False  # the operation is carried out, only its response is lost


THROTTLING = ApiFault(400, "Throttling", "Rate exceeded")
SERVER_ERRORS = {
    500: ApiFault(500, "InternalFailure", "The request processing has failed."),
    503: ApiFault(503, "ServiceUnavailable", "The service is unavailable. Try again later."),
}


def server_error(status: int, after: bool = False) -> ApiFault:
    base = SERVER_ERRORS.get(status, ApiFault(status, "InternalFailure", "Internal error."))
    return ApiFault(base.status, base.code, base.message, after)


LOST_RESPONSE = server_error(503, after=True)


@dataclass
class _Queued:
    fault: ApiFault
    remaining: int
    action: str | None


@dataclass
class _Rule:
    kind: FailKind
    env: str
    ops: frozenset[str]
    remaining: int | None  # None: every time


class Faults:
    """Mutable fault settings shared by the EB front end and the environment lifecycle."""

    def __init__(
        self,
        *,
        throttle_rate: float = 0.0,
        error_rate: float = 0.0,
        error_status: int = 503,
        seed: int | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._seed = seed
        self._initial = (throttle_rate, error_rate, error_status)
        self.throttle_rate = throttle_rate
        self.error_rate = error_rate
        self.error_status = error_status
        self._queue: list[_Queued] = []
        self._lost: list[_Queued] = []
        self._rules: list[_Rule] = []
        self._lost_route53_changes = 0
        self.fleet = FleetFaults()  # instances left behind, drift, managed actions

    # --- API-level faults -------------------------------------------------------------------

    def throttle_next(self, count: int = 1, action: str | None = None) -> None:
        """Answer the next `count` EB calls (of `action`, if given) with Throttling."""
        self._enqueue(THROTTLING, count, action)

    def error_next(
        self, count: int = 1, status: int = 503, action: str | None = None, after: bool = False
    ) -> None:
        """Answer the next `count` EB calls with a 5xx; `after=True` runs the call first."""
        self._enqueue(server_error(status, after), count, action)

    def lose_response(self, action: str, count: int = 1) -> None:
        """Carry out the next `count` `action` calls that succeed, then answer each 503: the
        request took effect, its response was lost (botocore then retries it). Calls that
        fail (e.g. a retry refused as "not Ready") do not use up the count."""
        if count < 1:
            raise ValueError("the count of lost responses must be at least 1")
        with self._lock:
            self._lost.append(_Queued(LOST_RESPONSE, count, action))

    def lost_response(self, action: str) -> ApiFault | None:
        """The 503 replacing the response of this carried-out call, if one is due."""
        with self._lock:
            for queued in self._lost:
                if queued.action == action:
                    queued.remaining -= 1
                    if queued.remaining <= 0:
                        self._lost.remove(queued)
                    return queued.fault
        return None

    def _enqueue(self, fault: ApiFault, count: int, action: str | None) -> None:
        with self._lock:
            self._queue.append(_Queued(fault, count, action))

    def api_fault(self, action: str) -> ApiFault | None:
        """The fault to inject into this call, if any (queued first, then the rates)."""
        with self._lock:
            for queued in self._queue:
                if queued.action in (None, action):
                    queued.remaining -= 1
                    if queued.remaining <= 0:
                        self._queue.remove(queued)
                    return queued.fault
            if self.throttle_rate and self._rng.random() < self.throttle_rate:
                return THROTTLING
            if self.error_rate and self._rng.random() < self.error_rate:
                return server_error(self.error_status)
        return None

    def lose_route53_changes(self, count: int = 1) -> None:
        """The next `count` Route 53 ChangeResourceRecordSets are made, their answers lost."""
        with self._lock:
            self._lost_route53_changes += count

    def take_route53_loss(self) -> bool:
        with self._lock:
            if self._lost_route53_changes <= 0:
                return False
            self._lost_route53_changes -= 1
            return True

    # --- operation-level faults ------------------------------------------------------------

    def fail_launch(self, env: str = ANY, times: int | None = None) -> None:
        """Launches end Ready with health Red ("... complete, but with errors.")."""
        self._add(_Rule("fail_launch", env, frozenset({"launch"}), times))

    def fail_update(self, env: str = ANY, times: int | None = None) -> None:
        """Deployments fail ("Failed to deploy application."): back to Ready on the old version."""
        self._add(_Rule("fail_update", env, frozenset({"update"}), times))

    def fail_terminate(self, env: str = ANY, times: int | None = 1) -> None:
        """Terminations fail (once by default): the environment goes back to Ready."""
        self._add(_Rule("fail_terminate", env, frozenset({"terminate"}), times))

    def stick(
        self, env: str = ANY, ops: tuple[Operation, ...] = OPERATIONS, times: int | None = None
    ) -> None:
        """Operations never finish until `Simulator.release()` (or AbortEnvironmentUpdate)."""
        unknown = set(ops) - set(OPERATIONS)
        if unknown:
            raise ValueError(f"unknown operations: {sorted(unknown)}")
        self._add(_Rule("stick", env, frozenset(ops), times))

    def _add(self, rule: _Rule) -> None:
        with self._lock:
            self._rules.append(rule)

    def take(self, kind: FailKind, env: str, op: str) -> bool:
        """Whether a `kind` fault applies to `op` on `env` now (consumes one use if counted)."""
        with self._lock:
            for rule in self._rules:
                if rule.kind == kind and rule.env in (ANY, env) and op in rule.ops:
                    if rule.remaining is not None:
                        rule.remaining -= 1
                        if rule.remaining <= 0:
                            self._rules.remove(rule)
                    return True
        return False

    def clear(self) -> None:
        """Remove every fault: rates back to 0, queues and rules emptied, RNG re-seeded."""
        self.restore()
        with self._lock:
            self.throttle_rate = self.error_rate = 0.0

    def restore(self) -> None:
        """Back to the settings given at construction: their rates, nothing queued, no rules."""
        with self._lock:
            self.throttle_rate, self.error_rate, self.error_status = self._initial
            self._queue.clear()
            self._lost.clear()
            self._lost_route53_changes = 0
            self._rules.clear()
            self._rng.seed(self._seed)
        self.fleet.clear()
