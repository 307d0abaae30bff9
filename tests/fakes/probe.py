"""FakeHealthProbe: scripted answers per URL, otherwise routed like the CNAME router to the
environment holding the host (its CNAME, or its own load balancer's name)."""

from __future__ import annotations

from urllib.parse import urlsplit

from engine.domain.ports.cloud import ProbeResult
from tests.fakes.beanstalk import FakeBeanstalk
from tests.fakes.clock import FakeClock


class FakeHealthProbe:
    def __init__(self, clock: FakeClock, beanstalk: FakeBeanstalk | None = None) -> None:
        self.clock, self.beanstalk = clock, beanstalk
        self.latency_seconds = 0.05
        self.version_answers: dict[str, int] = {}
        self.calls: list[str] = []
        self.hosts: list[str | None] = []
        self._scripts: dict[str, list[int | None]] = {}

    def script(self, url: str, *answers: int | None) -> None:
        """Answers for `url` in order (None: connection refused); the last one repeats."""
        self._scripts[url] = list(answers)

    def probe(self, url: str, timeout_seconds: float, host: str | None = None) -> ProbeResult:
        self.calls.append(url)
        self.hosts.append(host)
        self.clock.advance(min(self.latency_seconds, timeout_seconds))
        status = self._answer(url)
        if status is None:
            return ProbeResult(url, None, self.latency_seconds, error="connection refused")
        return ProbeResult(url, status, self.latency_seconds)

    def _answer(self, url: str) -> int | None:
        script = self._scripts.get(url)
        if script:
            return script.pop(0) if len(script) > 1 else script[0]
        host = urlsplit(url).hostname
        live = self.beanstalk.live() if self.beanstalk else []
        holders = [e for e in live if host in (e.cname, e.view().endpoint_url)]
        if not holders or holders[0].status == "Terminating":
            return None
        return self.version_answers.get(holders[0].version_label or "", 200)
