"""Probing blue itself: its own load balancer (EndpointURL, which no swap moves), so a stale
DNS answer can never send the probe to green; every probe event says which endpoint answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from engine.domain.errors import ProbeError, StepFailed
from engine.domain.health_urls import check_not_masked
from engine.domain.model import EventSource
from engine.domain.ports.cloud import Environment, ProbeResult
from engine.domain.step import StepContext
from states.shared.resources import health_url


@dataclass(frozen=True)
class ProbeTarget:
    """Where a probe connects (`url`), which site it asks for (`host`), the host it connects
    to (`endpoint`) and what that is, in words (`role`)."""

    url: str
    host: str | None
    endpoint: str
    role: str

    @property
    def described(self) -> str:
        """`blue's load balancer, Host shop.example.com`: the URL already names the host."""
        return f"{self.role}, Host {self.host}" if self.host else self.role


def probe_target(ctx: StepContext, blue: Environment, role: str = "blue") -> ProbeTarget:
    """Blue's (or, for swap-and-keep, green's: `role`) own load balancer with the live CNAME
    as Host (what the app sees in production), or RELEASE_HEALTH_CHECKING_PATH as given when
    it is a whole URL (the replaced tool's way)."""
    path = ctx.run.health.path
    check_not_masked(path)  # a run read back without its secret: never probe "REDACTED"
    if path.startswith(("http://", "https://")):
        return ProbeTarget(path, None, urlsplit(path).hostname or "", "the URL as given")
    endpoint = endpoint_host(blue.endpoint_url)
    if not endpoint:
        raise StepFailed(
            f"{role} {blue.name} reports no EndpointURL (its own load balancer) to probe; set "
            "RELEASE_HEALTH_CHECKING_PATH to a whole URL to probe something else"
        )
    live = ctx.run.facts.blue_cname or blue.cname
    return ProbeTarget(health_url(path, endpoint), live, endpoint, f"{role}'s load balancer")


def endpoint_host(endpoint_url: str | None) -> str | None:
    """EndpointURL: "For load-balanced, autoscaling environments, the URL to the
    LoadBalancer. For single-instance environments, the IP address of the instance" (EB API
    reference, EnvironmentDescription); in practice a bare host name, a scheme is tolerated."""
    if not endpoint_url:
        return None
    if "://" in endpoint_url:
        return urlsplit(endpoint_url).netloc or None
    return endpoint_url.strip("/") or None


def probe_once(ctx: StepContext, target: ProbeTarget, purpose: str) -> ProbeResult:
    """One probe, journalled with the endpoint that answered; ProbeError fails the step."""
    try:
        result = ctx.probe.probe(target.url, ctx.run.health.timeout_seconds, host=target.host)
    except ProbeError as error:
        raise StepFailed(f"{purpose} cannot probe {target.url}: {error}") from error
    ctx.journal.event(
        EventSource.PROBE,
        f"probe {result.url} ({target.described}): {outcome(result)} "
        f"in {result.latency_seconds:.3f} s",
        url=result.url,
        endpoint=f"{target.endpoint} ({target.role})",
        host=target.host,
        status=result.status,
        latency_seconds=result.latency_seconds,
        error=result.error,
        purpose=purpose,
    )
    return result


def outcome(result: ProbeResult) -> str:
    return str(result.status) if result.error is None else f"error ({result.error})"


def answer(result: ProbeResult, target: ProbeTarget) -> str:
    return f"{outcome(result)} from {result.url} ({target.role})"
