"""CloudWatch alarm gates: any alarm of the run in ALARM stops the release; an alarm whose
state cannot be read stops it too (fail closed, as CodeDeploy does)."""

from __future__ import annotations

from engine.domain.errors import CloudError, ConfigurationError, StepFailed
from engine.domain.step import StepContext
from states.shared.resources import note


def require_alarms_exist(ctx: StepContext) -> None:
    """Preflight: every named alarm exists (a typo must not silently disable a gate) and
    none is in ALARM."""
    names = ctx.run.guards.alarms
    if not names:
        return
    found = ctx.alarms.alarm_states(names)
    missing = [name for name in names if name not in found]
    if missing:
        raise ConfigurationError(f"CloudWatch alarm(s) not found: {', '.join(missing)}")
    states = ", ".join(f"{name} {found[name].state}" for name in names)
    note(ctx, f"alarm gates: {states}", alarms=",".join(names))
    # An alarm already firing would fail the release at its first gate, after a whole green
    # was launched: refuse now, before anything is created.
    firing = [found[name] for name in names if found[name].firing]
    if firing:
        reasons = "; ".join(f"{a.name}: {a.reason or 'no reason given'}" for a in firing)
        raise ConfigurationError(f"alarm in ALARM before the release started: {reasons}")


def check_alarms(ctx: StepContext, during: str) -> int:
    """Raise StepFailed when any alarm is in ALARM or cannot be read; else how many are
    watched (for progress lines)."""
    names = ctx.run.guards.alarms
    if not names:
        return 0
    try:
        found = ctx.alarms.alarm_states(names)
    except CloudError as error:
        raise StepFailed(
            f"alarm states cannot be read {during} (failing closed): {error}"
        ) from error
    missing = [name for name in names if name not in found]
    if missing:
        raise StepFailed(f"alarm(s) {', '.join(missing)} no longer exist {during} (failing closed)")
    firing = [found[name] for name in names if found[name].firing]
    if firing:
        reasons = "; ".join(f"{a.name}: {a.reason or 'no reason given'}" for a in firing)
        raise StepFailed(f"alarm in ALARM {during}: {reasons}")
    return len(names)
