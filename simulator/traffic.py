"""Live traffic for tests: a client that keeps requesting a URL through the CNAME router, as
users do during a release, and counts what failed.

Each request goes to the router as a proxy request, so its host name is resolved through the
router's resolver cache like a real client's DNS lookup (a swap reaches it late). Bounded in
time and in count, so a test that forgets to stop it cannot run forever.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Failure:
    """One failed request: when (seconds since the start), the status (0: no answer), why."""

    at: float
    status: int
    detail: str


Seen = dict[str, tuple[float, float]]  # name -> (first, last) good answer, seconds from start


@dataclass
class TrafficReport:
    """What the traffic saw: good answers per X-Bluegreen-Version and X-Bluegreen-Environment,
    and when each was first and last seen (seconds since the traffic started)."""

    sent: int = 0
    failures: list[Failure] = field(default_factory=list)
    versions: Counter[str] = field(default_factory=Counter)
    environments: Counter[str] = field(default_factory=Counter)
    version_seen: Seen = field(default_factory=dict)
    environment_seen: Seen = field(default_factory=dict)

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def ok(self) -> int:
        return self.sent - self.failed


class LiveTraffic:
    """Requests `url` through the proxy at `proxy_url` every `interval` seconds in a thread.

    A request fails when no answer arrives within `timeout` or its status is not in `good`
    (default 2xx and 3xx). Stops at `stop()`, after `max_seconds`, or after `max_requests`.
    """

    def __init__(
        self,
        proxy_url: str,
        url: str,
        *,
        interval: float = 0.005,
        timeout: float = 5.0,
        max_seconds: float = 300.0,
        max_requests: int = 100_000,
        good: range = range(200, 400),
    ) -> None:
        proxy = urlsplit(proxy_url)
        self._proxy = (proxy.hostname or "127.0.0.1", proxy.port or 80)
        self.url, self.interval, self.timeout, self.good = url, interval, timeout, good
        self.max_seconds, self.max_requests = max_seconds, max_requests
        self.report = TrafficReport()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="live-traffic", daemon=True)
        self._started = 0.0

    def start(self) -> LiveTraffic:
        self._started = time.monotonic()
        self._thread.start()
        return self

    def stop(self) -> TrafficReport:
        """Stop sending (waits for the request in flight) and return the report."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=self.timeout + 1)
        return self.snapshot()

    def snapshot(self) -> TrafficReport:
        """A copy of the report so far (safe while the traffic runs)."""
        with self._lock:
            report = self.report
            return TrafficReport(
                report.sent,
                list(report.failures),
                Counter(report.versions),
                Counter(report.environments),
                dict(report.version_seen),
                dict(report.environment_seen),
            )

    def elapsed(self) -> float:
        """Seconds since the traffic started: the time base of the report."""
        return time.monotonic() - self._started

    def __enter__(self) -> LiveTraffic:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self) -> None:
        deadline = self._started + self.max_seconds
        while not self._stopping.is_set() and time.monotonic() < deadline:
            if self.report.sent >= self.max_requests:
                break
            self._one()
            self._stopping.wait(self.interval)

    def _one(self) -> None:
        at = time.monotonic() - self._started
        connection = http.client.HTTPConnection(*self._proxy, timeout=self.timeout)
        try:
            connection.request("GET", self.url)
            response = connection.getresponse()
            body = response.read().decode(errors="replace")
            status = response.status
            version = response.getheader("X-Bluegreen-Version") or ""
            env = response.getheader("X-Bluegreen-Environment") or ""
        except OSError as error:
            status, body, version, env = 0, f"no answer: {error}", "", ""
        finally:
            connection.close()
        with self._lock:
            self.report.sent += 1
            if status in self.good:
                self.report.versions[version] += 1
                self.report.environments[env] += 1
                _seen(self.report.version_seen, version, at)
                _seen(self.report.environment_seen, env, at)
            else:
                self.report.failures.append(Failure(round(at, 3), status, body.strip()[:200]))


def _seen(seen: Seen, name: str, at: float) -> None:
    first, _ = seen.get(name, (at, at))
    seen[name] = (first, round(at, 3))
