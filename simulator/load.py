"""The load knob: how many requests per second arrive at a CNAME, and what one instance serves.

Load is notional: it drives each environment's auto scaling (simulator.eb.fleet) and, when the
environment holding the CNAME has fewer in-service instances than the load needs, the share
of requests its app answers 503 (`shed`). The requests tests really send are a sample of it.

`default_rps` (`bluegreen simulator serve --load RPS`) is the load on the CNAME of each
application's first environment (the one a release starts from); `set()` puts a load on any
CNAME. The load stays with the CNAME: after a swap it reaches the environment that holds it.
"""

from __future__ import annotations

import math
import threading

# What one simulated instance serves, requests per second (`--instance-rps`).
INSTANCE_RPS = 100.0


class Load:
    """Requests per second per CNAME (lower case), and one instance's capacity."""

    def __init__(self, default_rps: float = 0.0, instance_rps: float = INSTANCE_RPS) -> None:
        if default_rps < 0 or instance_rps <= 0:
            raise ValueError("the load cannot be negative and an instance must serve some")
        self._lock = threading.Lock()
        self.default_rps, self.instance_rps = default_rps, instance_rps
        self._rps: dict[str, float] = {}
        self._apps: set[str] = set()

    def set(self, cname: str, rps: float) -> None:
        """`rps` requests per second arrive at `cname` from now on (0: none)."""
        if rps < 0:
            raise ValueError("the load cannot be negative")
        with self._lock:
            self._rps[cname.lower()] = rps

    def adopt(self, app: str, cname: str) -> None:
        """An environment was created: the first of its application gets the default load."""
        with self._lock:
            if app in self._apps:
                return
            self._apps.add(app)
            if self.default_rps and cname.lower() not in self._rps:
                self._rps[cname.lower()] = self.default_rps

    def of(self, cname: str) -> float:
        with self._lock:
            return self._rps.get(cname.lower(), 0.0)

    def loads(self) -> dict[str, float]:
        with self._lock:
            return dict(self._rps)

    def needed(self, rps: float) -> int:
        """In-service instances that serve `rps` without shedding."""
        return math.ceil(rps / self.instance_rps - 1e-9) if rps > 0 else 0

    def shed(self, rps: float, serving: int) -> float:
        """The share of requests answered 503 when `serving` instances take `rps`: what the
        instances cannot serve (1 - capacity / load), none when they can."""
        if rps <= 0:
            return 0.0
        return max(0.0, 1.0 - serving * self.instance_rps / rps)

    def reset(self) -> None:
        with self._lock:
            self._rps.clear()
            self._apps.clear()
