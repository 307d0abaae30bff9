"""What the simulator was asked and what it actually carried out.

Two views, for two kinds of test:
- every request it answered, of any service (`requests()`, `mutating()`): a refused release
  must have made no mutating call at all, not only have left no trace;
- per Elastic Beanstalk action, how each request ended (`count`, `received`) and the mutating
  calls carried out with their parameters (`performed`): tests of lost responses and crashes
  need the truth behind the client's view (a call answered 503 may still have happened, and a
  botocore retry of it may have been refused).
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from dataclasses import dataclass
from typing import Any, Literal

Outcome = Literal["performed", "refused", "faulted"]
# EB operations that only read (the botocore model's Describe*/List*, CheckDNSAvailability,
# ValidateConfigurationSettings, RetrieveEnvironmentInfo); every other one changes something.
EB_READ_PREFIXES = ("Describe", "List", "Check", "Validate", "Retrieve")
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ACTIONS = ("Get", "Describe", "List")  # a JSON-protocol action (X-Amz-Target) that reads
READ_ONLY_SERVICES = frozenset({"sts"})  # GetCallerIdentity: a POST that changes nothing
KEPT = 10_000  # entries remembered of each list (a long `serve` must not grow forever)


def is_mutating(action: str) -> bool:
    """An Elastic Beanstalk action that changes something."""
    return not action.startswith(EB_READ_PREFIXES)


@dataclass(frozen=True)
class Request:
    """One answered request: the service, and the operation (EB) or method and path (others)."""

    service: str
    operation: str
    method: str = "POST"

    @property
    def mutating(self) -> bool:
        if self.service == "elasticbeanstalk":
            return is_mutating(self.operation)
        if self.service in READ_ONLY_SERVICES or self.operation.startswith(READ_ACTIONS):
            return False
        return self.method not in READ_METHODS


@dataclass(frozen=True)
class Call:
    """A mutating EB call that was carried out; `lost` if its response was replaced by a 503."""

    action: str
    params: dict[str, Any]
    request_id: str
    lost: bool = False


class CallLog:
    """Thread-safe (the endpoint serves on threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: deque[Request] = deque(maxlen=KEPT)
        self._counts: Counter[tuple[str, Outcome]] = Counter()
        self._performed: deque[Call] = deque(maxlen=KEPT)

    def arrived(self, request: Request) -> None:
        """A request of any service, as it arrives (before faults or validation)."""
        with self._lock:
            self._requests.append(request)

    def record(
        self, action: str, outcome: Outcome, params: dict[str, Any], request_id: str, lost: bool
    ) -> None:
        """How an Elastic Beanstalk request ended."""
        with self._lock:
            self._counts[(action, outcome)] += 1
            if outcome == "performed" and is_mutating(action):
                self._performed.append(Call(action, dict(params), request_id, lost))

    def requests(self) -> list[Request]:
        with self._lock:
            return list(self._requests)

    def mutating(self) -> list[Request]:
        """Every request that would change something, whether or not it was carried out."""
        return [request for request in self.requests() if request.mutating]

    def count(self, action: str, outcome: Outcome = "performed") -> int:
        """How many `action` requests ended with `outcome` (default: carried out)."""
        with self._lock:
            return self._counts[(action, outcome)]

    def total(self) -> int:
        """Every Elastic Beanstalk request recorded since the last `clear()`, however it ended."""
        with self._lock:
            return sum(self._counts.values())

    def received(self, action: str) -> int:
        """Every `action` request, whatever became of it (a botocore retry counts again)."""
        with self._lock:
            return sum(n for (name, _), n in self._counts.items() if name == action)

    def performed(self, action: str | None = None) -> list[Call]:
        """The mutating calls carried out (of `action`, if given), oldest first."""
        with self._lock:
            return [call for call in self._performed if action in (None, call.action)]

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()
            self._counts.clear()
            self._performed.clear()
