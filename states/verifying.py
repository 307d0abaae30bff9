"""Verifying: probe blue over HTTP through its current (temporary) CNAME until it answers as
expected several times in a row, within the run's deadline, while EB's own health stays Green.
"""

from __future__ import annotations

from engine.domain.errors import ProbeError, StepFailed
from engine.domain.model import EventSource, Trigger
from engine.domain.ports.cloud import ProbeResult
from engine.domain.step import StepContext
from states.shared.conditions import health_text
from states.shared.resources import current_blue, health_url, note


def run(ctx: StepContext) -> Trigger:
    blue = current_blue(ctx)
    if not blue.cname:
        raise StepFailed(f"blue {blue.name} has no CNAME to verify through")
    _until_steady(ctx, health_url(ctx.run.health.path, blue.cname))
    return Trigger.VERIFIED


def _until_steady(ctx: StepContext, url: str) -> None:
    """Probe until `successes` rounds in a row pass; any failed round starts the count over."""
    check, clock = ctx.run.health, ctx.clock
    deadline = clock.monotonic() + check.deadline_seconds
    streak = 0
    while True:
        passed, last = _probe_round(ctx, url)
        streak = streak + 1 if passed else 0
        if streak >= check.successes:
            note(ctx, f"health check passed: {streak} consecutive successes from {url}", url=url)
            return
        if clock.monotonic() + check.interval_seconds > deadline:
            raise StepFailed(
                f"health check failed: {check.successes} consecutive successes not reached "
                f"within {check.deadline_seconds:.0f} s; last: {last}"
            )
        clock.sleep(check.interval_seconds)


def _probe_round(ctx: StepContext, url: str) -> tuple[bool, str]:
    """One probe, then (when it passed) one look at EB's health of blue."""
    result = _probe(ctx, url)
    if not result.ok(ctx.run.health.expected_status):
        return False, _answer(result)
    blue = current_blue(ctx)
    if not (blue.is_ready and blue.is_healthy):
        message = f"EB reports blue {blue.name} {blue.status} with health {health_text(blue)}"
        note(ctx, message, environment=blue.id)
        return False, message
    return True, _answer(result)


def _probe(ctx: StepContext, url: str) -> ProbeResult:
    try:
        result = ctx.probe.probe(url, ctx.run.health.timeout_seconds)
    except ProbeError as error:
        raise StepFailed(f"health check cannot probe {url}: {error}") from error
    ctx.journal.event(
        EventSource.PROBE,
        f"probe {result.url}: {_outcome(result)} in {result.latency_seconds:.3f} s",
        url=result.url,
        status=result.status,
        latency_seconds=result.latency_seconds,
        error=result.error,
    )
    return result


def _outcome(result: ProbeResult) -> str:
    return str(result.status) if result.error is None else f"error ({result.error})"


def _answer(result: ProbeResult) -> str:
    return f"{_outcome(result)} from {result.url}"
