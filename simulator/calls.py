"""The simulator's request log: every AWS call its endpoint answered, so a test can prove that
a refused release changed nothing (no mutating call at all), not only that it left no trace.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

# EB operations that only read (the botocore model's Describe*/List*, CheckDNSAvailability,
# ValidateConfigurationSettings, RetrieveEnvironmentInfo); every other one changes something.
EB_READ_PREFIXES = ("Describe", "List", "Check", "Validate", "Retrieve")
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY_SERVICES = frozenset({"sts"})  # GetCallerIdentity: a POST that changes nothing


@dataclass(frozen=True)
class Call:
    """One answered request: the service, and the operation (EB) or method and path (others)."""

    service: str
    operation: str
    method: str = "POST"

    @property
    def mutating(self) -> bool:
        if self.service == "elasticbeanstalk":
            return not self.operation.startswith(EB_READ_PREFIXES)
        if self.service in READ_ONLY_SERVICES:
            return False
        return self.method not in READ_METHODS


class CallLog:
    """Calls in the order they arrived; thread-safe (the endpoint serves on threads)."""

    def __init__(self) -> None:
        self._calls: list[Call] = []
        self._lock = threading.Lock()

    def record(self, call: Call) -> None:
        with self._lock:
            self._calls.append(call)

    def all(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def mutating(self) -> list[Call]:
        return [call for call in self.all() if call.mutating]

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()
