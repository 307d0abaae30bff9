"""Running the operator's hooks of one point (`--hook POINT=COMMAND`), with the run's facts in
their environment; each one's exit code, duration and output tail go to the history.

A gate point's failure (non-zero exit, timeout, a command that cannot start) fails the step,
so the release rolls back; an `on-rollback` failure is recorded and the rollback goes on. A
point whose hooks all ran to their end is recorded (`facts.hooks_done`), so a step run again
after a crash does not run them again; a hook killed mid-run had not ended and runs again.
"""

from __future__ import annotations

from engine.domain.errors import BlueGreenError, StepFailed
from engine.domain.hooks import Hook, HookPoint, hooks_at
from engine.domain.model import EventSource
from engine.domain.ports.cloud import Environment
from engine.domain.ports.hooks import HookResult
from engine.domain.step import StepContext
from states.shared.probing import endpoint_host
from states.shared.resources import describe_by_id


def run_hook(ctx: StepContext, point: HookPoint, new_version: Environment | None = None) -> None:
    """Run the hooks of `point` unless they ran already. `new_version`: the environment that
    runs (or is about to run) the new version, for BLUEGREEN_ENDPOINT_URL (default: blue)."""
    hooks = hooks_at(ctx.run.guards.hooks, point)
    if not hooks or point.value in _done(ctx):
        return
    if ctx.hook_runner is None:
        if point.is_gate:
            raise StepFailed(f"the {point} hooks cannot run: no hook runner is wired")
        ctx.journal.event(EventSource.ENGINE, f"the {point} hooks cannot run: no hook runner")
        return
    environment = hook_environment(ctx, point, new_version)
    for index, hook in enumerate(hooks, start=1):
        _run_one(ctx, hook, f"{index}/{len(hooks)}", environment)
    ctx.journal.record_facts(hooks_done=",".join([*_done(ctx), point.value]))


def _done(ctx: StepContext) -> list[str]:
    return [p for p in (ctx.run.facts.hooks_done or "").split(",") if p]


def _run_one(ctx: StepContext, hook: Hook, which: str, environment: dict[str, str]) -> None:
    assert ctx.hook_runner is not None
    timeout = ctx.run.guards.hook_timeout_seconds
    _event(ctx, f"hook {hook.point} {which} started: {hook.command}", hook.point, hook)
    result = ctx.hook_runner.run(hook.argv, environment, timeout)
    verdict = _verdict(result, timeout)
    ok = result.ok
    _event(
        ctx, f"hook {hook.point} {which} {verdict} after {result.duration_seconds:.1f} s",
        hook.point, hook, ok=ok, exit_code=result.exit_code,
        duration_seconds=round(result.duration_seconds, 3), timed_out=result.timed_out,
        output_tail=list(result.output_tail),
    )  # fmt: skip
    if not ok and hook.point.is_gate:
        raise StepFailed(f"the {hook.point} hook {which} {verdict}: {hook.command}")


def _verdict(result: HookResult, timeout: float) -> str:
    if result.error is not None:
        return f"failed ({result.error})"
    if result.timed_out:
        return f"timed out (killed after its {timeout:g} s limit)"
    if result.exit_code == 0:
        return "passed (exit 0)"
    return f"failed (exit {result.exit_code})"


def _event(ctx: StepContext, message: str, point: HookPoint, hook: Hook, **data: object) -> None:
    ctx.journal.event(EventSource.ENGINE, message, hook=point.value, command=hook.command, **data)


def hook_environment(
    ctx: StepContext, point: HookPoint, new_version: Environment | None = None
) -> dict[str, str]:
    """The run's facts as BLUEGREEN_* variables (no credential: the hook inherits this
    process's own environment, which the history never records)."""
    run, facts = ctx.run, ctx.run.facts
    new_version = new_version or _blue(ctx)
    endpoint = endpoint_host(new_version.endpoint_url) if new_version else None
    values = {
        "RUN_ID": run.id,
        "APP": run.target.app,
        "REGION": run.target.region,
        "BLUE": run.target.blue,
        "GREEN": run.green,
        "VERSION_LABEL": run.version_label,
        "PREVIOUS_VERSION_LABEL": facts.previous_version_label or "",
        "LIVE_CNAME": facts.blue_cname or "",
        "ENDPOINT_URL": f"http://{endpoint}" if endpoint else "",
        "HOOK_POINT": point.value,
    }
    return {f"BLUEGREEN_{name}": value for name, value in values.items()}


def _blue(ctx: StepContext) -> Environment | None:
    """Blue as it is now, or None (a rollback's hook runs even when blue cannot be read)."""
    if not ctx.run.facts.blue_env_id:
        return None
    try:
        return describe_by_id(ctx, ctx.run.facts.blue_env_id)
    except BlueGreenError:
        return None
