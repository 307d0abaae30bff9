"""Verifying: probe blue itself (its own load balancer, which no swap moves) until it answers as
expected several times in a row, within the run's deadline, while EB's own health stays Green
and no alarm is in ALARM. N failed probes in a row fail the step at once (fail fast).
"""

from __future__ import annotations

from engine.domain.errors import StepFailed
from engine.domain.model import Trigger
from engine.domain.step import StepContext
from states.shared.alarm_gates import check_alarms
from states.shared.conditions import health_text
from states.shared.probing import ProbeTarget, answer, probe_once, probe_target
from states.shared.resources import current_blue, note


def run(ctx: StepContext) -> Trigger:
    blue = current_blue(ctx)
    _until_steady(ctx, probe_target(ctx, blue))
    return Trigger.VERIFIED


def _until_steady(ctx: StepContext, target: ProbeTarget) -> None:
    """Probe until `successes` rounds in a row pass; any failed round starts the count over,
    and `failures` failed probes in a row end it (a transient error gets its retries)."""
    check, clock = ctx.run.health, ctx.clock
    deadline = clock.monotonic() + check.deadline_seconds
    streak = failed = 0
    while True:
        check_alarms(ctx, "during verification")
        passed, probe_failed, last = _probe_round(ctx, target)
        streak = streak + 1 if passed else 0
        failed = failed + 1 if probe_failed else 0
        if streak >= check.successes:
            note(ctx, f"health check passed: {streak} consecutive successes, {last}",
                 url=target.url, endpoint=f"{target.endpoint} ({target.role})")  # fmt: skip
            return
        if failed >= check.failures:
            raise StepFailed(f"health check failed: {failed} failed probes in a row; last: {last}")
        if clock.monotonic() + check.interval_seconds > deadline:
            raise StepFailed(
                f"health check failed: {check.successes} consecutive successes not reached "
                f"within {check.deadline_seconds:.0f} s; last: {last}"
            )
        clock.sleep(check.interval_seconds)


def _probe_round(ctx: StepContext, target: ProbeTarget) -> tuple[bool, bool, str]:
    """One probe, then (when it passed) one look at EB's health of blue:
    (passed, the probe itself failed, what was seen)."""
    result = probe_once(ctx, target, "verification")
    if not result.ok(ctx.run.health.expected_status):
        return False, True, answer(result, target)
    blue = current_blue(ctx)
    if not (blue.is_ready and blue.is_healthy):
        message = f"EB reports blue {blue.name} {blue.status} with health {health_text(blue)}"
        note(ctx, message, environment=blue.id)
        return False, False, message
    return True, False, answer(result, target)
