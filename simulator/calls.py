"""What the simulated Elastic Beanstalk was asked and what it actually carried out.

Tests of lost responses and crashes need the truth behind the client's view: a call answered
503 may still have happened, and a botocore retry of it may have been refused. Every EB request
is counted by outcome; mutating calls that were carried out are kept with their parameters.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from dataclasses import dataclass
from typing import Any, Literal

Outcome = Literal["performed", "refused", "faulted"]
READ_ONLY_PREFIXES = ("Describe", "List", "Check")
KEPT = 10_000  # performed mutating calls remembered (a long `serve` must not grow forever)


@dataclass(frozen=True)
class Call:
    """A mutating call that was carried out; `lost` if its response was replaced by a 503."""

    action: str
    params: dict[str, Any]
    request_id: str
    lost: bool = False


def is_mutating(action: str) -> bool:
    return not action.startswith(READ_ONLY_PREFIXES)


class CallLog:
    """Thread-safe counters per (action, outcome) and the performed mutating calls in order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[tuple[str, Outcome]] = Counter()
        self._performed: deque[Call] = deque(maxlen=KEPT)

    def record(
        self, action: str, outcome: Outcome, params: dict[str, Any], request_id: str, lost: bool
    ) -> None:
        with self._lock:
            self._counts[(action, outcome)] += 1
            if outcome == "performed" and is_mutating(action):
                self._performed.append(Call(action, dict(params), request_id, lost))

    def count(self, action: str, outcome: Outcome = "performed") -> int:
        """How many `action` requests ended with `outcome` (default: carried out)."""
        with self._lock:
            return self._counts[(action, outcome)]

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
            self._counts.clear()
            self._performed.clear()
