"""Probing an environment at its own load balancer until it answers as expected several times
in a row, within the run's deadline, while EB's own health of it stays Green and no alarm is in
ALARM; N failed probes in a row fail the step at once (fail fast). Blue for swap-back, green
(before it goes live) for swap-and-keep.
"""

from __future__ import annotations

from collections.abc import Callable

from engine.domain.errors import StepFailed
from engine.domain.ports.cloud import Environment
from engine.domain.step import StepContext
from states.shared.alarm_gates import check_alarms
from states.shared.conditions import health_text
from states.shared.probing import ProbeTarget, answer, probe_once, probe_target
from states.shared.resources import find_own_green, note

Current = Callable[[StepContext], Environment]


def current_green(ctx: StepContext) -> Environment:
    green = find_own_green(ctx)
    if green is None:
        raise StepFailed(f"green {ctx.run.green} of this run no longer exists")
    return green


def verify(ctx: StepContext, role: str, current: Current) -> None:
    """`role` ("blue" or "green") steady at its own load balancer, the live name as Host."""
    until_steady(ctx, probe_target(ctx, current(ctx), role), role, current)


def until_steady(ctx: StepContext, target: ProbeTarget, role: str, current: Current) -> None:
    """Probe until `successes` rounds in a row pass; any failed round starts the count over,
    and `failures` failed probes in a row end it (a transient error gets its retries)."""
    check, clock = ctx.run.health, ctx.clock
    deadline = clock.monotonic() + check.deadline_seconds
    streak = failed = 0
    while True:
        check_alarms(ctx, "during verification")
        passed, probe_failed, last = _probe_round(ctx, target, role, current)
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


def _probe_round(
    ctx: StepContext, target: ProbeTarget, role: str, current: Current
) -> tuple[bool, bool, str]:
    """One probe, then (when it passed) one look at EB's health of the environment:
    (passed, the probe itself failed, what was seen)."""
    result = probe_once(ctx, target, "verification")
    if not result.ok(ctx.run.health.expected_status):
        return False, True, answer(result, target)
    env = current(ctx)
    if not (env.is_ready and env.is_healthy):
        message = f"EB reports {role} {env.name} {env.status} with health {health_text(env)}"
        note(ctx, message, environment=env.id)
        return False, False, message
    return True, False, answer(result, target)
