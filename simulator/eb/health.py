"""Environment health: the colour, the enhanced status that goes with it, and the
"Environment health has transitioned ..." events that EB emits when it changes."""

from __future__ import annotations

from simulator.eb.models import Environment
from simulator.eb.state import Context

WARNING_STATUSES = ("Warning", "Degraded", "Severe")


def change(
    ctx: Context,
    env: Environment,
    colour: str,
    reason: str,
    request_id: str | None,
    status: str | None = None,
) -> None:
    """Set the health; emit a transition event (WARN when it gets worse than Ok)."""
    before = env.health_status
    env.set_health(colour, status)
    env.causes = [] if colour in ("Green", "Grey") else [reason]
    if env.health_status == before:
        return
    severity = "WARN" if env.health_status in WARNING_STATUSES else "INFO"
    message = f"Environment health has transitioned from {before} to {env.health_status}. {reason}"
    ctx.event(message, severity, env=env, request_id=request_id or "")


def deploying(ctx: Context, env: Environment) -> None:
    # With enhanced health an instance being deployed to reports Info (a Green colour):
    # "Application update in progress on 1 instance."
    change(
        ctx, env, "Green", "Application update in progress on 1 instance.", ctx.request_id, "Info"
    )
