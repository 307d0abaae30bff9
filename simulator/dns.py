"""DNS for the CNAME router: a resolver cache that delivers a CNAME change late, as DNS does.

A swap is a DNS change, and AWS warns that clients keep the old answer until it expires, some
longer than the TTL ("Blue/Green deployments with Elastic Beanstalk", using-features.CNAMESwap).
The model is the worst honest resolver: one that cached each answer just before it changed, so
for `ttl` seconds after a change the name still reaches the environment it used to name. A
deterministic share of requests goes through a lingering resolver that keeps answers `linger`
seconds beyond the TTL. Names that did not resolve before are answered fresh (no negative
caching). An environment's own load-balancer name never moves; a cached answer naming a
terminated environment fails, as a stale address of a deleted load balancer does.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from simulator.timing import Clock, Timing

# 60 s: the TTL AWS serves load balancer names with (`dig` output in mozilla/identity-ops#14:
# "...us-west-2.elb.amazonaws.com. 60 IN A"), and the figure the project's design gives for
# EB's CNAMEs. Evidence for the *.elasticbeanstalk.com record itself is thin (AWS documents no
# number); `--dns-ttl` overrides it.
EB_CNAME_TTL = 60.0
LINGER_SHARE = 0.25  # one request in four resolves through a lingering resolver

Routes = Callable[[], Mapping[str, tuple[str, int]]]  # host -> (environment id, app port)


@dataclass(frozen=True)
class DnsSettings:
    """How late a change reaches clients, in AWS seconds (divided by the simulator's speed)."""

    ttl: float = EB_CNAME_TTL
    linger: float = 0.0  # extra seconds some resolvers keep an answer past its TTL
    linger_share: float = LINGER_SHARE  # share of requests such resolvers answer (if linger > 0)

    def __post_init__(self) -> None:
        if self.ttl < 0 or self.linger < 0:
            raise ValueError("the DNS TTL and linger cannot be negative")
        if not 0.0 <= self.linger_share <= 1.0:
            raise ValueError("the lingering share must be between 0 and 1")


class ResolverCache:
    """Answers `host -> app port` as the cache above would, from a history of each name."""

    def __init__(self, routes: Routes, clock: Clock, timing: Timing, settings: DnsSettings) -> None:
        self.settings = settings
        self._routes, self._clock, self._timing = routes, clock, timing
        self._lock = threading.Lock()
        self._history: dict[str, list[tuple[datetime, str | None]]] = {}
        self._requests = 0

    @property
    def settle_seconds(self) -> float:
        """Real seconds after a change until no resolver gives the old answer any more."""
        settings = self.settings
        linger = settings.linger if settings.linger_share > 0 else 0.0
        return self._timing.scaled(settings.ttl + linger).total_seconds()

    def observe(self) -> Mapping[str, tuple[str, int]]:
        """Record every name whose holder changed since the last look (at the clock's now)."""
        with self._lock:  # one look at a time, so changes are recorded in order
            routes = {host.lower(): route for host, route in self._routes().items()}
            now = self._clock.now()
            for host in set(self._history) | set(routes):
                holder = routes[host][0] if host in routes else None
                history = self._history.setdefault(host, [])
                if not history or history[-1][1] != holder:
                    history.append((now, holder))
                self._prune(history, now)  # keeps the newest entry before the horizon
                if len(history) == 1 and history[0][1] is None:
                    del self._history[host]  # gone longer than any resolver remembers
        return routes

    def _horizon(self, now: datetime) -> datetime:
        return now - self._timing.scaled(self.settings.ttl + self.settings.linger)

    def _prune(self, history: list[tuple[datetime, str | None]], now: datetime) -> None:
        keep_from = self._horizon(now)
        while len(history) > 1 and history[1][0] <= keep_from:
            history.pop(0)

    def resolve(self, host: str) -> int | None:
        """The app port `host` reaches now through a resolver, None if it names nothing;
        LookupError if the resolver's answer names a terminated environment."""
        routes = self.observe()
        host = host.lower()
        delay = self.settings.ttl + (self.settings.linger if self._lingering() else 0.0)
        cached = self._holder_at(host, self._clock.now() - self._timing.scaled(delay))
        ports = {env_id: port for env_id, port in routes.values()}
        if cached is not None and cached not in ports:
            raise LookupError(
                f"{host} resolves (a cached DNS answer) to environment {cached}, "
                "whose load balancer is gone"
            )
        if cached is not None:
            return ports[cached]
        fresh = routes.get(host)
        return fresh[1] if fresh is not None else None

    def _lingering(self) -> bool:
        """Request n is lingering when the share's running total crosses an integer: exact,
        evenly spread and reproducible (with share 0.25: requests 3, 7, 11, ...)."""
        share = self.settings.linger_share if self.settings.linger > 0 else 0.0
        with self._lock:
            n, self._requests = self._requests, self._requests + 1
        return math.floor((n + 1) * share) > math.floor(n * share)

    def _holder_at(self, host: str, moment: datetime) -> str | None:
        """Who held `host` at `moment`; if nobody did, its first holder since (a resolver
        asks a new name for the first time only once it exists: no negative caching)."""
        with self._lock:
            history = list(self._history.get(host, ()))
        before = [env_id for since, env_id in history if since <= moment]
        if before and before[-1] is not None:
            return before[-1]
        after = [env_id for since, env_id in history if since > moment and env_id is not None]
        return after[0] if after else None

    def reset(self) -> None:
        with self._lock:
            self._history.clear()
            self._requests = 0
