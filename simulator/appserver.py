"""One real HTTP server per environment, on 127.0.0.1 with an ephemeral port.

It answers every request as the deployed version's manifest says; the environment's lifecycle
swaps its `Behaviour` atomically when a deployment completes. A version with `fail_after`
starts answering `fail_status` that many (real, already scaled) seconds after it went live on
this server: deployment time by the wall clock, as the app server has no simulated clock.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler

from simulator.serving import Background, QuietThreadingServer, send_text


@dataclass(frozen=True)
class Behaviour:
    """What the app answers: status and body, optionally flapping with 503s or failing late."""

    status: int
    body: str
    version: str = ""
    flap: int = 0
    fail_after: float = 0.0  # real seconds after deployment; 0 = never
    fail_status: int = 500


LAUNCHING = Behaviour(503, "environment is launching")
LAUNCH_FAILED = Behaviour(503, "environment launch failed: no healthy instances")


class _AppHttpServer(QuietThreadingServer):
    app: AppServer


class _Handler(BaseHTTPRequestHandler):
    server: _AppHttpServer

    def _answer(self) -> None:
        app = self.server.app
        status, body = app.next_answer()
        headers = {
            "X-Bluegreen-Environment": app.env_name,
            "X-Bluegreen-Version": app.behaviour.version,
        }
        send_text(self, status, body, headers)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _answer  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests and `serve` do not want one line per request."""


class AppServer(Background[_AppHttpServer]):
    """The app of one environment; `stop()` closes its port."""

    def __init__(self, env_name: str, behaviour: Behaviour = LAUNCHING) -> None:
        self.env_name = env_name
        self.behaviour = behaviour
        # The share of requests answered 503 because the environment's in-service instances
        # cannot serve the load it takes (set by the fleet each tick: simulator.eb.fleet).
        self.shed = 0.0
        self._shed_count = 0
        self._served = 0
        self._deployed = time.monotonic()
        self._lock = threading.Lock()
        # A traffic-splitting deployment's evaluation: the new version's behaviour, the share
        # of requests it answers (every n-th of 100, spread evenly), and when it went live.
        self._canary: tuple[Behaviour, int, float] | None = None
        self._canary_served = 0
        server = _AppHttpServer(("127.0.0.1", 0), _Handler)
        server.app = self
        super().__init__(server, f"app-{env_name}")

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def deploy(self, behaviour: Behaviour) -> None:
        with self._lock:
            self.behaviour = behaviour
            self._served = 0
            self._deployed = time.monotonic()
            self._canary = None

    def split(self, canary: Behaviour, percent: int) -> None:
        """`percent` % of the requests from now on answered by `canary` (new instances
        behind the same load balancer); the rest by the current behaviour."""
        with self._lock:
            self._canary = (canary, percent, time.monotonic())
            self._canary_served = 0

    def end_split(self) -> None:
        """The evaluation is over or aborted: the canary answers no more requests."""
        with self._lock:
            self._canary = None

    def next_answer(self) -> tuple[int, str]:
        if self._shedding():
            return 503, f"Service Unavailable: {self.env_name} is over capacity"
        with self._lock:
            canary = self._canary
            if canary is not None:
                behaviour, percent, since = canary
                index = self._canary_served
                self._canary_served += 1
                # Deterministic spread: request i goes to the canary when the running share
                # of canary answers falls behind `percent` (10 %: requests 0, 10, 20, ...).
                if (index * percent) // 100 != ((index + 1) * percent) // 100:
                    return _answer(behaviour, index, time.monotonic() - since)
        return _answer(*self._moment(counted=True))

    def _shedding(self) -> bool:
        """Spread the shed share evenly and deterministically: request n is shed when the
        running count of shed requests, n * shed, steps up."""
        with self._lock:
            shed = min(1.0, max(0.0, self.shed))
            if shed <= 0:
                return False
            self._shed_count += 1
            n = self._shed_count
            return int(n * shed + 1e-9) > int((n - 1) * shed + 1e-9)

    def status_now(self) -> int:
        """The status a request would get now, without counting as one: what a load
        balancer's health check of this instance sees."""
        return _answer(*self._moment(counted=False))[0]

    def _moment(self, counted: bool) -> tuple[Behaviour, int, float]:
        """The behaviour, this request's number, and the seconds since the deployment."""
        with self._lock:
            index = self._served
            self._served += counted
            return self.behaviour, index, time.monotonic() - self._deployed


def _answer(behaviour: Behaviour, index: int, live_for: float) -> tuple[int, str]:
    """The answer to request number `index`, `live_for` seconds after the deployment."""
    if behaviour.fail_after and live_for >= behaviour.fail_after:
        late = f"{behaviour.body} (failing since {behaviour.fail_after:g} s after deployment)"
        return behaviour.fail_status, late
    if behaviour.flap and (index // behaviour.flap) % 2 == 1:
        return 503, f"{behaviour.body} (flapping)"
    return behaviour.status, behaviour.body
